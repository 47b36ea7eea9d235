"""A till and a WooCommerce shop kept in step, end to end over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.sync import SyncedStore, synced_store
from tillflow.services.context import ServiceContext
from tillflow_simulators.woocommerce import WooCommerceSimulator
from tillflow_simulators.woocommerce.errors import WooError


@pytest.fixture
def shop() -> Iterator[WooCommerceSimulator]:
    with WooCommerceSimulator() as sim:
        yield sim


@pytest.fixture
def store(ctx: ServiceContext, shop: WooCommerceSimulator) -> Iterator[SyncedStore]:
    key, secret = shop.auth
    with synced_store(ctx) as synced:
        api = synced.api
        api.location("S1")
        api.product("W1", "8.00")
        api.stock("W1", "S1", 6)
        api.ok(api.post("/connections", {
            "name": "woo", "platform": "woocommerce",
            "settings": {"shop_url": shop.url, "ca_file": str(shop.certificate),
                         "location": "S1", "safety_buffer": 1},
            "secrets": {"consumer_key": key, "consumer_secret": secret,
                        "webhook_secret": "woo-hook-secret"},
        }), 201)
        synced.work(until=lambda: _shown(shop, "W1") == 5)
        yield synced


def _shown(shop: WooCommerceSimulator, sku: str) -> int | None:
    try:
        return shop.stock(sku)
    except WooError:  # not created in the shop yet
        return None


def test_stock_goes_out_less_the_safety_buffer_and_web_orders_come_back_as_sales(
        store: SyncedStore, shop: WooCommerceSimulator) -> None:
    check = store.api.ok(store.api.post("/connections/woo/check"))
    assert check["ok"], check
    order = shop.place_order([("W1", 2)], billing={"email": "bo@example.com"})
    store.work(until=lambda: store.api.on_hand("W1", "S1") == 4)
    sales = store.api.ok(store.api.get("/sales", channel="woocommerce"))["items"]
    assert [s["external_id"] for s in sales] == [str(order["id"])]
    store.settle()
    assert shop.stock("W1") == 3


def test_a_shop_product_without_stock_management_is_a_dead_letter_of_its_own(
        store: SyncedStore, shop: WooCommerceSimulator) -> None:
    with shop.client() as woo:
        made = woo.post("/products", json={"name": "Loose", "sku": "W2",
                                           "regular_price": "2.00"})
        assert made.status_code == 201, made.text
    store.api.product("W2", "2.00")
    store.api.stock("W2", "S1", 4)
    store.api.stock("W1", "S1", 2)  # W1 now 8 on hand: 7 offered
    store.work(until=lambda: _dead(store) != [] and _shown(shop, "W1") == 7)
    [dead] = _dead(store)
    assert dead["key"] == "sku:W2"
    assert "Manage stock" in dead["last_error"]
    assert shop.stock("W2") is None  # nothing was written, and WooCommerce says so


def _dead(store: SyncedStore) -> list[dict[str, str]]:
    items: list[dict[str, str]] = store.api.ok(
        store.api.get("/connections/woo/dead-letters"))["items"]
    return [d for d in items if d["kind"] == "stock"]
