"""Products themselves: their name, category, options and variants, read and changed
whole (each variant is also a SKU under ``/products``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from tillflow.api import cursors
from tillflow.api.auth import Context, require
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas import ProductGroupPatch, ProductWithVariantsIn, VariantChangeIn
from tillflow.api.schemas_out import ProductGroupOut, ProductGroupPageOut
from tillflow.domain.errors import InvalidInput
from tillflow.services import payloads, products
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.tokens import CATALOG_READ, CATALOG_WRITE

router = APIRouter(route_class=CheckedRoute, tags=["products"])
Reader = Annotated[Actor, Depends(require(CATALOG_READ))]
Writer = Annotated[Actor, Depends(require(CATALOG_WRITE))]


@router.get("/product-groups", response_model=ProductGroupPageOut)
def list_groups(
    ctx: Context,
    _actor: Reader,
    q: Annotated[str | None, Query(max_length=100)] = None,
    category: Annotated[str | None, Query(max_length=255)] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> FastJSONResponse:
    """Products by id with their variants; ``q`` matches a product's name or one of its
    SKUs, ``category`` takes that category and those under it."""
    found = products.list_groups(ctx, query=q or None, category=category or None,
                                 after_id=_after(cursor), limit=limit + 1)
    page, more = found[:limit], len(found) > limit
    return FastJSONResponse({
        "items": [shown(ctx, view) for view in page],
        "next_cursor": cursors.encode(str(page[-1].group.id)) if more else None,
    })


@router.get("/product-groups/{group_id}", response_model=ProductGroupOut)
def get_group(group_id: int, ctx: Context, _actor: Reader) -> FastJSONResponse:
    return FastJSONResponse(shown(ctx, products.get_group(ctx, group_id)))


@router.patch("/product-groups/{group_id}", response_model=ProductGroupOut)
def update_group(group_id: int, body: ProductGroupPatch, ctx: Context,
                 _actor: Writer) -> FastJSONResponse:
    """Change the product: its name, category, tax rate (all its variants'), options (new
    values and options; existing variants take a new option's first value), and variants:
    change one by its SKU, add one with a new SKU, remove some. A removed variant that
    sales, stock or documents refer to stays, inactive; one nothing refers to is deleted."""
    changes = products.GroupChanges(
        name=body.name, category=body.category, tax_rate=body.tax_rate,
        options=None if body.options is None else [(o.name, o.values) for o in body.options],
        variants=[_variant(v) for v in body.variants], remove=body.remove)
    return FastJSONResponse(shown(ctx, products.update_group(ctx, group_id, changes)))


def group_input(body: ProductWithVariantsIn) -> products.GroupInput:
    return products.GroupInput(
        name=body.name, tax_rate=body.tax_rate, category=body.category,
        options=[(o.name, o.values) for o in body.options],
        variants=[products.VariantInput(sku=v.sku, options=v.options, price=v.price,
                                        barcodes=v.barcodes, cost=v.cost, active=v.active)
                  for v in body.variants])


def shown(ctx: ServiceContext, view: products.GroupView) -> dict[str, Any]:
    return payloads.product_group(view.group, view.variants, ctx.currency)


def _variant(body: VariantChangeIn) -> products.VariantInput:
    return products.VariantInput(sku=body.sku, options=body.options, price=body.price,
                                 barcodes=body.barcodes, cost=body.cost, active=body.active)


def _after(cursor: str | None) -> int | None:
    position = cursors.decode(cursor)
    if position is None:
        return None
    if not position.isdigit():
        raise InvalidInput("cursor is not one this API returned", details={"field": "cursor"})
    return int(position)
