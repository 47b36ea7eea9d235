"""The catalog."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from tillflow.api import cursors
from tillflow.api.auth import Context, require
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.routes import product_groups
from tillflow.api.schemas import NewProductIn, ProductPatch, ProductWithVariantsIn
from tillflow.api.schemas_out import ProductGroupOut, ProductOut, ProductPageOut, ScanOut
from tillflow.services import catalog, payloads, products, register_catalog
from tillflow.services.context import Actor
from tillflow.services.tokens import CATALOG_READ, CATALOG_WRITE

router = APIRouter(route_class=CheckedRoute, tags=["products"])
Reader = Annotated[Actor, Depends(require(CATALOG_READ))]
Writer = Annotated[Actor, Depends(require(CATALOG_WRITE))]


@router.post("/products", status_code=201, response_model=ProductOut | ProductGroupOut)
def create_product(body: NewProductIn, ctx: Context, _actor: Writer) -> FastJSONResponse:
    """A product of one SKU (``sku``, ``price`` ...), answered as ``GET /products/{sku}``
    shows it; or a product with ``options`` and ``variants``, answered as
    ``GET /product-groups/{id}`` shows it."""
    if isinstance(body, ProductWithVariantsIn):
        made = products.create_group(ctx, product_groups.group_input(body))
        return FastJSONResponse(product_groups.shown(ctx, made), status_code=201)
    product = catalog.create_product(ctx, catalog.ProductInput(**body.model_dump()))
    return FastJSONResponse(payloads.product(product, ctx.currency), status_code=201)


@router.get("/products", response_model=ProductPageOut)
def search_products(
    ctx: Context,
    actor: Reader,
    *,
    query: Annotated[str | None, Query(max_length=100)] = None,
    category: Annotated[str | None, Query(max_length=255)] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> FastJSONResponse:
    """SKUs by SKU; ``query`` matches a SKU, a variant's or its product's name, and
    ``category`` takes that category and those under it (``Clothing`` takes
    ``Clothing/Tees``)."""
    found = catalog.search_products(ctx, query=query or None, after_sku=cursors.decode(cursor),
                                    limit=limit + 1, category=category or None)
    page, more = found[:limit], len(found) > limit
    # A register reads its catalog here; an offline sale of it is priced as it read it.
    register_catalog.remember_prices(ctx, actor, page)
    return FastJSONResponse({
        "items": [payloads.product(p, ctx.currency) for p in page],
        "next_cursor": cursors.encode(page[-1].sku) if more else None,
        "products": [payloads.product_options(g)
                     for g in register_catalog.products_with_options(ctx, page)],
    })


@router.get("/products/by-barcode/{code}", response_model=ScanOut)
def product_by_barcode(code: str, ctx: Context, _actor: Reader) -> FastJSONResponse:
    product, scan = catalog.product_by_barcode(ctx, code)
    found: dict[str, object] = {"product": payloads.product(product, ctx.currency)}
    if scan.quantity is not None:
        found["quantity"] = payloads.quantity(scan.quantity)
    if scan.unit_price is not None:
        found["unit_price"] = ctx.currency.format(scan.unit_price)
    return FastJSONResponse(found)


@router.get("/products/{sku}", response_model=ProductOut)
def get_product(sku: str, ctx: Context, _actor: Reader) -> FastJSONResponse:
    return FastJSONResponse(payloads.product(catalog.get_product(ctx, sku), ctx.currency))


@router.patch("/products/{sku}", response_model=ProductOut)
def update_product(sku: str, body: ProductPatch, ctx: Context,
                   _actor: Writer) -> FastJSONResponse:
    changes = catalog.ProductChanges(**body.model_dump(exclude_unset=True))
    product = catalog.update_product(ctx, sku, changes)
    return FastJSONResponse(payloads.product(product, ctx.currency))
