"""WooCommerce web orders booked as the shop charged them, end to end over real HTTP:
untaxed and taxed shops, coupons, shipping and fees, an uneven unit price, cash on
delivery and bank transfers settled when paid, refunds; and every order tillflow cannot
record a dead letter of its own, with later orders still arriving."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx2 as httpx
import pytest

from support.sync import SyncedStore, synced_store
from support.web_orders import (
    booked,
    by_base_role,
    dead_letter_for,
    dead_letters,
    recorded_rows,
    returns_of,
    sale_of,
)
from tillflow.connectors.common.signatures import signature
from tillflow.services.context import ServiceContext
from tillflow_simulators.woocommerce import WooCommerceSimulator
from tillflow_simulators.woocommerce.errors import WooError
from tillflow_simulators.woocommerce.state import ShopSettings

HOOK_SECRET = "woo-orders-secret"


def _store(ctx: ServiceContext, shop: WooCommerceSimulator) -> Iterator[SyncedStore]:
    key, secret = shop.auth
    with synced_store(ctx, journal=True) as synced:
        api = synced.api
        api.location("S1")
        for sku in ("W1", "W2", "W3"):
            api.product(sku, "8.00")
            api.stock(sku, "S1", 20)
        api.ok(api.post("/connections", {
            "name": "woo", "platform": "woocommerce",
            "settings": {"shop_url": shop.url, "location": "S1",
                         "ca_file": str(shop.certificate)},
            "secrets": {"consumer_key": key, "consumer_secret": secret,
                        "webhook_secret": HOOK_SECRET},
        }), 201)
        synced.work(until=lambda: _shown(shop, "W3") == 20)
        yield synced


def _shown(shop: WooCommerceSimulator, sku: str) -> int | None:
    try:
        return shop.stock(sku)
    except WooError:
        return None


class Ticking:
    """A shop clock a second ahead at every look: WooCommerce knows a change by its
    modification time, to the second, and the tests change orders faster than that."""

    def __init__(self) -> None:
        self._last = datetime.now(UTC)

    def __call__(self) -> datetime:
        self._last = max(datetime.now(UTC), self._last + timedelta(seconds=1))
        return self._last


@pytest.fixture
def untaxed() -> Iterator[WooCommerceSimulator]:
    with WooCommerceSimulator(clock=Ticking()) as sim:
        yield sim


@pytest.fixture
def taxed() -> Iterator[WooCommerceSimulator]:
    with WooCommerceSimulator(clock=Ticking(),
                              settings=ShopSettings(tax_percent=Decimal(8))) as sim:
        yield sim


@pytest.fixture
def store(ctx: ServiceContext, untaxed: WooCommerceSimulator) -> Iterator[SyncedStore]:
    yield from _store(ctx, untaxed)


@pytest.fixture
def taxed_store(ctx: ServiceContext, taxed: WooCommerceSimulator) -> Iterator[SyncedStore]:
    yield from _store(ctx, taxed)


def _merchant(shop: WooCommerceSimulator) -> httpx.Client:
    return httpx.Client(base_url=shop.api_url, auth=shop.auth, verify=shop.ssl_context(),
                        timeout=10)


def _rest(shop: WooCommerceSimulator, method: str, path: str, body: Any = None) -> Any:
    with _merchant(shop) as client:
        response = client.request(method, path, json=body)
        assert response.status_code < 300, response.text
        return response.json()


def _sale(store: SyncedStore, order: dict[str, Any]) -> dict[str, Any]:
    store.work(until=lambda: sale_of(store.api, "woocommerce", str(order["id"])) is not None)
    sale = sale_of(store.api, "woocommerce", str(order["id"]))
    assert sale is not None
    return sale


def test_an_untaxed_shops_order_is_booked_without_tillflows_tax(
        store: SyncedStore, untaxed: WooCommerceSimulator) -> None:
    order = untaxed.place_order([("W1", 2)], billing={"email": "bo@example.com"})
    sale = _sale(store, order)
    assert (sale["total"], sale["tax_total"]) == ("16.00", "0.00")
    assert [(p["method"], p["amount"]) for p in sale["payments"]] == [("card", "16.00")]
    store.work(until=lambda: bool(booked(store.api, f"sale:{sale['number']}")))
    assert booked(store.api, f"sale:{sale['number']}") == {
        "revenue:0.08": Decimal("-16.00"), "tender:card": Decimal("16.00")}


def test_a_taxed_order_with_a_coupon_shipping_and_a_fee_is_booked_as_charged(
        taxed_store: SyncedStore, taxed: WooCommerceSimulator) -> None:
    order = taxed.place_order([("W1", 3), ("W2", 1)], billing={"email": "cy@example.com"},
                              coupon=("TENOFF", "percent", Decimal(10)),
                              shipping=("Flat rate", Decimal("4.00")),
                              fees=[("Gift wrap", Decimal("2.00"))])
    sale = _sale(taxed_store, order)
    assert (sale["total"], sale["tax_total"]) == (order["total"], order["total_tax"])
    assert sale["total"] == "37.59"  # 28.80 goods + 4.00 shipping + 2.00 fee + 2.79 tax
    assert [(x["sku"], x["subtotal"], x["order_discount"], x["tax"]) for x in sale["lines"]] == [
        ("W1", "24.00", "2.40", "1.73"), ("W2", "8.00", "0.80", "0.58")]
    assert [(c["kind"], c["title"], c["net"], c["tax"]) for c in sale["charges"]] == [
        ("shipping", "Flat rate", "4.00", "0.32"), ("fee", "Gift wrap", "2.00", "0.16")]
    reference = f"sale:{sale['number']}"
    taxed_store.work(until=lambda: bool(booked(taxed_store.api, reference)))
    assert by_base_role(booked(taxed_store.api, reference)) == {
        "revenue": Decimal("-28.80"), "tax": -Decimal(order["total_tax"]),
        "shipping": Decimal("-4.00"), "fees": Decimal("-2.00"),
        "tender:card": Decimal(order["total"])}


def test_a_line_with_an_uneven_unit_price_is_booked_at_its_total(
        store: SyncedStore, untaxed: WooCommerceSimulator) -> None:
    order = _rest(untaxed, "POST", "/orders", {
        "line_items": [{"sku": "W1", "quantity": 3, "subtotal": "10.00", "total": "10.00"}],
        "payment_method": "stripe", "set_paid": True})
    sale = _sale(store, order)
    [line] = sale["lines"]
    assert (line["quantity"], line["unit_price"], line["total"], sale["total"]) == (
        3, "3.33", "10.00", "10.00")


def test_cash_on_delivery_is_owed_until_the_order_is_completed(
        taxed_store: SyncedStore, taxed: WooCommerceSimulator) -> None:
    order = taxed.place_order([("W1", 1)], payment_method="cod",
                              shipping=("Flat rate", Decimal("3.00")))
    assert order["status"] == "processing"
    assert order["date_paid_gmt"]  # as WooCommerce does
    sale = _sale(taxed_store, order)
    assert [(p["method"], p["amount"]) for p in sale["payments"]] == [
        ("pay_later", order["total"])]

    _rest(taxed, "PUT", f"/orders/{order['id']}", {"status": "completed"})
    taxed_store.work(until=lambda: bool(taxed_store.api.ok(
        taxed_store.api.get(f"/sales/{sale['id']}"))["settlements"]))
    settled = taxed_store.api.ok(taxed_store.api.get(f"/sales/{sale['id']}"))
    assert [(s["method"], s["amount"]) for s in settled["settlements"]] == [
        ("other", order["total"])]
    assert all(p["method"] != "card" for p in settled["payments"])
    taxed_store.settle()
    assert "receivable" not in booked(taxed_store.api, "")


def test_a_bank_transfer_waits_on_hold_and_settles_when_the_money_is_seen(
        store: SyncedStore, untaxed: WooCommerceSimulator) -> None:
    order = untaxed.place_order([("W2", 2)], payment_method="bacs")
    assert order["status"] == "on-hold"
    assert order["date_paid_gmt"] is None
    sale = _sale(store, order)
    assert [p["method"] for p in sale["payments"]] == ["pay_later"]
    _rest(untaxed, "PUT", f"/orders/{order['id']}", {"status": "processing"})
    store.work(until=lambda: bool(store.api.ok(
        store.api.get(f"/sales/{sale['id']}"))["settlements"]))
    store.work(until=lambda: bool(booked(store.api, f"settlement:{sale['number']}")))
    assert booked(store.api, f"settlement:{sale['number']}") == {
        "tender:other": Decimal("16.00"), "receivable": Decimal("-16.00")}


def test_a_tender_map_names_the_shops_own_gateways(
        store: SyncedStore, untaxed: WooCommerceSimulator) -> None:
    store.api.ok(store.api.client.patch("/api/v1/connections/woo", json={
        "settings": {"tenders": {"my_pos_terminal": "card", "cod": "cash"}}},
        headers=store.api.headers("admin")))
    card = untaxed.place_order([("W1", 1)], payment_method="my_pos_terminal")
    assert [p["method"] for p in _sale(store, card)["payments"]] == ["card"]
    refused = store.api.client.patch("/api/v1/connections/woo", json={
        "settings": {"tenders": {"cod": "cheque"}}}, headers=store.api.headers("admin"))
    assert refused.status_code == 422
    assert refused.json()["error"]["details"]["field"] == "tenders"


def test_a_refund_in_the_shop_gives_back_its_amounts(
        taxed_store: SyncedStore, taxed: WooCommerceSimulator) -> None:
    order = taxed.place_order([("W1", 2)], shipping=("Flat rate", Decimal("5.00")))
    sale = _sale(taxed_store, order)
    item, shipping = order["line_items"][0], order["shipping_lines"][0]
    refund = _rest(taxed, "POST", f"/orders/{order['id']}/refunds", {
        "api_refund": False, "line_items": [
            {"id": item["id"], "quantity": 1, "refund_total": "8.00",
             "refund_tax": [{"id": 1, "refund_total": "0.64"}]},
            {"id": shipping["id"], "refund_total": "5.00",
             "refund_tax": [{"id": 1, "refund_total": "0.40"}]}]})
    assert refund["amount"] == "14.04"
    taxed_store.work(until=lambda: len(returns_of(taxed_store.api, sale["id"])) == 1)
    [given] = returns_of(taxed_store.api, sale["id"])
    assert (given["total"], given["tax_total"]) == ("14.04", "1.04")
    assert [(c["kind"], c["net"], c["tax"]) for c in given["charges"]] == [
        ("shipping", "5.00", "0.40")]
    assert [(r["method"], r["amount"]) for r in given["refunds"]] == [("card", "14.04")]
    taxed_store.work(until=lambda: taxed_store.api.on_hand("W1", "S1") == 19)


def test_a_buyer_is_recorded_by_what_can_be_read_of_them(
        store: SyncedStore, untaxed: WooCommerceSimulator) -> None:
    order = untaxed.place_order([("W1", 1)], billing={
        "first_name": "Dee", "last_name": "Smith", "email": "dee@example.com",
        "phone": "555-0100"})  # a phone number no phone can ring
    sale = _sale(store, order)
    [dee] = store.api.ok(store.api.get("/customers", email="dee@example.com"))["items"]
    assert sale["customer"] == dee["id"]
    assert (dee["name"], dee["phone"]) == ("Dee Smith", None)


def _signed_post(store: SyncedStore, body: bytes) -> httpx.Response:
    return store.api.client.post("/webhooks/woo", content=body, headers={
        "X-WC-Webhook-Signature": signature(HOOK_SECRET, body),
        "X-WC-Webhook-Topic": "order.created", "Content-Type": "application/json"})


def test_every_order_tillflow_cannot_record_is_a_dead_letter_and_later_orders_arrive(
        store: SyncedStore, untaxed: WooCommerceSimulator) -> None:
    with untaxed.state.lock:  # renamed in the shop's database: tillflow has no such SKU
        renamed = untaxed.state.stocked_by_sku("W3")
        assert renamed is not None
        renamed.sku = "RENAMED-3"
    store.api.ok(store.api.patch("/products/W2", {"active": False}))
    store.settle()
    before = recorded_rows(store.api)
    paid = {"payment_method": "stripe", "set_paid": True}
    causes = {
        "has no SKU": untaxed.place_order([("RENAMED-3", 1)]),
        "not for sale": untaxed.place_order([("W2", 1)]),
        "not the figures of a sale": _rest(untaxed, "POST", "/orders", {**paid, "line_items": [
            {"sku": "W1", "quantity": 1, "subtotal": "-8.00", "total": "-8.00"}]}),
        "contact details cannot be read": untaxed.place_order(
            [("W1", 1)], billing={"phone": "12"}),
        "in EUR": _rest(untaxed, "POST", "/orders", {**paid, "currency": "EUR",
                                                     "line_items": [{"sku": "W1",
                                                                     "quantity": 1}]}),
        "no lines": _rest(untaxed, "POST", "/orders", {**paid, "line_items": []}),
        "greater than zero": _rest(untaxed, "POST", "/orders", {**paid, "line_items": [
            {"sku": "W1", "quantity": -1, "subtotal": "-8.00", "total": "-8.00"}]}),
    }
    store.work(until=lambda: len(dead_letters(store.api, "woo")) == len(causes))
    for reason, order in causes.items():
        dead = dead_letter_for(store.api, "woo", str(order["id"]))
        assert dead is not None
        assert reason in dead["reason"], (reason, dead)
    assert _signed_post(store, b'{"id": ').status_code == 400
    assert len(dead_letters(store.api, "woo")) == len(causes) + 1
    store.settle()
    assert recorded_rows(store.api) == before

    good = untaxed.place_order([("W1", 2)])
    assert _sale(store, good)["total"] == "16.00"

    store.api.ok(store.api.patch("/products/W2", {"active": True}))
    withdrawn = dead_letter_for(store.api, "woo", str(causes["not for sale"]["id"]))
    assert withdrawn is not None
    store.api.ok(store.api.post("/connections/woo/dead-letters/replay",
                                {"ids": [withdrawn["id"]]}))
    assert _sale(store, causes["not for sale"])["total"] == "8.00"
    assert len(dead_letters(store.api, "woo")) == len(causes)
    assert json.loads(_signed_post(store, b"[]").text)["error"]["code"] == "bad_request"
