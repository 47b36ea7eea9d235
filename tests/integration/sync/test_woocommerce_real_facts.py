"""What a real WooCommerce 10.0.2 does that the WooCommerce connector must allow for, shown
on the real shop and on the simulator alike: a shop west of GMT, users without a
modification date and the administrator among them, refunds shown with negative lines
and refused with HTTP 500, stock management switched off, tax added to REST orders, a
line's subtotal never below its total, cancelled orders putting back what their lines say
was taken, empty lines for products gone, webhooks disabled after failures, and keys
refused over plain http.

One shop per module for each; every test names its records with a prefix of its own."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.woocommerce_peer import REAL_WOO, WooShop
from tillflow.connectors.woocommerce import pos_orders
from tillflow.connectors.woocommerce.adapter import WooCommerceChannel
from tillflow.connectors.woocommerce.factory import woocommerce_channel
from tillflow.connectors.woocommerce.stock import Item
from tillflow.ports.commerce import (
    RETURN_SOURCE,
    SALE_SOURCE,
    Buyer,
    OrderLine,
    PosRefund,
    PosSale,
    ProductData,
    Rejected,
    StockTarget,
)
from tillflow_simulators.woocommerce import WooCommerceSimulator
from tillflow_simulators.woocommerce.state import ShopSettings

_tests = itertools.count(1)


@dataclass(frozen=True)
class Shop:
    """A WooCommerce shop, reached through the REST API (``api``) and as a connection
    reaches it (``channel``); ``prefix`` keeps each test's records apart."""

    url: str
    http_url: str
    key: tuple[str, str]
    certificate: Path
    api: httpx.Client

    def channel(self, *, url: str | None = None) -> WooCommerceChannel:
        return woocommerce_channel(
            {"shop_url": url or self.url, "ca_file": str(self.certificate)},
            {"consumer_key": self.key[0], "consumer_secret": self.key[1]})


@pytest.fixture(scope="module", params=["simulator", REAL_WOO])
def shop(request: pytest.FixtureRequest) -> Iterator[Shop]:
    if request.param == "real":
        real: WooShop = request.getfixturevalue("woo_shop")
        with real.client() as api:
            yield Shop(real.url, real.http_url, (real.consumer_key, real.consumer_secret),
                       real.certificate, api)
        return
    # As the real test shop: an 8 % tax on every address, a time zone west of GMT.
    settings = ShopSettings(tax_percent=Decimal(8), timezone="America/Los_Angeles")
    with WooCommerceSimulator(settings=settings) as sim, sim.client(timeout=30) as api:
        yield Shop(sim.url, sim.http_url, sim.auth, sim.certificate, api)


@pytest.fixture
def prefix() -> str:
    return f"F{next(_tests)}"


@pytest.fixture
def channel(shop: Shop) -> Iterator[WooCommerceChannel]:
    made = shop.channel()
    yield made
    made.close()


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def product(channel: WooCommerceChannel, sku: str, *, stock: int = 10) -> str:
    made = channel.upsert_product(ProductData(sku, f"Product {sku}", Decimal("4.50"), None,
                                              "active", stock))
    return made.external_id


def sale(prefix: str, *lines: tuple[str, int, str], total: str | None = None) -> PosSale:
    made = tuple(OrderLine(sku, quantity, Decimal(price)) for sku, quantity, price in lines)
    return PosSale(
        source_id=f"{SALE_SOURCE}{prefix}", number=f"{prefix}-1",
        placed_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), currency="USD",
        total=Decimal(total) if total else sum((line.unit_price * line.quantity
                                                 for line in made), Decimal(0)),
        lines=made)


def stock_of(shop: Shop, product_id: str) -> int | None:
    found: int | None = ok(shop.api.get(f"/products/{product_id}"))["stock_quantity"]
    return found


def test_order_changes_are_found_in_a_shop_west_of_gmt(
        shop: Shop, channel: WooCommerceChannel, prefix: str) -> None:
    made = ok(shop.api.post("/orders", json={"set_paid": True}), 201)
    assert made["date_modified"] != made["date_modified_gmt"]  # the shop is not on GMT
    stamp = f"{made['date_modified_gmt']}Z"
    page = channel.order_changes(stamp)
    assert str(made["id"]) in [c.external_id for c in page.changes]
    assert page.cursor is not None
    assert page.cursor >= stamp


