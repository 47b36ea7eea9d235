"""Seeding a shop with products a sync can work on: one variant each, a SKU, a valid
EAN-13 barcode (GS1 prefix 200, reserved for in-store numbering) and stock at the
primary location."""

from __future__ import annotations

from decimal import Decimal

from tillflow_simulators.common.gtin import with_check_digit
from tillflow_simulators.shopify.model import Product
from tillflow_simulators.shopify.store import ShopStore


def seed_sku(index: int) -> str:
    return f"SIM-{index:06d}"


def seed_barcode(index: int) -> str:
    return with_check_digit(f"200{index:09d}")


def seed_products(store: ShopStore, count: int, *, start: int | None = None) -> list[Product]:
    """Add ``count`` products numbered after those already there."""
    with store.lock:
        first = len(store.products) + 1 if start is None else start
        created = []
        for index in range(first, first + count):
            product = store.create_product(title=f"Simulated product {index}")
            variant = product.variants[0]
            assert variant.inventory_item is not None
            variant.inventory_item.sku = seed_sku(index)
            variant.barcode = seed_barcode(index)
            variant.price = Decimal(index % 50) + Decimal("4.99")
            level = variant.inventory_item.levels[store.primary_location.number]
            level.quantities["available"] = 10 + index % 20
            created.append(product)
        return created
