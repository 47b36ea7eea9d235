"""One contract for the commerce port: the in-memory fake and every connector pass it, the
WooCommerce connector against both the simulator and a real WooCommerce.

What a platform cannot do is said by its ``Shop`` (Magento Open Source sends no webhooks,
cannot record a till sale as an order, and keeps a phone only on an address), and the
tests of it are skipped for that platform with the reason.

The real shop is one per module (a fresh one costs seconds), so every test names its
SKUs, emails, webhook addresses and sales with a prefix of its own (``Shop.name``)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

import pytest

from support.woocommerce_peer import WooShop
from tillflow.connectors.common.signatures import signature
from tillflow.connectors.magento.factory import magento_channel
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
    RemoteProduct,
    StaleStock,
    StockTarget,
    Upserted,
)
from tillflow.sync.memory import MemoryChannel, MemoryShop
from tillflow_simulators.magento import (
    ACCESS_TOKEN,
    ACCESS_TOKEN_SECRET,
    CONSUMER_KEY,
    CONSUMER_SECRET,
    MagentoSimulator,
)
from tillflow_simulators.shopify import ShopifySimulator
from tillflow_simulators.woocommerce import WooCommerceSimulator

SECRET = "contract-secret"
# The real shop is the session's own (``woo_shop``, asked for by name below): its tests
# run on the worker that started it.
PLATFORMS = ["memory", "shopify", "woocommerce",
             pytest.param("woocommerce-real", marks=pytest.mark.xdist_group("woocommerce")),
             "magento"]
_tests = itertools.count(1)


@dataclass
class Shop:
    channel: CommerceChannel
    place_order: Callable[[str, int], str]
    signed: Callable[[str], tuple[dict[str, str], bytes]] | None
    prefix: str = "T"
    records_till_sales: bool = True
    phone_needs_address: bool = False

    def sign(self, order_id: str) -> tuple[dict[str, str], bytes]:
        if self.signed is None:
            pytest.skip("the platform sends no webhooks: it is polled")
        return self.signed(order_id)

    def till_sales(self) -> None:
        if not self.records_till_sales:
            pytest.skip("the platform cannot record a till sale as an order")

    def name(self, name: str) -> str:
        """``name`` made this test's own (a SKU, a sale, an email's local part)."""
        return f"{self.prefix}-{name}"

    def email(self, local: str) -> str:
        return f"{self.name(local).lower()}@example.com"


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
        channel = woocommerce_channel({"shop_url": sim.url, "ca_file": str(sim.certificate)},
                                      {"consumer_key": key, "consumer_secret": secret,
                                       "webhook_secret": SECRET})
        yield Shop(channel, lambda sku, qty: str(sim.place_order([(sku, qty)])["id"]),
                   _woo_signed)
        channel.close()


def _woo_signed(order_id: str) -> tuple[dict[str, str], bytes]:
    body = json.dumps({"id": int(order_id), "date_modified_gmt": "2026-01-01T00:00:00"}).encode()
    return {"x-wc-webhook-signature": signature(SECRET, body),
            "x-wc-webhook-topic": "order.created"}, body


def _woocommerce_real(shop: WooShop) -> Iterator[Shop]:
    """The real shop, reached as a connection reaches it: its certificate is the
    connection's ca_file."""
    channel = woocommerce_channel({"shop_url": shop.url, "ca_file": str(shop.certificate)},
                                  {"consumer_key": shop.consumer_key,
                                   "consumer_secret": shop.consumer_secret,
                                   "webhook_secret": SECRET})
    with shop.client() as api:

        def place_order(sku: str, quantity: int) -> str:
            """A paid web order, as a storefront's checkout leaves it (processing)."""
            made = api.post("/orders", json={
                "set_paid": True, "billing": {"email": "shopper@example.com", "country": "US"},
                "line_items": [{"sku": sku, "quantity": quantity}]})
            assert made.status_code == 201, made.text
            return str(made.json()["id"])

        yield Shop(channel, place_order, _woo_signed, prefix=f"R{next(_tests)}")
    channel.close()


def _magento() -> Iterator[Shop]:
    """Signed with OAuth 1.0a, as a store that refuses bearer tokens wants."""
    with MagentoSimulator() as sim:
        channel = magento_channel({"shop_url": sim.url}, {
            "consumer_key": CONSUMER_KEY, "consumer_secret": CONSUMER_SECRET,
            "access_token": ACCESS_TOKEN, "access_token_secret": ACCESS_TOKEN_SECRET})
        yield Shop(channel,
                   lambda sku, qty: str(sim.place_guest_order([(sku, qty)]).entity_id),
                   None, records_till_sales=False, phone_needs_address=True)
        channel.close()
        assert sim.violations == []


