"""One contract for the commerce port: the in-memory fake and every connector pass it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest

from tillflow.connectors.shopify import webhooks as shopify_webhooks
from tillflow.connectors.shopify.factory import shopify_channel
from tillflow.connectors.woocommerce import webhooks as woo_webhooks
from tillflow.connectors.woocommerce.factory import woocommerce_channel
from tillflow.simulators.shopify import ShopifySimulator
from tillflow.simulators.woocommerce import WooCommerceSimulator
from tillflow.sync.memory import MemoryChannel, MemoryShop
from tillflow.sync.port import (
    ORDER,
    BadWebhook,
    CommerceChannel,
    ProductData,
    Rejected,
    StaleStock,
    StockTarget,
    Upserted,
)

SECRET = "contract-secret"


@dataclass
class Shop:
    channel: CommerceChannel
    place_order: Callable[[str, int], str]
    signed: Callable[[str], tuple[dict[str, str], bytes]]


def _memory() -> Iterator[Shop]:
    shop = MemoryShop(secret=SECRET)

    def signed(order_id: str) -> tuple[dict[str, str], bytes]:
        body = json.dumps({"topic": "order", "id": order_id, "event_id": "e1"}).encode()
        return {"x-memory-signature": shop.sign(body)}, body

    yield Shop(MemoryChannel(shop), lambda sku, qty: shop.place_order([(sku, qty)]), signed)


def _shopify() -> Iterator[Shop]:
    with ShopifySimulator(webhook_secret=SECRET) as sim:
        channel = shopify_channel({"shop_url": sim.url},
                                  {"access_token": sim.access_token, "webhook_secret": SECRET})

        def signed(order_id: str) -> tuple[dict[str, str], bytes]:
            body = json.dumps({"admin_graphql_api_id": order_id, "id": 1}).encode()
            return {"x-shopify-hmac-sha256": shopify_webhooks.signature(SECRET, body),
                    "x-shopify-topic": "orders/create", "x-shopify-event-id": "e1"}, body

        yield Shop(channel, lambda sku, qty: sim.place_order([(sku, qty)]).id, signed)
        channel.close()


def _woocommerce() -> Iterator[Shop]:
    with WooCommerceSimulator() as sim:
        key, secret = sim.auth
        channel = woocommerce_channel({"shop_url": sim.url},
                                      {"consumer_key": key, "consumer_secret": secret,
                                       "webhook_secret": SECRET})

        def signed(order_id: str) -> tuple[dict[str, str], bytes]:
            body = json.dumps({"id": int(order_id),
                               "date_modified_gmt": "2026-01-01T00:00:00"}).encode()
            return {"x-wc-webhook-signature": woo_webhooks.signature(SECRET, body),
                    "x-wc-webhook-topic": "order.created"}, body

        yield Shop(channel, lambda sku, qty: str(sim.place_order([(sku, qty)])["id"]), signed)
        channel.close()


@pytest.fixture(params=["memory", "shopify", "woocommerce"])
def shop(request: pytest.FixtureRequest) -> Iterator[Shop]:
    yield from {"memory": _memory, "shopify": _shopify,
                "woocommerce": _woocommerce}[request.param]()


def _product(shop: Shop, sku: str = "C-1", price: str = "9.90") -> Upserted:
    return shop.channel.upsert_product(ProductData(sku=sku, title=f"Product {sku}",
                                                   price=Decimal(price), barcode=None,
                                                   status="active"))


def test_products_are_created_once_and_updated(shop: Shop) -> None:
    first = _product(shop)
    again = _product(shop, price="11.00")
    assert (first.external_id, first.created) == (again.external_id, True)
    assert not again.created
    listed, _next = shop.channel.products(None)
    [found] = [p for p in listed if p.sku == "C-1"]
    assert found.price == Decimal("11.00")
    assert shop.channel.stock(["C-1"], shop.channel.primary_location) == {"C-1": 0}


def test_stock_is_set_only_from_the_figure_it_was_read_at(shop: Shop) -> None:
    _product(shop)
    where = shop.channel.primary_location
    shop.channel.set_stock([StockTarget("C-1", where, 7, expected=0)], idempotency_key="k1")
    assert shop.channel.stock(["C-1"], where) == {"C-1": 7}
    with pytest.raises(StaleStock):
        shop.channel.set_stock([StockTarget("C-1", where, 3, expected=0)], idempotency_key="k2")
    assert shop.channel.stock(["C-1"], where) == {"C-1": 7}


def test_unknown_skus_are_refused(shop: Shop) -> None:
    where = shop.channel.primary_location
    assert shop.channel.stock(["NOPE"], where) == {}
    with pytest.raises(Rejected):
        shop.channel.set_stock([StockTarget("NOPE", where, 1, expected=0)], idempotency_key="k")


def test_web_orders_are_read_by_id_and_changes_since_a_cursor(shop: Shop) -> None:
    _product(shop)
    where = shop.channel.primary_location
    shop.channel.set_stock([StockTarget("C-1", where, 5, expected=0)], idempotency_key="k1")
    order_id = shop.place_order("C-1", 2)
    order = shop.channel.order(order_id)
    assert order is not None
    assert order.placed
    assert not order.cancelled
    assert [(line.sku, line.quantity) for line in order.lines] == [("C-1", 2)]
    page = shop.channel.order_changes(None)
    [change] = [c for c in page.changes if c.external_id == order_id]
    assert change.updated_at == order.updated_at
    assert page.cursor is not None
    again = shop.channel.order_changes(page.cursor)
    assert order_id in [c.external_id for c in again.changes]
    assert shop.channel.stock(["C-1"], where) == {"C-1": 3}


def test_webhooks_are_verified_over_the_raw_body(shop: Shop) -> None:
    headers, body = shop.signed("42")
    message = shop.channel.read_webhook(headers, body)
    assert message.kind == ORDER
    assert message.external_id is not None
    assert message.external_id.endswith("42")
    with pytest.raises(BadWebhook):
        shop.channel.read_webhook(headers, body + b" ")


def test_webhook_subscriptions_are_made_once_and_checked(shop: Shop) -> None:
    url = "http://127.0.0.1:9/webhooks/shop"
    assert not shop.channel.check(url).ok
    shop.channel.ensure_webhooks(url)
    shop.channel.ensure_webhooks(url)
    assert shop.channel.check(url).ok
