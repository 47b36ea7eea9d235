"""Sales made offline at a price the catalog had changed meanwhile, for a person to check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from tillflow.api.auth import Context, require
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas_out import PriceDiscrepanciesOut
from tillflow.services import payloads, register_catalog
from tillflow.services.context import Actor
from tillflow.services.tokens import EVENTS_READ

router = APIRouter(route_class=CheckedRoute, tags=["sales"])
Reader = Annotated[Actor, Depends(require(EVENTS_READ))]


@router.get("/price-discrepancies", response_model=PriceDiscrepanciesOut)
def price_discrepancies(ctx: Context, _actor: Reader,
                        limit: Annotated[int, Query(ge=1, le=500)] = 100) -> FastJSONResponse:
    money = ctx.currency.format
    return FastJSONResponse({"items": [
        {"id": d.id, "sale_id": d.sale_id, "sku": d.sku, "register": d.register,
         "sold_at": money(d.synced_price), "catalog_price": money(d.catalog_price),
         "quantity": payloads.quantity(d.quantity), "synced_at": d.synced_at.isoformat(),
         "created_at": d.created_at.isoformat()}
        for d in register_catalog.price_discrepancies(ctx, limit=limit)]})
