"""Transfers between locations: sent (in transit), then received or cancelled."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query
from pydantic import Field

from tillflow.api.auth import Context, require
from tillflow.api.fields import Code, Text
from tillflow.api.idempotency import checked_key
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.routes.goods_receipts import request_hash
from tillflow.api.schemas import Body, Quantity
from tillflow.api.schemas_out import StockTransferOut, StockTransfersOut
from tillflow.services import stock_transfers
from tillflow.services.context import Actor
from tillflow.services.tokens import STOCK_READ, STOCK_WRITE

router = APIRouter(route_class=CheckedRoute, prefix="/stock-transfers", tags=["inventory"])
Reader = Annotated[Actor, Depends(require(STOCK_READ))]
Writer = Annotated[Actor, Depends(require(STOCK_WRITE))]


class TransferLineIn(Body):
    sku: Code
    quantity: Quantity


class TransferIn(Body):
    from_location: Code
    to_location: Code
    lines: list[TransferLineIn] = Field(min_length=1, max_length=500)
    note: Annotated[Text, Field(max_length=200)] | None = None


@router.post("", status_code=201, response_model=StockTransferOut)
def send(body: TransferIn, ctx: Context, actor: Writer,
         idempotency_key: Annotated[str | None, Header()] = None) -> FastJSONResponse:
    request = stock_transfers.TransferRequest(
        from_location=body.from_location, to_location=body.to_location, note=body.note,
        lines=[stock_transfers.TransferLineRequest(**line.model_dump()) for line in body.lines])
    transfer, created = stock_transfers.send(
        ctx, actor, request, idempotency_key=checked_key(idempotency_key),
        request_hash=request_hash(body.model_dump(mode="json")))
    return FastJSONResponse(stock_transfers.describe(transfer), status_code=201,
                            headers=None if created else {"Idempotent-Replayed": "true"})


@router.get("", response_model=StockTransfersOut)
def list_transfers(ctx: Context, _actor: Reader,
                   status: Literal["sent", "received", "cancelled"] | None = None,
                   limit: Annotated[int, Query(ge=1, le=200)] = 50) -> FastJSONResponse:
    return FastJSONResponse({"items": [stock_transfers.describe(t) for t in
                                       stock_transfers.list_transfers(ctx, status=status,
                                                                      limit=limit)]})


@router.get("/{transfer_id}", response_model=StockTransferOut)
def get_transfer(transfer_id: str, ctx: Context, _actor: Reader) -> FastJSONResponse:
    return FastJSONResponse(stock_transfers.describe(stock_transfers.get_transfer(ctx,
                                                                                  transfer_id)))


@router.post("/{transfer_id}/receive", response_model=StockTransferOut)
def receive(transfer_id: str, ctx: Context, actor: Writer) -> FastJSONResponse:
    return FastJSONResponse(stock_transfers.describe(stock_transfers.receive(ctx, actor,
                                                                             transfer_id)))


@router.post("/{transfer_id}/cancel", response_model=StockTransferOut)
def cancel(transfer_id: str, ctx: Context, actor: Writer) -> FastJSONResponse:
    return FastJSONResponse(stock_transfers.describe(stock_transfers.cancel(ctx, actor,
                                                                            transfer_id)))
