"""Stock for the back office: levels by product × location with a low-stock filter,
reorder points, and a SKU's ledger history."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from tillflow.api import cursors
from tillflow.api.auth import Context, require
from tillflow.api.fields import Code
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas import Body, Quantity
from tillflow.api.schemas_out import LedgerHistoryOut, ReorderPointOut, StockLevelsOut
from tillflow.domain.errors import InvalidInput
from tillflow.domain.stock_documents import is_low
from tillflow.services import stock_levels
from tillflow.services.context import Actor
from tillflow.services.payloads import quantity
from tillflow.services.tokens import STOCK_READ, STOCK_WRITE

router = APIRouter(route_class=CheckedRoute, tags=["inventory"])
Reader = Annotated[Actor, Depends(require(STOCK_READ))]
Writer = Annotated[Actor, Depends(require(STOCK_WRITE))]
Cursor = Annotated[str | None, Query(max_length=300)]


class ReorderPointIn(Body):
    # At or below this figure the product is low at the location; null removes it.
    reorder_point: Quantity | None


@router.get("/stock-levels", response_model=StockLevelsOut)
def levels(
    *,
    ctx: Context,
    _actor: Reader,
    location: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    low: bool = False,
    query: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> FastJSONResponse:
    rows, last = stock_levels.list_levels(ctx, location=location, low_only=low, query=query,
                                          after=_level_after(cursor), limit=limit)
    return FastJSONResponse({
        "items": [{"sku": r.sku, "name": r.name, "location": r.location,
                   "on_hand": quantity(r.on_hand),
                   "reorder_point": None if r.reorder_point is None
                   else quantity(r.reorder_point),
                   "in_transit": quantity(r.in_transit),
                   "low": is_low(r.on_hand, r.reorder_point)} for r in rows],
        "next_cursor": None if last is None else cursors.encode(f"{last[0]}\n{last[1]}"),
    })


def _level_after(cursor: str | None) -> tuple[str, str] | None:
    raw = cursors.decode(cursor)
    if raw is None:
        return None
    sku, separator, location = raw.partition("\n")
    if not separator:
        raise InvalidInput("cursor is not one this API returned", details={"field": "cursor"})
    return sku, location


@router.put("/stock-levels/{sku}/{location}/reorder-point", response_model=ReorderPointOut)
def set_reorder_point(sku: str, location: str, body: ReorderPointIn, ctx: Context,
                      actor: Writer) -> FastJSONResponse:
    value = stock_levels.set_reorder_point(ctx, actor, sku=sku, location=location,
                                           reorder_point=body.reorder_point)
    return FastJSONResponse({"sku": sku, "location": location,
                             "reorder_point": None if value is None else quantity(value)})


@router.get("/inventory/{sku}/movements", response_model=LedgerHistoryOut)
def movements(
    *,
    sku: str,
    ctx: Context,
    _actor: Reader,
    location: Annotated[Code | None, Query()] = None,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> FastJSONResponse:
    rows, last = stock_levels.history(ctx, sku=sku, location=location,
                                      before=_movement_before(cursor), limit=limit)
    items: list[dict[str, Any]] = [
        {"id": r.id, "location": r.location, "kind": r.kind, "delta": quantity(r.quantity),
         "on_hand": quantity(r.balance_after), "reason": r.reason, "reference": r.reference,
         "actor": r.actor, "occurred_at": r.occurred_at.isoformat()} for r in rows]
    return FastJSONResponse({"sku": sku, "items": items,
                             "next_cursor": None if last is None
                             else cursors.encode(str(last))})


def _movement_before(cursor: str | None) -> int | None:
    raw = cursors.decode(cursor)
    if raw is None:
        return None
    if not raw.isdigit():
        raise InvalidInput("cursor is not one this API returned", details={"field": "cursor"})
    return int(raw)
