"""A register's own state on the server: sales parked there (resumed there, once) and the
favourite products it shows as buttons."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import Field

from tillflow.api.auth import Context, require
from tillflow.api.fields import Code, Text
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas import Amount, Body, SaleLineIn
from tillflow.api.schemas_out import FavouritesOut, ParkedSaleOut, ParkedSalesOut
from tillflow.ports.records import ParkedSale
from tillflow.services import till
from tillflow.services.context import Actor
from tillflow.services.tokens import CATALOG_READ, SALES_WRITE

router = APIRouter(route_class=CheckedRoute, tags=["registers"])
Seller = Annotated[Actor, Depends(require(SALES_WRITE))]
Reader = Annotated[Actor, Depends(require(CATALOG_READ))]


class CartIn(Body):
    lines: list[SaleLineIn] = Field(min_length=1, max_length=500)
    discount: Amount | None = None
    customer: Annotated[Text, Field(pattern=r"^[0-9a-fA-F-]{1,64}$")] | None = None


class ParkIn(Body):
    label: Annotated[Text, Field(max_length=100)] = ""
    cart: CartIn


class FavouritesIn(Body):
    skus: list[Code] = Field(max_length=till.MAX_FAVOURITES)


@router.post("/registers/{code}/parked-sales", status_code=201, response_model=ParkedSaleOut)
def park(code: str, body: ParkIn, ctx: Context, actor: Seller) -> FastJSONResponse:
    parked = till.park_sale(ctx, actor, code, label=body.label,
                            cart=body.cart.model_dump(mode="json", exclude_none=True))
    return FastJSONResponse(_parked(parked), status_code=201)


@router.get("/registers/{code}/parked-sales", response_model=ParkedSalesOut)
def parked(code: str, ctx: Context, actor: Seller) -> FastJSONResponse:
    return FastJSONResponse({"items": [_parked(p) for p in till.parked_sales(ctx, actor, code)]})


@router.delete("/registers/{code}/parked-sales/{parked_id}", response_model=ParkedSaleOut)
def resume(code: str, parked_id: str, ctx: Context, actor: Seller) -> FastJSONResponse:
    return FastJSONResponse(_parked(till.resume_sale(ctx, actor, code, parked_id)))


@router.get("/registers/{code}/favourites", response_model=FavouritesOut)
def favourites(code: str, ctx: Context, _actor: Reader) -> FastJSONResponse:
    return FastJSONResponse({"register": code, "skus": till.favourites(ctx, code)})


@router.put("/registers/{code}/favourites", response_model=FavouritesOut)
def set_favourites(code: str, body: FavouritesIn, ctx: Context,
                   actor: Seller) -> FastJSONResponse:
    return FastJSONResponse({"register": code,
                             "skus": till.set_favourites(ctx, actor, code, body.skus)})


def _parked(parked: ParkedSale) -> dict[str, Any]:
    return {"id": parked.id, "register": parked.register, "label": parked.label,
            "cart": parked.cart, "parked_by": parked.parked_by,
            "parked_at": parked.parked_at.isoformat()}
