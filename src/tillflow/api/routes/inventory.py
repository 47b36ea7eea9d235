"""Stock levels and the movements that change them."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from tillflow.api.auth import Context, require
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas import AdjustmentIn, CountIn, TransferIn
from tillflow.api.schemas_out import DiscrepanciesOut, MovementOut, StockOut, TransferOut
from tillflow.ports.records import RecordedMovement
from tillflow.services import inventory, payloads
from tillflow.services.context import Actor
from tillflow.services.tokens import STOCK_READ, STOCK_WRITE

router = APIRouter(route_class=CheckedRoute, prefix="/inventory", tags=["inventory"])
Reader = Annotated[Actor, Depends(require(STOCK_READ))]
Writer = Annotated[Actor, Depends(require(STOCK_WRITE))]


def _movement(recorded: RecordedMovement, sku: str, location: str) -> dict[str, object]:
    return {"sku": sku, "location": location, "kind": recorded.movement.kind.value,
            "delta": payloads.quantity(recorded.movement.quantity),
            "on_hand": payloads.quantity(recorded.balance_after),
            "reason": recorded.movement.reason}


@router.get("/discrepancies", response_model=DiscrepanciesOut)
def discrepancies(
    ctx: Context,
    _actor: Reader,
    status: Annotated[Literal["open", "all"], Query()] = "open",
) -> FastJSONResponse:
    found = inventory.list_discrepancies(ctx, open_only=status == "open")
    return FastJSONResponse({"items": [
        {"id": d.id, "sku": d.sku, "location": d.location, "sale_id": d.sale_id,
         "shortfall": payloads.quantity(d.shortfall),
         "on_hand_after": payloads.quantity(d.on_hand_after), "reason": d.reason,
         "created_at": d.created_at.isoformat(),
         "resolved_at": d.resolved_at.isoformat() if d.resolved_at else None}
        for d in found
    ]})


@router.get("/{sku}", response_model=StockOut)
def stock_of(sku: str, ctx: Context, _actor: Reader) -> FastJSONResponse:
    product, levels = inventory.stock_of(ctx, sku)
    return FastJSONResponse(payloads.stock_levels(product.sku, levels))


@router.post("/adjustments", status_code=201, response_model=MovementOut)
def adjust(body: AdjustmentIn, ctx: Context, actor: Writer) -> FastJSONResponse:
    recorded = inventory.adjust(ctx, actor, sku=body.sku, location=body.location,
                                delta=body.delta, reason=body.reason, kind=body.kind)
    return FastJSONResponse(_movement(recorded, body.sku, body.location), status_code=201)


@router.post("/counts", status_code=201, response_model=MovementOut)
def count(body: CountIn, ctx: Context, actor: Writer) -> FastJSONResponse:
    recorded = inventory.count(ctx, actor, sku=body.sku, location=body.location,
                               counted=body.counted)
    return FastJSONResponse(_movement(recorded, body.sku, body.location), status_code=201)


@router.post("/transfers", status_code=201, response_model=TransferOut)
def transfer(body: TransferIn, ctx: Context, actor: Writer) -> FastJSONResponse:
    recorded = inventory.transfer(ctx, actor, sku=body.sku, from_location=body.from_location,
                                  to_location=body.to_location, quantity=body.quantity)
    out = next(r for r in recorded if r.movement.quantity < 0)
    into = next(r for r in recorded if r.movement.quantity > 0)
    return FastJSONResponse({
        "sku": body.sku,
        "from": _movement(out, body.sku, body.from_location),
        "to": _movement(into, body.sku, body.to_location),
    }, status_code=201)
