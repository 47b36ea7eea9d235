"""A product with options reaches Shopify (the simulator, on Shopify's own schema) as one
product with its options and variants, written with productSet, and stays one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from support.sync import TEE_CHANGES, SyncedStore, shop_stock, shopify_synced, tee_with_variants
from tillflow.services.context import ServiceContext
from tillflow_simulators.shopify import ShopifySimulator
from tillflow_simulators.shopify.model import Product, ProductVariant

SECRET = "whsec-variants"


@pytest.fixture
def synced(ctx: ServiceContext) -> Iterator[tuple[SyncedStore, ShopifySimulator]]:
    with shopify_synced(ctx, secret=SECRET, price="12.50", skus=("MUG",)) as (store, shop):
        store.settle()
        yield store, shop


def _product(shop: ShopifySimulator, sku: str) -> Product:
    product = shop.shop.variant(sku).product
    assert product is not None
    return product


def _sku(variant: ProductVariant) -> str:
    return (variant.inventory_item.sku if variant.inventory_item else None) or ""


def _shown(product: Product) -> dict[str, tuple[str, ...]]:
    return {_sku(v): tuple(o["value"] for o in v.selected_options) for v in product.variants}


def _tee(store: SyncedStore) -> dict[str, Any]:
    made: dict[str, Any] = store.api.ok(store.api.post("/products", tee_with_variants()), 201)
    return made


def test_a_product_with_variants_is_one_shopify_product(
        synced: tuple[SyncedStore, ShopifySimulator]) -> None:
    store, shop = synced
    tee = _tee(store)
    store.api.stock("TEE-M-R", "S1", 6)
    store.work(until=lambda: shop_stock(shop, "TEE-M-R") == 6)
    store.settle()
    product = _product(shop, "TEE-S-R")
    assert [(o.name, o.values) for o in product.options] == [
        ("Size", ["S", "M"]), ("Colour", ["Red", "Blue"])]
    assert _shown(product) == {"TEE-S-R": ("S", "Red"), "TEE-S-B": ("S", "Blue"),
                               "TEE-M-R": ("M", "Red"), "TEE-M-B": ("M", "Blue")}
    assert product.handle == f"tillflow-product-{tee['id']}"
    # The simple product stays a product of its own.
    assert _product(shop, "MUG") is not product

    # A size added and a variant renamed by its product: the same Shopify product and the
    # same variants, their stock untouched; a new variant starts with tillflow's figure.
    variant_ids = {_sku(v): v.id for v in product.variants}
    store.api.ok(store.api.patch(f"/product-groups/{tee['id']}", TEE_CHANGES))
    store.work(until=lambda: "TEE-L-R" in _shown(_product(shop, "TEE-S-R")))
    store.settle()
    again = _product(shop, "TEE-L-R")
    assert again is product
    assert again.title == "Tee classic"
    assert _shown(again) == {"TEE-S-R": ("S", "Red"), "TEE-M-R": ("M", "Red"),
                             "TEE-M-B": ("M", "Blue"), "TEE-L-R": ("L", "Red")}
    assert {_sku(v): v.id for v in again.variants if _sku(v) != "TEE-L-R"} == {
        sku: vid for sku, vid in variant_ids.items() if sku != "TEE-S-B"}
    assert shop.available("TEE-M-R") == 6
    assert shop.available("TEE-L-R") == 0

    # Stock moves of a variant reach it as any SKU's do.
    store.api.stock("TEE-L-R", "S1", 3)
    store.work(until=lambda: shop_stock(shop, "TEE-L-R") == 3)

    # Withdrawn from sale, a variant leaves the product (Shopify has no status per variant).
    store.api.ok(store.api.patch("/products/TEE-M-B", {"active": False}))
    store.work(until=lambda: "TEE-M-B" not in _shown(_product(shop, "TEE-S-R")))
    store.settle()
    assert _product(shop, "TEE-S-R").status == "ACTIVE"
    assert store.api.ok(store.api.get("/connections/shop/dead-letters"))["items"] == []


def test_a_simple_product_that_gains_an_option_stays_the_same_shopify_product(
        synced: tuple[SyncedStore, ShopifySimulator]) -> None:
    store, shop = synced
    mug = store.api.ok(store.api.get("/products/MUG"))
    before = _product(shop, "MUG")
    store.api.ok(store.api.patch(f"/product-groups/{mug['product_id']}", {
        "options": [{"name": "Colour", "values": ["White", "Black"]}],
        "variants": [{"sku": "MUG-BLACK", "price": "13.00",
                      "options": {"Colour": "Black"}}]}))
    store.work(until=lambda: shop_stock(shop, "MUG-BLACK") is not None)
    store.settle()
    after = _product(shop, "MUG-BLACK")
    assert after is before
    assert _shown(after) == {"MUG": ("White",), "MUG-BLACK": ("Black",)}
    assert shop.available("MUG") == 10
