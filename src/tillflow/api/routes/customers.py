"""Customers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from tillflow.api import cursors
from tillflow.api.auth import Context, require
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas import CustomerIn, CustomerPatch
from tillflow.api.schemas_out import CustomerOut, CustomerPageOut, CustomersOut
from tillflow.services import customers, payloads
from tillflow.services.context import Actor
from tillflow.services.tokens import CUSTOMERS

router = APIRouter(route_class=CheckedRoute, prefix="/customers", tags=["customers"])
Clerk = Annotated[Actor, Depends(require(CUSTOMERS))]


@router.post("", status_code=201, response_model=CustomerOut)
def create_customer(body: CustomerIn, ctx: Context, _actor: Clerk) -> FastJSONResponse:
    customer = customers.create_customer(ctx, name=body.name, email=body.email,
                                         phone=body.phone)
    return FastJSONResponse(payloads.customer(customer), status_code=201)


@router.get("", response_model=CustomersOut)
def find_customers(
    ctx: Context,
    _actor: Clerk,
    email: Annotated[str | None, Query(max_length=254)] = None,
    phone: Annotated[str | None, Query(max_length=40)] = None,
) -> FastJSONResponse:
    found = customers.find_customers(ctx, email=email, phone=phone)
    return FastJSONResponse({"items": [payloads.customer(c) for c in found]})


@router.get("/search", response_model=CustomerPageOut)
def search_customers(
    ctx: Context,
    _actor: Clerk,
    query: Annotated[str, Query(max_length=100)] = "",
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> FastJSONResponse:
    """Customers whose name, email or phone holds ``query``; all of them when it is empty."""
    found = customers.search_customers(ctx, query=query, after_id=cursors.decode(cursor),
                                       limit=limit + 1)
    page, more = found[:limit], len(found) > limit
    return FastJSONResponse({"items": [payloads.customer(c) for c in page],
                             "next_cursor": cursors.encode(page[-1].id) if more else None})


@router.get("/{customer_id}", response_model=CustomerOut)
def get_customer(customer_id: str, ctx: Context, _actor: Clerk) -> FastJSONResponse:
    return FastJSONResponse(payloads.customer(customers.get_customer(ctx, customer_id)))


@router.patch("/{customer_id}", response_model=CustomerOut)
def update_customer(customer_id: str, body: CustomerPatch, ctx: Context,
                    _actor: Clerk) -> FastJSONResponse:
    changed = customers.update_customer(ctx, customer_id,
                                        changes=body.model_dump(exclude_unset=True))
    return FastJSONResponse(payloads.customer(changed))