def test_customers_get_a_cursor_without_a_modification_date_and_staff_stay_out(
        shop: Shop, channel: WooCommerceChannel, prefix: str) -> None:
    staff = [c for c in ok(shop.api.get("/customers", params={"role": "all"}))
             if c["role"] == "administrator"]
    assert staff
    assert staff[0]["date_modified_gmt"] is None
    made = channel.upsert_customer(Buyer(f"{prefix.lower()}@example.com", None, "Cy", None),
                                   None)
    changed, cursor = channel.customer_changes(None)
    assert made.external_id in [c.external_id for c in changed]
    assert cursor is not None
    assert "None" not in cursor
    assert cursor.endswith("Z")
    assert staff[0]["id"] not in [int(c.external_id) for c in changed]
    assert channel.customer(str(staff[0]["id"])) is None
    with pytest.raises(Rejected, match="staff"):
        channel.upsert_customer(Buyer(staff[0]["email"], None, "Not", "Admin"), None)
    assert ok(shop.api.get(f"/customers/{staff[0]['id']}"))["first_name"] == ""


def test_a_till_sale_keeps_the_tills_total_and_cancelling_it_puts_back_nothing(
        shop: Shop, channel: WooCommerceChannel, prefix: str) -> None:
    sku = f"{prefix}-TAX"
    product_id = product(channel, sku)
    # Three at 3.33 make 9.99 where the till took 10.00: the order says 10.00.
    order_id = channel.push_sale(sale(prefix, (sku, 3, "3.33"), total="10.00"))
    order = ok(shop.api.get(f"/orders/{order_id}"))
    assert (order["total"], order["total_tax"], order["status"]) == ("10.00", "0.00",
                                                                     "completed")
    assert stock_of(shop, product_id) == 10
    remote = channel.order(order_id)
    assert remote is not None
    assert isinstance(remote.lines[0].unit_price, Decimal)
    ok(shop.api.put(f"/orders/{order_id}", json={"status": "cancelled"}))
    assert stock_of(shop, product_id) == 10  # nothing was taken, nothing comes back


def test_refunds_count_earlier_refunds_and_are_found_by_their_reason(
        shop: Shop, channel: WooCommerceChannel, prefix: str) -> None:
    sku = f"{prefix}-RET"
    product(channel, sku)
    order_id = channel.push_sale(sale(prefix, (sku, 2, "4.50")))
    returned = PosRefund(source_id=f"{RETURN_SOURCE}{prefix}-1", order_id=order_id,
                         number=f"{prefix}-R1", currency="USD", total=Decimal("4.50"),
                         lines=(OrderLine(sku, 1, Decimal("4.50")),))
    first = channel.push_refund(returned)
    [shown] = ok(shop.api.get(f"/orders/{order_id}/refunds"))
    assert (shown["line_items"][0]["quantity"], shown["line_items"][0]["total"]) == (-1, "-4.50")
    second = channel.push_refund(replace(returned, source_id=f"{RETURN_SOURCE}{prefix}-2"))
    assert second != first
    # Both units are back: a third return of the line is refused before WooCommerce is
    # asked, which would check only the amount.
    with pytest.raises(Rejected, match="no 1 more"):
        channel.push_refund(replace(returned, source_id=f"{RETURN_SOURCE}{prefix}-3"))
    # A refund whose meta data was not saved yet is found by its reason.
    other = channel.push_sale(sale(f"{prefix}b", (sku, 1, "4.50")))
    late = replace(returned, source_id=f"{RETURN_SOURCE}{prefix}-4", order_id=other)
    made = ok(shop.api.post(f"/orders/{other}/refunds", json={
        "amount": "4.50", "api_refund": False, "api_restock": False,
        "reason": f"tillflow return {late.number} [{late.source_id}]"}), 201)
    assert channel.push_refund(late) == str(made["id"])