@pytest.fixture(params=PLATFORMS)
def shop(request: pytest.FixtureRequest) -> Iterator[Shop]:
    if request.param == "woocommerce-real":
        yield from _woocommerce_real(request.getfixturevalue("woo_shop"))
        return
    yield from {"memory": _memory, "shopify": _shopify,
                "woocommerce": _woocommerce, "magento": _magento}[request.param]()


def _product(shop: Shop, sku: str = "C-1", price: str = "9.90") -> Upserted:
    return shop.channel.upsert_product(ProductData(sku=shop.name(sku), title=f"Product {sku}",
                                                   price=Decimal(price), barcode=None,
                                                   status="active"))


def test_products_are_created_once_and_updated(shop: Shop) -> None:
    first = _product(shop)
    again = _product(shop, price="11.00")
    assert (first.external_id, first.created) == (again.external_id, True)
    assert not again.created
    sku = shop.name("C-1")
    listed = _all_products(shop)
    [found] = [p for p in listed if p.sku == sku]
    assert found.price == Decimal("11.00")
    assert shop.channel.stock([sku], shop.channel.primary_location) == {sku: 0}


def _all_products(shop: Shop) -> list[RemoteProduct]:
    found, cursor = shop.channel.products(None)
    while cursor is not None:
        more, cursor = shop.channel.products(cursor)
        found += more
    return found


def test_stock_is_set_only_from_the_figure_it_was_read_at(shop: Shop) -> None:
    _product(shop)
    where, sku = shop.channel.primary_location, shop.name("C-1")
    shop.channel.set_stock([StockTarget(sku, where, 7, expected=0)], idempotency_key="k1")
    assert shop.channel.stock([sku], where) == {sku: 7}
    with pytest.raises(StaleStock):
        shop.channel.set_stock([StockTarget(sku, where, 3, expected=0)], idempotency_key="k2")
    assert shop.channel.stock([sku], where) == {sku: 7}


def test_unknown_skus_are_refused(shop: Shop) -> None:
    where, sku = shop.channel.primary_location, shop.name("NOPE")
    assert shop.channel.stock([sku], where) == {}
    with pytest.raises(Rejected):
        shop.channel.set_stock([StockTarget(sku, where, 1, expected=0)], idempotency_key="k")


def test_web_orders_are_read_by_id_and_changes_since_a_cursor(shop: Shop) -> None:
    _product(shop)
    where, sku = shop.channel.primary_location, shop.name("C-1")
    shop.channel.set_stock([StockTarget(sku, where, 5, expected=0)], idempotency_key="k1")
    order_id = shop.place_order(sku, 2)
    order = shop.channel.order(order_id)
    assert order is not None
    assert order.placed
    assert not order.cancelled
    assert [(line.sku, line.quantity) for line in order.lines] == [(sku, 2)]
    page = shop.channel.order_changes(None)
    [change] = [c for c in page.changes if c.external_id == order_id]
    assert change.updated_at == order.updated_at
    assert page.cursor is not None
    again = shop.channel.order_changes(page.cursor)
    assert order_id in [c.external_id for c in again.changes]
    assert shop.channel.stock([sku], where) == {sku: 3}


def test_webhooks_are_verified_over_the_raw_body(shop: Shop) -> None:
    headers, body = shop.sign("42")
    message = shop.channel.read_webhook(headers, body)
    assert message.kind == ORDER
    assert message.external_id is not None
    assert message.external_id.endswith("42")
    with pytest.raises(BadWebhook):
        shop.channel.read_webhook(headers, body + b" ")


def test_webhook_subscriptions_are_made_once_and_checked(shop: Shop) -> None:
    url = f"http://127.0.0.1:9/webhooks/{shop.name('shop')}"
    shop.sign("1")
    assert not shop.channel.check(url).ok
    shop.channel.ensure_webhooks(url)
    shop.channel.ensure_webhooks(url)
    result = shop.channel.check(url)
    assert result.ok, result.problems
    assert len(result.webhooks) == len(set(result.webhooks))


