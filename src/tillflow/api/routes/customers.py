"""Customers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from tillflow.api.auth import Context, require
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas import CustomerIn
from tillflow.api.schemas_out import CustomerOut, CustomersOut
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


@router.get("/{customer_id}", response_model=CustomerOut)
def get_customer(customer_id: str, ctx: Context, _actor: Clerk) -> FastJSONResponse:
    return FastJSONResponse(payloads.customer(customers.get_customer(ctx, customer_id)))
