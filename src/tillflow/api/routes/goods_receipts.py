"""Goods received at a location, many lines at once with their unit cost (idempotent on
the Idempotency-Key header)."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Header, Query
from pydantic import Field

from tillflow.api.auth import Context, require
from tillflow.api.fields import Code, Text
from tillflow.api.idempotency import checked_key
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas import Amount, Body, Quantity
from tillflow.api.schemas_out import GoodsReceiptOut, GoodsReceiptsOut
from tillflow.domain.errors import NotFound
from tillflow.services import goods_receipts
from tillflow.services.context import Actor
from tillflow.services.tokens import STOCK_READ, STOCK_WRITE

router = APIRouter(route_class=CheckedRoute, prefix="/goods-receipts", tags=["inventory"])
Reader = Annotated[Actor, Depends(require(STOCK_READ))]
Writer = Annotated[Actor, Depends(require(STOCK_WRITE))]


class ReceiptLineIn(Body):
    sku: Code
    quantity: Quantity
    unit_cost: Amount


class ReceiptIn(Body):
    location: Code
    lines: list[ReceiptLineIn] = Field(min_length=1, max_length=500)
    reference: Annotated[Text, Field(min_length=1, max_length=100)] | None = None


@router.post("", status_code=201, response_model=GoodsReceiptOut)
def receive(body: ReceiptIn, ctx: Context, actor: Writer,
            idempotency_key: Annotated[str | None, Header()] = None) -> FastJSONResponse:
    request = goods_receipts.ReceiptRequest(
        location=body.location, reference=body.reference,
        lines=[goods_receipts.ReceiptLineRequest(**line.model_dump()) for line in body.lines])
    receipt, created = goods_receipts.receive(
        ctx, actor, request, idempotency_key=checked_key(idempotency_key),
        request_hash=request_hash(body.model_dump(mode="json")))
    return FastJSONResponse(goods_receipts.describe(ctx, receipt), status_code=201,
                            headers=None if created else {"Idempotent-Replayed": "true"})


@router.get("", response_model=GoodsReceiptsOut)
def list_receipts(ctx: Context, _actor: Reader,
                  limit: Annotated[int, Query(ge=1, le=200)] = 50) -> FastJSONResponse:
    return FastJSONResponse({"items": [goods_receipts.describe(ctx, r)
                                       for r in goods_receipts.list_receipts(ctx, limit=limit)]})


@router.get("/{receipt_id}", response_model=GoodsReceiptOut)
def get_receipt(receipt_id: str, ctx: Context, _actor: Reader) -> FastJSONResponse:
    found = goods_receipts.get_receipt(ctx, receipt_id)
    if found is None:
        raise NotFound(f"no goods receipt {receipt_id!r}", details={"id": receipt_id})
    return FastJSONResponse(goods_receipts.describe(ctx, found))


def request_hash(body: dict[str, Any]) -> str:
    """The same request in another JSON layout is still the same request."""
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()