def test_a_refund_the_shop_refuses_with_http_500_is_not_retried(
        shop: Shop, channel: WooCommerceChannel, prefix: str) -> None:
    sku = f"{prefix}-OVER"
    product(channel, sku)
    order_id = channel.push_sale(sale(prefix, (sku, 1, "4.50")))
    ok(shop.api.post(f"/orders/{order_id}/refunds", json={
        "amount": "4.50", "api_refund": False, "api_restock": False}), 201)
    refused = shop.api.post(f"/orders/{order_id}/refunds", json={"amount": "1.00"})
    assert refused.status_code == 500
    with pytest.raises(Rejected, match="Invalid refund amount"):
        channel.client.call("POST", f"/orders/{order_id}/refunds",
                            json={"amount": "1.00", "api_refund": False})


def test_stock_is_refused_per_sku_where_stock_management_is_off(
        shop: Shop, channel: WooCommerceChannel, prefix: str) -> None:
    managed, loose = f"{prefix}-ON", f"{prefix}-OFF"
    product(channel, managed)
    ok(shop.api.post("/products", json={"name": "Loose", "sku": loose,
                                        "regular_price": "1.00"}), 201)
    where = channel.primary_location
    with pytest.raises(Rejected, match=f"stock of SKU '{loose}'"):
        channel.set_stock([StockTarget(managed, where, 4, expected=10),
                           StockTarget(loose, where, 4, expected=0)], idempotency_key="k")
    channel.set_stock([StockTarget(managed, where, 4, expected=10)], idempotency_key="k2")
    assert channel.stock([managed], where) == {managed: 4}
    setting = "/settings/products/woocommerce_manage_stock"
    ok(shop.api.put(setting, json={"value": "no"}))
    try:
        with pytest.raises(Rejected, match="whole shop"):
            channel.set_stock([StockTarget(managed, where, 6, expected=4)],
                              idempotency_key="k3")
        problems = channel.check("http://127.0.0.1:9/nowhere").problems
        assert any("stock management is off" in p for p in problems)
    finally:
        ok(shop.api.put(setting, json={"value": "yes"}))
    assert channel.stock([managed], where) == {managed: 4}


def test_a_lines_subtotal_below_its_total_is_raised_to_it(
        shop: Shop, channel: WooCommerceChannel, prefix: str) -> None:
    product_id = product(channel, f"{prefix}-UP")
    made = ok(shop.api.post("/orders", json={"set_paid": True, "line_items": [
        {"product_id": int(product_id), "quantity": 1, "subtotal": "8.00",
         "total": "9.00"}]}), 201)
    [line] = made["line_items"]
    assert (line["subtotal"], line["total"]) == ("9.00", "9.00")


def test_an_order_made_with_a_product_gone_is_trashed_and_the_sale_refused(
        shop: Shop, channel: WooCommerceChannel, prefix: str) -> None:
    gone = sale(prefix, (f"{prefix}-GONE", 1, "4.50"))
    with pytest.raises(Rejected, match="trash"):
        pos_orders.create(channel.client, gone, {f"{prefix}-GONE": Item(999_999, 0, True, 0)},
                          None)
    assert pos_orders.find(channel.client, gone) is None


def test_a_disabled_webhook_is_named_and_switched_back_on(
        shop: Shop, channel: WooCommerceChannel, prefix: str) -> None:
    url = f"http://127.0.0.1:9/webhooks/{prefix}"
    channel.ensure_webhooks(url)
    hooks = [h for h in ok(shop.api.get("/webhooks", params={"per_page": 100}))
             if h["delivery_url"] == url]
    ok(shop.api.put(f"/webhooks/{hooks[0]['id']}", json={"status": "disabled"}))
    problems = channel.check(url).problems
    assert any(f"{hooks[0]['topic']} to {url} is disabled" in p for p in problems), problems
    channel.ensure_webhooks(url)
    assert channel.check(url).ok
    after = [h for h in ok(shop.api.get("/webhooks", params={"per_page": 100}))
             if h["delivery_url"] == url]
    assert sorted(h["id"] for h in after) == sorted(h["id"] for h in hooks)


def test_the_keys_over_plain_http_are_named_as_such(shop: Shop) -> None:
    plain = shop.channel(url=shop.http_url)
    try:
        with pytest.raises(Rejected, match="HTTPS only"):
            plain.stock(["ANY"], plain.primary_location)
    finally:
        plain.close()
