"""Shopify web orders booked as the shop charged them, end to end over real HTTP: prices,
discounts and codes, shipping, the shop's tax, the payment as taken, settlement of an
order paid later, refunds and cancellations; and orders tillflow cannot record, each a
dead letter of its own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from support.sync import SyncedStore, connect_shopify, synced_store
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
from tillflow_simulators.shopify import ShopifySimulator
from tillflow_simulators.shopify.model import Order

SECRET = "whsec-orders"
RATE = Decimal("0.08")


@pytest.fixture
def shop() -> Iterator[ShopifySimulator]:
    with ShopifySimulator(webhook_secret=SECRET, tax_rate=RATE) as sim:
        yield sim


@pytest.fixture
def store(ctx: ServiceContext, shop: ShopifySimulator) -> Iterator[SyncedStore]:
    with synced_store(ctx, journal=True) as synced:
        connect_shopify(synced, shop, webhook_secret=SECRET, price="12.50",
                        skus=("A1", "B2", "C3"))
        synced.api.ok(synced.api.post("/customers", {"name": "Ana", "email": "ana@example.com"}),
                      201)
        yield synced


def _sale(store: SyncedStore, order: Order) -> dict[str, Any]:
    store.work(until=lambda: sale_of(store.api, "shopify", order.id) is not None)
    sale = sale_of(store.api, "shopify", order.id)
    assert sale is not None
    return sale


def test_a_web_order_is_booked_at_the_shops_prices_discounts_shipping_and_tax(
        store: SyncedStore, shop: ShopifySimulator) -> None:
    shop.shop.variant("A1").price = Decimal("11.00")  # the shop sells A1 below tillflow's 12.50
    order = shop.place_order([("A1", 2, Decimal("1.00")), ("B2", 1)],
                             customer={"email": "Ana@Example.com"},
                             discount_code=("SAVE10", "percentage", Decimal(10)),
                             shipping=Decimal("5.00"))
    assert order.total == Decimal("37.96")  # 18.90 + 11.25 + 5.00 shipping + 2.81 tax
    sale = _sale(store, order)

    assert (sale["total"], sale["tax_total"], sale["subtotal"]) == ("37.96", "2.81", "34.50")
    assert [(x["sku"], x["unit_price"], x["discount"], x["order_discount"], x["net"], x["tax"])
            for x in sale["lines"]] == [("A1", "11.00", "1.00", "2.10", "18.90", "1.51"),
                                        ("B2", "12.50", "0.00", "1.25", "11.25", "0.90")]
    assert [(c["kind"], c["net"], c["tax"], c["total"]) for c in sale["charges"]] == [
        ("shipping", "5.00", "0.40", "5.40")]
    assert [(p["method"], p["amount"]) for p in sale["payments"]] == [("card", "37.96")]
    ana = store.api.ok(store.api.get("/customers", email="ana@example.com"))["items"]
    assert sale["customer"] == ana[0]["id"]

    store.work(until=lambda: bool(booked(store.api, f"sale:{sale['number']}")))
    assert by_base_role(booked(store.api, f"sale:{sale['number']}")) == {
        "revenue": Decimal("-30.15"), "tax": Decimal("-2.81"), "shipping": Decimal("-5.00"),
        "tender:card": Decimal("37.96")}
    assert store.api.on_hand("A1", "S1") == 8


def test_cash_on_delivery_is_owed_until_the_shop_is_paid(
        store: SyncedStore, shop: ShopifySimulator) -> None:
    order = shop.place_order([("A1", 1)], gateway="Cash on Delivery (COD)",
                             financial_status="PENDING", shipping=Decimal("4.00"))
    sale = _sale(store, order)
    assert [(p["method"], p["amount"]) for p in sale["payments"]] == [
        ("pay_later", str(order.total))]
    reference = f"sale:{sale['number']}"
    store.work(until=lambda: bool(booked(store.api, reference)))
    assert booked(store.api, reference)["receivable"] == order.total

    shop.mark_as_paid(order.id)
    store.work(until=lambda: bool(store.api.ok(
        store.api.get(f"/sales/{sale['id']}"))["settlements"]))
    settled = store.api.ok(store.api.get(f"/sales/{sale['id']}"))
    assert [(s["method"], s["amount"]) for s in settled["settlements"]] == [
        ("other", str(order.total))]
    assert all(p["method"] != "card" for p in settled["payments"])
    store.work(until=lambda: bool(booked(store.api, f"settlement:{sale['number']}")))
    assert booked(store.api, f"settlement:{sale['number']}") == {
        "tender:other": order.total, "receivable": -order.total}
    store.settle()
    assert "receivable" not in booked(store.api, "")  # owed, then paid: nothing left owed


def test_refunds_and_a_cancellation_in_the_shop_give_back_the_shops_amounts(
        store: SyncedStore, shop: ShopifySimulator) -> None:
    order = shop.place_order([("A1", 3)], discount_code=("FIVE", "fixed", Decimal(5)),
                             shipping=Decimal("6.00"))
    sale = _sale(store, order)
    assert sale["total"] == str(order.total)

    shop.refund(order.id, [("A1", 1)], restock=True)
    store.work(until=lambda: len(returns_of(store.api, str(sale["id"]))) == 1)
    [first] = returns_of(store.api, str(sale["id"]))
    assert first["total"] == str(order.refunds[0].amount)
    assert [(r["method"], r["amount"]) for r in first["refunds"]] == [
        ("card", str(order.refunds[0].amount))]
    store.work(until=lambda: store.api.on_hand("A1", "S1") == 8)

    shop.cancel_order(order.id, refund=True)
    store.work(until=lambda: len(returns_of(store.api, str(sale["id"]))) == 2)
    store.settle()
    given_back = [Decimal(r["total"]) for r in returns_of(store.api, str(sale["id"]))]
    assert given_back == [refund.amount for refund in order.refunds]
    assert sum(given_back) == order.total
    [_, second] = returns_of(store.api, str(sale["id"]))
    assert [(c["kind"], c["total"]) for c in second["charges"]] == [("shipping", "6.48")]
    assert store.api.on_hand("A1", "S1") == 10  # each unit came back once
    assert by_base_role(booked(store.api, "")).get("tender:card") is None  # all paid back


def test_an_unpaid_order_cancelled_in_the_shop_is_owed_no_more(
        store: SyncedStore, shop: ShopifySimulator) -> None:
    order = shop.place_order([("B2", 2)], gateway="Cash on Delivery (COD)",
                             financial_status="PENDING")
    sale = _sale(store, order)
    shop.cancel_order(order.id)
    store.work(until=lambda: len(returns_of(store.api, str(sale["id"]))) == 1)
    [cancelled] = returns_of(store.api, str(sale["id"]))
    assert [(r["method"], r["amount"]) for r in cancelled["refunds"]] == [
        ("pay_later", str(order.total))]
    store.settle()
    assert "receivable" not in booked(store.api, "")
    assert store.api.on_hand("B2", "S1") == 10


def test_orders_tillflow_cannot_record_are_dead_letters_and_later_orders_still_arrive(
        store: SyncedStore, shop: ShopifySimulator) -> None:
    with shop.shop.store.lock:  # renamed in the shop's database: tillflow has no such SKU
        item = shop.shop.variant("C3").inventory_item
        assert item is not None
        item.sku = "RENAMED-3"
    store.api.ok(store.api.patch("/products/B2", {"active": False}))
    before = recorded_rows(store.api)
    not_ours = shop.place_order([("RENAMED-3", 1)])
    withdrawn = shop.place_order([("B2", 1)])
    store.work(until=lambda: len(dead_letters(store.api, "shop")) == 2)
    assert recorded_rows(store.api) == before  # nothing of either was written
    first = dead_letter_for(store.api, "shop", not_ours.id)
    second = dead_letter_for(store.api, "shop", withdrawn.id)
    assert first is not None
    assert "has no SKU" in first["reason"]
    assert second is not None
    assert "not for sale" in second["reason"]
    health = store.api.ok(store.api.get("/connections/shop/health"))
    assert (health["state"], health["failed"]) == ("failing", 2)

    body = b'{"id": '  # signed by the shop, cut short
    response = store.api.client.post("/webhooks/shop", content=body, headers={
        "X-Shopify-Hmac-Sha256": signature(SECRET, body), "X-Shopify-Topic": "orders/create",
        "X-Shopify-Event-Id": "cut-short", "Content-Type": "application/json"})
    assert response.status_code == 400
    assert [d["kind"] for d in dead_letters(store.api, "shop")] == [
        "web_order", "web_order", "webhook"]

    good = shop.place_order([("A1", 1)])
    _sale(store, good)  # the orders before it hold nothing up

    store.api.ok(store.api.patch("/products/B2", {"active": True}))
    replayed = store.api.ok(store.api.post("/connections/shop/dead-letters/replay",
                                           {"ids": [second["id"]]}))
    assert replayed == {"replayed": 1}
    sale = _sale(store, withdrawn)
    assert sale["total"] == str(withdrawn.total)
    assert dead_letter_for(store.api, "shop", withdrawn.id) is None
    assert dead_letter_for(store.api, "shop", not_ours.id) is not None


def test_a_bad_order_seen_by_polling_is_dead_lettered_once_and_the_cursor_moves_on(
        ctx: ServiceContext, shop: ShopifySimulator) -> None:
    with synced_store(ctx) as store:
        connect_shopify(store, shop, webhook_secret=SECRET, price="12.50")
        store.settle()
        shop.faults.configure(webhooks={"drop_next": 100})  # polling alone brings orders
        store.api.ok(store.api.patch("/products/B2", {"active": False}))
        bad = shop.place_order([("B2", 1)])
        good = shop.place_order([("A1", 2)])
        _sale(store, good)
        store.settle()
        [dead] = dead_letters(store.api, "shop")
        assert (dead["external_id"], dead["attempts"]) == (bad.id, 1)
        assert sale_of(store.api, "shopify", bad.id) is None


def test_an_order_in_another_currency_is_a_dead_letter(ctx: ServiceContext) -> None:
    with ShopifySimulator(webhook_secret=SECRET, currency="EUR") as euros, \
            synced_store(ctx) as store:
        connect_shopify(store, euros, webhook_secret=SECRET, price="12.50")
        order = euros.place_order([("A1", 1)])
        store.work(until=lambda: dead_letter_for(store.api, "shop", order.id) is not None)
        dead = dead_letter_for(store.api, "shop", order.id)
        assert dead is not None
        assert "in EUR, the store books USD" in dead["reason"]
        assert store.api.ok(store.api.get("/sales", channel="shopify"))["items"] == []
        assert store.api.on_hand("A1", "S1") == 10


def test_the_dead_letter_list_pages_with_a_cursor(store: SyncedStore) -> None:
    for n in range(5):
        body = json.dumps({"broken": n}).encode()[:-1]
        store.api.client.post("/webhooks/shop", content=body, headers={
            "X-Shopify-Hmac-Sha256": signature(SECRET, body),
            "X-Shopify-Topic": "orders/create", "X-Shopify-Event-Id": f"b{n}"})
    first = store.api.ok(store.api.get("/connections/shop/dead-letters", limit=2))
    assert len(first["items"]) == 2
    assert first["next_cursor"]
    assert len(dead_letters(store.api, "shop")) == 5
    bad = store.api.get("/connections/shop/dead-letters", cursor="not-a-cursor")
    assert bad.status_code == 422


def test_a_web_order_beyond_the_stock_is_recorded_and_its_shortfall_kept(
        store: SyncedStore, shop: ShopifySimulator) -> None:
    order = shop.place_order([("A1", 12)], allow_oversell=True)
    sale = _sale(store, order)
    assert sale["total"] == str(order.total)
    assert store.api.on_hand("A1", "S1") == -2
    events = store.api.ok(store.api.get("/events", limit=500))["events"]
    [shortfall] = [e["data"] for e in events if e["type"] == "stock.discrepancy"]
    assert (shortfall["sku"], shortfall["sale_id"]) == ("A1", sale["id"])