def _sale(shop: Shop, source: str, *lines: tuple[str, int], email: str | None = None,
          price: str = "9.90") -> PosSale:
    made = tuple(OrderLine(shop.name(sku), qty, Decimal(price)) for sku, qty in lines)
    return PosSale(source_id=f"{SALE_SOURCE}{shop.name(source)}", number="R1-000001",
                   placed_at="2026-01-01T10:00:00Z", currency="USD",
                   total=sum((line.unit_price * line.quantity for line in made), Decimal(0)),
                   lines=made,
                   buyer=None if email is None else Buyer(email, None, "Ada", "Lovelace"))


def test_a_till_sale_becomes_one_paid_order_that_leaves_the_stock_alone(shop: Shop) -> None:
    shop.till_sales()
    _product(shop)
    where, sku = shop.channel.primary_location, shop.name("C-1")
    shop.channel.set_stock([StockTarget(sku, where, 5, expected=0)], idempotency_key="k1")
    sale = _sale(shop, "s-1", ("C-1", 2), email=shop.email("ada"))
    order_id = shop.channel.push_sale(sale)
    assert shop.channel.push_sale(sale) == order_id  # a second try finds the first order
    order = shop.channel.order(order_id)
    assert order is not None
    assert (order.source_id, order.placed) == (sale.source_id, True)
    assert [(line.sku, line.quantity) for line in order.lines] == [(sku, 2)]
    assert shop.channel.stock([sku], where) == {sku: 5}
    other = shop.channel.push_sale(_sale(shop, "s-2", ("C-1", 1)))
    assert other != order_id


def test_a_till_sale_of_a_sku_the_shop_lacks_is_refused(shop: Shop) -> None:
    shop.till_sales()
    with pytest.raises(Rejected):
        shop.channel.push_sale(_sale(shop, "s-9", ("NOPE", 1)))


def test_a_product_is_read_by_its_shop_id(shop: Shop) -> None:
    made = _product(shop, sku="C-7")
    [found] = shop.channel.product(made.external_id)
    assert (found.sku, found.price) == (shop.name("C-7"), Decimal("9.90"))


def test_customers_are_matched_by_email_and_never_duplicated(shop: Shop) -> None:
    email = shop.email("bo")
    first = shop.channel.upsert_customer(Buyer(email, None, "Bo", None), None)
    assert first.created
    again = shop.channel.upsert_customer(Buyer(email, "+14155550123", "Bo", "Ek"), None)
    assert (again.external_id, again.created) == (first.external_id, False)
    found = shop.channel.customer(first.external_id)
    assert found is not None
    phone = None if shop.phone_needs_address else "+14155550123"
    assert (found.email, found.phone, found.last_name) == (email, phone, "Ek")
    changed, cursor = shop.channel.customer_changes(None)
    assert first.external_id in [c.external_id for c in changed]
    assert cursor is not None
    assert cursor.endswith("Z")
    later, _ = shop.channel.customer_changes(cursor)
    assert first.external_id in [c.external_id for c in later]  # the last second repeats


def test_a_woocommerce_variable_product_is_read_as_its_variations() -> None:
    with WooCommerceSimulator() as sim:
        key, secret = sim.auth
        channel = woocommerce_channel({"shop_url": sim.url, "ca_file": str(sim.certificate)},
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
    shop.till_sales()
    _product(shop)
    where, sku = shop.channel.primary_location, shop.name("C-1")
    shop.channel.set_stock([StockTarget(sku, where, 5, expected=0)], idempotency_key="k1")
    order_id = shop.channel.push_sale(_sale(shop, "s-3", ("C-1", 2)))
    channel = shop.channel
    assert isinstance(channel, RefundsTillReturns)
    refund = PosRefund(source_id=f"{RETURN_SOURCE}{shop.name('r-1')}", order_id=order_id,
                       number="R1-R1", currency="USD", total=Decimal("9.90"),
                       lines=(OrderLine(sku, 1, Decimal("9.90")),))
    refund_id = channel.push_refund(refund)
    assert channel.push_refund(refund) == refund_id  # a second try finds the first refund
    other = channel.push_refund(replace(refund, source_id=f"{RETURN_SOURCE}{shop.name('r-2')}"))
    assert other != refund_id
    assert shop.channel.stock([sku], where) == {sku: 5}
    with pytest.raises(Rejected):  # more than the order holds
        channel.push_refund(replace(refund, source_id=f"{RETURN_SOURCE}{shop.name('r-3')}",
                                    lines=(OrderLine(sku, 5, Decimal("9.90")),)))
