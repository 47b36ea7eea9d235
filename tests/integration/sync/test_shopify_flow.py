"""A till and a Shopify shop kept in step, end to end over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.sync import SyncedStore, connect_shopify, synced_store
from tillflow.services.context import ServiceContext
from tillflow_simulators.shopify import ShopifySimulator

SECRET = "whsec-test"


@pytest.fixture
def shop() -> Iterator[ShopifySimulator]:
    with ShopifySimulator(webhook_secret=SECRET) as sim:
        yield sim


@pytest.fixture
def store(ctx: ServiceContext, shop: ShopifySimulator) -> Iterator[SyncedStore]:
    with synced_store(ctx) as synced:
        connect_shopify(synced, shop, webhook_secret=SECRET, price="12.50")
        yield synced


def _sales(store: SyncedStore) -> list[dict[str, object]]:
    items: list[dict[str, object]] = store.api.ok(
        store.api.get("/sales", channel="shopify"))["items"]
    return items


def test_connecting_pushes_catalog_stock_and_subscribes_webhooks(
        store: SyncedStore, shop: ShopifySimulator) -> None:
    # A push the loaded machine made time out waits for its retry: settled means done.
    store.work(until=lambda: store.api.ok(store.api.get("/connections/shop"))["pending"] == 0)
    store.settle()
    check = store.api.ok(store.api.post("/connections/shop/check"))
    assert check["ok"], check
    assert {"ORDERS_CREATE", "ORDERS_CANCELLED"} <= set(check["webhooks"])
    health = store.api.ok(store.api.get("/connections/shop/health"))
    assert health["state"] == "ok"
    assert health["webhook_url"] == f"{store.url}/webhooks/shop"
    shown = store.api.ok(store.api.get("/connections/shop"))
    assert (shown["state"], shown["pending"], shown["failed"]) == ("ok", 0, 0)
    assert "access_token" in shown["secrets"]
    metrics = store.api.client.get("/metrics", headers=store.api.headers("integration")).text
    assert 'tillflow_sync_queue_depth{connection="shop"} 0.0' in metrics
    assert 'tillflow_sync_deliveries_total{connection="shop",kind="stock",outcome="done"}' \
        in metrics
    assert 'tillflow_sync_rate_budget_used_ratio{connection="shop"}' in metrics


def test_web_order_becomes_one_sale_and_pos_sale_reaches_the_shop(
        store: SyncedStore, shop: ShopifySimulator) -> None:
    order = shop.place_order([("A1", 3)], customer={"email": "Ana@Example.com"})
    store.work(until=lambda: len(_sales(store)) == 1)
    [sale] = _sales(store)
    assert sale["external_id"] == order.id
    assert store.api.on_hand("A1", "S1") == 7

    store.api.ok(store.api.post("/sales", {
        "location": "S1", "lines": [{"sku": "A1", "quantity": 2}],
        "payments": [{"method": "cash", "amount": "50.00"}]},
        headers={"Idempotency-Key": "pos-1"}), 201)
    store.work(until=lambda: shop.available("A1") == 5)
    customers = store.api.ok(store.api.get("/customers", email="ana@example.com"))["items"]
    assert len(customers) == 1

    shop.cancel_order(order.id)
    store.work(until=lambda: store.api.on_hand("A1", "S1") == 8)
    store.settle()
    assert shop.available("A1") == 8
    assert len(_sales(store)) == 1
