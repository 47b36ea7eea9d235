"""Sales (idempotent on the Idempotency-Key header) and returns against them."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Header, Query

from tillflow.api import cursors
from tillflow.api.auth import Context, require
from tillflow.api.idempotency import checked_key
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas import ReturnIn, SaleIn
from tillflow.api.schemas_out import ReturnOut, ReturnsOut, SaleOut, SalePageOut
from tillflow.domain.errors import InvalidInput
from tillflow.services import payloads, return_keys, returns, sales
from tillflow.services.context import Actor
from tillflow.services.payments import checkout, refunds
from tillflow.services.sale_filters import SalesFilter
from tillflow.services.tokens import RETURNS_WRITE, SALES_READ, SALES_WRITE

router = APIRouter(route_class=CheckedRoute, prefix="/sales", tags=["sales"])
Seller = Annotated[Actor, Depends(require(SALES_WRITE))]
Reader = Annotated[Actor, Depends(require(SALES_READ))]
Refunder = Annotated[Actor, Depends(require(RETURNS_WRITE))]


@router.post("", status_code=201, response_model=SaleOut)
def create_sale(
    body: SaleIn,
    ctx: Context,
    actor: Seller,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> FastJSONResponse:
    idempotency_key = checked_key(idempotency_key)
    # The same request in another JSON layout is still the same request.
    canonical = orjson.dumps(body.model_dump(mode="json", by_alias=True),
                             option=orjson.OPT_SORT_KEYS)
    if (body.channel == sales.POS) != (body.external_id is None):
        raise InvalidInput("a channel sale needs the platform's external_id, and only it does",
                           details={"field": "external_id"})
    request = sales.SaleRequest(
        location=body.location, register=body.register_code, customer=body.customer,
        discount=body.discount, offline=body.offline, offline_number=body.offline_number,
        stock_override=body.stock_override,
        approval=body.approval, sold_at=body.sold_at,
        lines=[sales.SaleLineRequest(**line.model_dump()) for line in body.lines],
        payments=[sales.TenderRequest(**p.model_dump()) for p in body.payments],
    )
    record, created = checkout.checkout(
        ctx, actor, request, idempotency_key=idempotency_key,
        request_hash=hashlib.sha256(canonical).hexdigest(),
        origin=sales.Origin(channel=body.channel, external_id=body.external_id),
    )
    headers = None if created else {"Idempotent-Replayed": "true"}
    sale = checkout.payment_statuses(ctx, payloads.sale(record, ctx.currency))
    return FastJSONResponse(sale, status_code=201, headers=headers)


def _filters(
    start: Annotated[str | None, Query(alias="from", min_length=1, max_length=40,
                                       examples=["2026-12-01"])] = None,
    end: Annotated[str | None, Query(alias="to", min_length=1, max_length=40,
                                     examples=["2026-12-02"])] = None,
    register: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    staff: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    customer: Annotated[str | None, Query(pattern=r"^[0-9a-fA-F-]{1,64}$")] = None,
) -> SalesFilter:
    """Sales made from ``from`` (inclusive) to ``to`` (exclusive), dates or ISO 8601 times
    of the store's time zone; at a register (code), by a staff member (id), for a customer."""
    return SalesFilter(start=start, end=end, register=register, staff=staff,
                       customer=customer)


@router.get("", response_model=SalePageOut)
def list_sales(
    *,
    ctx: Context,
    _actor: Reader,
    channel: Annotated[str | None, Query(max_length=32)] = None,
    location: Annotated[str | None, Query(max_length=64)] = None,
    number: Annotated[str | None, Query(max_length=64)] = None,
    filters: Annotated[SalesFilter, Depends(_filters)],
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> FastJSONResponse:
    found, next_after = sales.list_sales(ctx, channel=channel, location=location,
                                         number=number, after=_decode(cursor), limit=limit,
                                         filters=filters)
    return FastJSONResponse({
        "items": [payloads.sale(s, ctx.currency) for s in found],
        "next_cursor": _encode(next_after) if next_after else None,
    })


def _encode(position: tuple[datetime, str]) -> str:
    return cursors.encode(f"{position[0].isoformat()}|{position[1]}")


def _decode(cursor: str | None) -> tuple[datetime, str] | None:
    raw = cursors.decode(cursor)
    if raw is None:
        return None
    moment, _, sale_id = raw.partition("|")
    try:
        when = datetime.fromisoformat(moment)
    except ValueError:
        when = None
    if when is None or when.tzinfo is None or not sale_id:
        raise InvalidInput("cursor is not one this API returned", details={"field": "cursor"})
    return when, sale_id


@router.get("/{sale_id}", response_model=SaleOut)
def get_sale(sale_id: str, ctx: Context, _actor: Reader) -> FastJSONResponse:
    return FastJSONResponse(checkout.payment_statuses(
        ctx, payloads.sale(sales.get_sale(ctx, sale_id), ctx.currency)))


@router.get("/{sale_id}/returns", response_model=ReturnsOut)
def list_returns(sale_id: str, ctx: Context, _actor: Reader) -> FastJSONResponse:
    sales.get_sale(ctx, sale_id)
    with ctx.uow(read_only=True) as uow:
        found = uow.sales.returns_of(sale_id)
    return FastJSONResponse({"items": [payloads.sale_return(r, ctx.currency) for r in found]})


@router.post("/{sale_id}/returns", status_code=201, response_model=ReturnOut)
def create_return(
    sale_id: str,
    body: ReturnIn,
    ctx: Context,
    actor: Refunder,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> FastJSONResponse:
    idempotency_key = checked_key(idempotency_key)
    key = None
    if idempotency_key is not None:
        # The key stands for this return of this sale, whatever the JSON's layout.
        canonical = orjson.dumps({"sale": sale_id,
                                  "body": body.model_dump(mode="json", by_alias=True)},
                                 option=orjson.OPT_SORT_KEYS)
        key = return_keys.ReturnKey(idempotency_key, hashlib.sha256(canonical).hexdigest())
    request = returns.ReturnRequest(
        lines=[returns.ReturnLineRequest(**line.model_dump()) for line in body.lines],
        restock=body.restock, register=body.register_code,
        refunds=[sales.TenderRequest(**r.model_dump()) for r in body.refunds],
        reason=body.reason, approval=body.approval,
    )
    record, created = refunds.record_return(ctx, actor, sale_id, request,
                                            approval=body.approval, key=key)
    headers = None if created else {"Idempotent-Replayed": "true"}
    return FastJSONResponse(payloads.sale_return(record, ctx.currency), status_code=201,
                            headers=headers)
