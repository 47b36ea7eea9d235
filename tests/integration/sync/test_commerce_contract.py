"""One contract for the commerce port: the in-memory fake and every connector pass it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

import pytest

from tillflow.connectors.common.signatures import signature
from tillflow.connectors.shopify.factory import shopify_channel
from tillflow.connectors.woocommerce.factory import woocommerce_channel
from tillflow.ports.commerce import (
    ORDER,
    RETURN_SOURCE,
    SALE_SOURCE,
    BadWebhook,
    Buyer,
    CommerceChannel,
    OrderLine,
    PosRefund,
    PosSale,
    ProductData,
    RefundsTillReturns,
    Rejected,
    StaleStock,
    StockTarget,
    Upserted,
)
from tillflow.sync.memory import MemoryChannel, MemoryShop
from tillflow_simulators.shopify import ShopifySimulator
from tillflow_simulators.woocommerce import WooCommerceSimulator

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
            return {"x-shopify-hmac-sha256": signature(SECRET, body),
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
            return {"x-wc-webhook-signature": signature(SECRET, body),
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


def _sale(source: str, *lines: tuple[str, int], email: str | None = None) -> PosSale:
    return PosSale(source_id=source, number="R1-000001", placed_at="2026-01-01T10:00:00Z",
                   currency="USD", total=Decimal("19.80"),
                   lines=tuple(OrderLine(sku, qty, Decimal("9.90")) for sku, qty in lines),
                   buyer=None if email is None else Buyer(email, None, "Ada", "Lovelace"))


def test_a_till_sale_becomes_one_paid_order_that_leaves_the_stock_alone(shop: Shop) -> None:
    _product(shop)
    where = shop.channel.primary_location
    shop.channel.set_stock([StockTarget("C-1", where, 5, expected=0)], idempotency_key="k1")
    sale = _sale(f"{SALE_SOURCE}s-1", ("C-1", 2), email="ada@example.com")
    order_id = shop.channel.push_sale(sale)
    assert shop.channel.push_sale(sale) == order_id  # a second try finds the first order
    order = shop.channel.order(order_id)
    assert order is not None
    assert (order.source_id, order.placed) == (sale.source_id, True)
    assert [(line.sku, line.quantity) for line in order.lines] == [("C-1", 2)]
    assert shop.channel.stock(["C-1"], where) == {"C-1": 5}
    other = shop.channel.push_sale(_sale(f"{SALE_SOURCE}s-2", ("C-1", 1)))
    assert other != order_id


def test_a_till_sale_of_a_sku_the_shop_lacks_is_refused(shop: Shop) -> None:
    with pytest.raises(Rejected):
        shop.channel.push_sale(_sale(f"{SALE_SOURCE}s-9", ("NOPE", 1)))


def test_a_product_is_read_by_its_shop_id(shop: Shop) -> None:
    made = _product(shop, sku="C-7")
    [found] = shop.channel.product(made.external_id)
    assert (found.sku, found.price) == ("C-7", Decimal("9.90"))


def test_customers_are_matched_by_email_and_never_duplicated(shop: Shop) -> None:
    first = shop.channel.upsert_customer(Buyer("bo@example.com", None, "Bo", None), None)
    assert first.created
    again = shop.channel.upsert_customer(Buyer("bo@example.com", "+14155550123", "Bo", "Ek"),
                                         None)
    assert (again.external_id, again.created) == (first.external_id, False)
    found = shop.channel.customer(first.external_id)
    assert found is not None
    assert (found.email, found.phone, found.last_name) == ("bo@example.com", "+14155550123",
                                                          "Ek")
    changed, cursor = shop.channel.customer_changes(None)
    assert first.external_id in [c.external_id for c in changed]
    assert cursor is not None
    later, _ = shop.channel.customer_changes(cursor)
    assert first.external_id in [c.external_id for c in later]  # the last second repeats


def test_a_woocommerce_variable_product_is_read_as_its_variations() -> None:
    with WooCommerceSimulator() as sim:
        key, secret = sim.auth
        channel = woocommerce_channel({"shop_url": sim.url},
                                      {"consumer_key": key, "consumer_secret": secret})
        parent = channel.client.call("POST", "/products", json={
            "name": "Tee", "type": "variable", "status": "publish"})
        for size in ("S", "M"):
            channel.client.call("POST", f"/products/{parent['id']}/variations", json={
                "sku": f"TEE-{size}", "regular_price": "12.00",
                "attributes": [{"name": "Size", "option": size}]})
        found = channel.product(str(parent["id"]))
        assert sorted((p.sku, p.title, p.status) for p in found) == [
            ("TEE-M", "Tee", "active"), ("TEE-S", "Tee", "active")]
        assert channel.product("999999") == []
        channel.close()


def test_a_till_return_is_one_refund_on_its_order_that_leaves_the_stock_alone(
        shop: Shop) -> None:
    _product(shop)
    where = shop.channel.primary_location
    shop.channel.set_stock([StockTarget("C-1", where, 5, expected=0)], idempotency_key="k1")
    order_id = shop.channel.push_sale(_sale(f"{SALE_SOURCE}s-3", ("C-1", 2)))
    channel = shop.channel
    assert isinstance(channel, RefundsTillReturns)
    refund = PosRefund(source_id=f"{RETURN_SOURCE}r-1", order_id=order_id, number="R1-R1",
                       currency="USD", total=Decimal("9.90"),
                       lines=(OrderLine("C-1", 1, Decimal("9.90")),))
    refund_id = channel.push_refund(refund)
    assert channel.push_refund(refund) == refund_id  # a second try finds the first refund
    other = channel.push_refund(replace(refund, source_id=f"{RETURN_SOURCE}r-2"))
    assert other != refund_id
    assert shop.channel.stock(["C-1"], where) == {"C-1": 5}
    with pytest.raises(Rejected):  # more than the order holds
        channel.push_refund(replace(refund, source_id=f"{RETURN_SOURCE}r-3",
                                    lines=(OrderLine("C-1", 5, Decimal("9.90")),)))
