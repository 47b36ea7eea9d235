"""Counting sessions: open, add scanned or typed counts, review, post or cancel."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query
from pydantic import Field

from tillflow.api.auth import Context, require
from tillflow.api.fields import Barcode, Code, Text
from tillflow.api.idempotency import checked_key
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.routes.goods_receipts import request_hash
from tillflow.api.schemas import Body, Quantity
from tillflow.api.schemas_out import StockCountOut, StockCountsOut
from tillflow.services import stock_counts
from tillflow.services.context import Actor
from tillflow.services.tokens import STOCK_READ, STOCK_WRITE

router = APIRouter(route_class=CheckedRoute, prefix="/stock-counts", tags=["inventory"])
Reader = Annotated[Actor, Depends(require(STOCK_READ))]
Writer = Annotated[Actor, Depends(require(STOCK_WRITE))]


class CountOpenIn(Body):
    location: Code
    note: Annotated[Text, Field(max_length=200)] | None = None


class CountEntryIn(Body):
    # A scan (barcode; adds quantity, 1 unless sent) or a typed count (sku; mode "set"
    # replaces the figure, "add" adds to it).
    sku: Code | None = None
    barcode: Barcode | None = None
    quantity: Quantity = 1
    mode: Literal["add", "set"] | None = None


@router.post("", status_code=201, response_model=StockCountOut)
def open_count(body: CountOpenIn, ctx: Context, actor: Writer,
               idempotency_key: Annotated[str | None, Header()] = None) -> FastJSONResponse:
    review, created = stock_counts.open_count(
        ctx, actor, location=body.location, note=body.note,
        idempotency_key=checked_key(idempotency_key),
        request_hash=request_hash(body.model_dump(mode="json")))
    return FastJSONResponse(stock_counts.describe(review), status_code=201,
                            headers=None if created else {"Idempotent-Replayed": "true"})


@router.get("", response_model=StockCountsOut)
def list_counts(ctx: Context, _actor: Reader,
                status: Literal["open", "posted", "cancelled"] | None = None,
                limit: Annotated[int, Query(ge=1, le=200)] = 50) -> FastJSONResponse:
    return FastJSONResponse({"items": [stock_counts.describe(r) for r in
                                       stock_counts.list_counts(ctx, status=status,
                                                                limit=limit)]})


@router.get("/{count_id}", response_model=StockCountOut)
def review(count_id: str, ctx: Context, _actor: Reader) -> FastJSONResponse:
    return FastJSONResponse(stock_counts.describe(stock_counts.review(ctx, count_id)))


@router.post("/{count_id}/entries", response_model=StockCountOut)
def add_entry(count_id: str, body: CountEntryIn, ctx: Context,
              actor: Writer) -> FastJSONResponse:
    entry = stock_counts.CountEntry(sku=body.sku, barcode=body.barcode,
                                    quantity=body.quantity, mode=body.mode)
    return FastJSONResponse(stock_counts.describe(stock_counts.record(ctx, actor, count_id,
                                                                      entry)))


@router.post("/{count_id}/post", response_model=StockCountOut)
def post(count_id: str, ctx: Context, actor: Writer) -> FastJSONResponse:
    return FastJSONResponse(stock_counts.describe(stock_counts.post(ctx, actor, count_id)))


@router.post("/{count_id}/cancel", response_model=StockCountOut)
def cancel(count_id: str, ctx: Context, actor: Writer) -> FastJSONResponse:
    return FastJSONResponse(stock_counts.describe(stock_counts.cancel(ctx, actor, count_id)))
