"""The shop's rules on its state directly: SKUs, stock, orders, refunds (no I/O)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tillflow_simulators.common.gtin import is_valid_gtin
from tillflow_simulators.woocommerce import catalog, sales, storefront
from tillflow_simulators.woocommerce.errors import WooError
from tillflow_simulators.woocommerce.state import ShopEvent, ShopSettings, ShopState


def _state(**settings: Any) -> tuple[ShopState, list[ShopEvent]]:
    events: list[ShopEvent] = []
    state = ShopState(
        clock=lambda: datetime(2025, 5, 1, 9, 30, 15, 123456, tzinfo=UTC),
        settings=ShopSettings(**settings),
    )
    state.listeners.append(events.append)
    return state, events


def test_seeded_products_are_unique_and_barcoded() -> None:
    state, _ = _state()
    first = storefront.seed_products(state, 3)
    second = storefront.seed_products(state, 2)
    skus = [p.sku for p in first + second]
    assert len(set(skus)) == 5
    assert all(is_valid_gtin(p.global_unique_id) for p in first + second)
    assert first[0].date_modified == datetime(2025, 5, 1, 9, 30, 15, tzinfo=UTC)


def test_sku_of_a_trashed_product_is_free_again() -> None:
    state, _ = _state()
    product = catalog.create_product(state, {"name": "A", "sku": "A-1"})
    with pytest.raises(WooError):
        catalog.create_product(state, {"name": "B", "sku": "A-1"})
    catalog.delete_product(state, product.id, force=False)
    assert catalog.create_product(state, {"name": "B", "sku": "A-1"}).sku == "A-1"


def test_gtin_must_be_digits_and_unique() -> None:
    state, _ = _state()
    catalog.create_product(state, {"name": "A", "global_unique_id": "4006381333931"})
    for gtin in ("4006381333931", "ABC"):
        with pytest.raises(WooError) as caught:
            catalog.create_product(state, {"name": "B", "global_unique_id": gtin})
        assert caught.value.code == "product_invalid_global_unique_id"


def test_variation_without_own_stock_uses_the_parents() -> None:
    state, _ = _state()
    parent = catalog.create_product(
        state, {"name": "Tee", "type": "variable", "manage_stock": True, "stock_quantity": 6}
    )
    variation = catalog.create_variation(state, parent.id, {"sku": "TEE-S", "regular_price": "9"})
    sales.create_order(state, {"line_items": [{"sku": "TEE-S", "quantity": 2}], "set_paid": True})
    assert parent.stock_quantity == 4
    assert variation.stock_quantity is None
    assert storefront.stock_of(state, "TEE-S") == 4


def test_stock_reduces_once_and_restores_on_pending() -> None:
    state, events = _state()
    product = catalog.create_product(
        state, {"name": "A", "sku": "A", "regular_price": "2.50", "manage_stock": True,
                "stock_quantity": 5},
    )
    order = sales.create_order(state, {"line_items": [{"product_id": product.id, "quantity": 2}]})
    assert product.stock_quantity == 5
    for status in ("on-hold", "processing", "completed"):
        sales.update_order(state, order.id, {"status": status})
    assert product.stock_quantity == 3
    assert order.date_completed is not None
    sales.update_order(state, order.id, {"status": "pending"})
    assert product.stock_quantity == 5
    assert [e.event for e in events if e.resource == "order"] == [
        "created", "updated", "updated", "updated", "updated"
    ]
    assert order.total == order.line_items[0].total


def test_partial_refund_restocks_only_what_was_reduced() -> None:
    state, _ = _state()
    product = catalog.create_product(
        state, {"name": "A", "sku": "A", "regular_price": "4", "manage_stock": True,
                "stock_quantity": 5},
    )
    order = sales.create_order(
        state, {"line_items": [{"sku": "A", "quantity": 2}], "set_paid": True}
    )
    item = order.line_items[0]
    sales.create_refund(
        state, order.id, {"line_items": [{"id": item.id, "quantity": 5, "refund_total": "4"}]}
    )
    assert product.stock_quantity == 5
    assert order.status == "processing"
    assert order.refunded == 4


def test_checkout_refuses_short_stock_but_allows_backorders() -> None:
    state, _ = _state()
    catalog.create_product(
        state, {"name": "A", "sku": "A", "regular_price": "1", "manage_stock": True,
                "stock_quantity": 1},
    )
    with pytest.raises(sales.OutOfStockError):
        storefront.place_order(state, [("A", 2)])
    storefront.set_stock(state, "A", 1)
    catalog.update_product(state, storefront.require_sku(state, "A").id, {"backorders": "yes"})
    order = storefront.place_order(state, [("A", 2)])
    assert order.status == "processing"
    assert storefront.stock_of(state, "A") == -1
    assert storefront.require_sku(state, "A").stock_status == "onbackorder"


def test_silent_stock_change_announces_nothing() -> None:
    state, events = _state()
    storefront.seed_products(state, 1)
    sku = next(iter(state.products.values())).sku
    events.clear()
    storefront.set_stock(state, sku, 42)
    assert events == []
    storefront.set_stock(state, sku, 41, announce=True)
    assert [(e.resource, e.event) for e in events] == [("product", "updated")]
