"""Web orders from a real Vendure booked as the shop charged them: its 20 % tax, shipping
and coupon, the payment as taken (authorised and settled later), refunds; and orders
tillflow cannot record, each a dead letter, with later orders still arriving."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from support.sync import SyncedStore, synced_store
from support.vendure_peer import WEBHOOK_SECRET, Vendure
from support.vendure_shop import (
    checkout,
    coupon_code,
    pay_later_method,
    price_the_shop,
    refund,
    settle,
    update_variant,
    variants,
)
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

ORDER_FIGURES = """query($id: ID!) { order(id: $id) { total totalWithTax shippingWithTax
  shipping payments { method state } } }"""
PAY_LATER = "pay-later"
_runs = itertools.count(1)


@pytest.fixture(scope="module")
def vendure(module_vendure: Vendure) -> Vendure:
    """20 % tax, 5.00 shipping plus tax, a 10 % coupon and a method paid later."""
    with module_vendure.admin() as admin:
        price_the_shop(admin, tax_percent=20, shipping_minor=500)
        coupon_code(admin, "SAVE10", 10)
        pay_later_method(admin, PAY_LATER)
    return module_vendure


@pytest.fixture
def skus() -> tuple[str, str]:
    run = next(_runs)
    return f"VW{run}-A", f"VW{run}-B"


@pytest.fixture
def store(ctx: ServiceContext, vendure: Vendure, skus: tuple[str, str]
          ) -> Iterator[SyncedStore]:
    with synced_store(ctx, journal=True) as synced:
        vendure.attach(synced.url)
        api = synced.api
        api.location("S1")
        api.product(skus[0], "10.00")
        api.product(skus[1], "4.50")
        for sku in skus:
            api.stock(sku, "S1", 10)
        api.ok(api.post("/connections", {
            "name": "vendure", "platform": "vendure",
            "settings": {"shop_url": vendure.peer.url, "location": "S1",
                         "tenders": {PAY_LATER: "card"}},
            "secrets": {"api_key": vendure.api_key, "webhook_secret": WEBHOOK_SECRET}}), 201)
        synced.work(until=lambda: _variants(vendure, skus).keys() == set(skus))
        synced.settle()
        yield synced


def _variants(vendure: Vendure, skus: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    with vendure.admin() as admin:
        return variants(admin, list(skus))


def _buy(vendure: Vendure, lines: list[tuple[str, int]], **options: Any) -> str:
    ids = _variants(vendure, tuple(sku for sku, _ in lines))
    return checkout(vendure.peer.url, [(ids[sku]["id"], qty) for sku, qty in lines],
                    email=options.pop("email", "vera@example.com"), **options)


def _figures(vendure: Vendure, order_id: str) -> dict[str, Any]:
    with vendure.admin() as admin:
        found: dict[str, Any] = admin.execute(ORDER_FIGURES, {"id": order_id})["order"]
        return found


def _money(minor: int) -> Decimal:
    return Decimal(minor) / 100


def _sale(store: SyncedStore, order_id: str) -> dict[str, Any]:
    store.work(until=lambda: sale_of(store.api, "vendure", order_id) is not None)
    sale = sale_of(store.api, "vendure", order_id)
    assert sale is not None
    return sale


def test_a_vendure_order_is_booked_at_its_tax_shipping_and_coupon(
        store: SyncedStore, vendure: Vendure, skus: tuple[str, str]) -> None:
    order_id = _buy(vendure, [(skus[0], 2), (skus[1], 1)], coupon="SAVE10")
    figures = _figures(vendure, order_id)
    sale = _sale(store, order_id)

    total, net = _money(figures["totalWithTax"]), _money(figures["total"])
    shipping = _money(figures["shipping"])
    assert Decimal(sale["total"]) == total
    assert Decimal(sale["tax_total"]) == total - net
    assert {x["tax_rate"] for x in sale["lines"]} == {"0.2"}  # Vendure's, not tillflow's 8 %
    assert [Decimal(x["order_discount"]) > 0 for x in sale["lines"]] == [True, True]
    assert [(c["kind"], Decimal(c["net"])) for c in sale["charges"]] == [
        ("shipping", shipping)]
    assert [(p["method"], Decimal(p["amount"])) for p in sale["payments"]] == [("other", total)]
    [vera] = store.api.ok(store.api.get("/customers", email="vera@example.com"))["items"]
    assert sale["customer"] == vera["id"]

    reference = f"sale:{sale['number']}"
    store.work(until=lambda: bool(booked(store.api, reference)))
    assert by_base_role(booked(store.api, reference)) == {
        "revenue": -(net - shipping), "tax": -(total - net), "shipping": -shipping,
        "tender:other": total}


def test_a_payment_authorised_at_checkout_is_owed_until_vendure_settles_it(
        store: SyncedStore, vendure: Vendure, skus: tuple[str, str]) -> None:
    order_id = _buy(vendure, [(skus[1], 2)], method=PAY_LATER)
    assert [p["state"] for p in _figures(vendure, order_id)["payments"]] == ["Authorized"]
    sale = _sale(store, order_id)
    assert [p["method"] for p in sale["payments"]] == ["pay_later"]

    with vendure.admin() as admin:
        settle(admin, order_id)
    store.work(until=lambda: bool(store.api.ok(
        store.api.get(f"/sales/{sale['id']}"))["settlements"]))
    settled = store.api.ok(store.api.get(f"/sales/{sale['id']}"))
    assert [(s["method"], s["amount"]) for s in settled["settlements"]] == [
        ("card", sale["total"])]  # the connection's tender map: pay-later is a card
    store.work(until=lambda: bool(booked(store.api, f"settlement:{sale['number']}")))
    store.settle()
    assert "receivable" not in booked(store.api, "")


def test_refunds_in_vendure_give_back_what_it_refunded(
        store: SyncedStore, vendure: Vendure, skus: tuple[str, str]) -> None:
    order_id = _buy(vendure, [(skus[0], 3)])
    sale = _sale(store, order_id)
    with vendure.admin() as admin:
        by_lines = refund(admin, order_id, lines=[(skus[0], 1)], shipping=600)
        by_amount = refund(admin, order_id, amount=250)
    store.work(until=lambda: len(returns_of(store.api, sale["id"])) == 2)
    given = returns_of(store.api, sale["id"])
    assert sorted(Decimal(r["total"]) for r in given) == sorted(
        _money(r["total"]) for r in (by_lines, by_amount))
    lines = next(r for r in given if r["lines"])
    assert [(x["sku"], x["quantity"], x["total"]) for x in lines["lines"]] == [
        (skus[0], 1, "12.00")]
    assert [(c["kind"], c["total"]) for c in lines["charges"]] == [("shipping", "6.00")]
    amount_only = next(r for r in given if not r["lines"])
    assert [(c["kind"], c["title"], c["total"]) for c in amount_only["charges"]] == [
        ("fee", "refund adjustment", "2.50")]
    assert store.api.on_hand(skus[0], "S1") == 7  # a refund restocks nothing in Vendure


def test_orders_tillflow_cannot_record_are_dead_letters_and_later_orders_arrive(
        store: SyncedStore, vendure: Vendure, skus: tuple[str, str]) -> None:
    renamed = f"{skus[1]}-RENAMED"
    with vendure.admin() as admin:
        update_variant(admin, _variants(vendure, (skus[1],))[skus[1]]["id"], sku=renamed)
    store.settle()
    before = recorded_rows(store.api, customers=False)
    not_ours = _buy(vendure, [(renamed, 1)])
    withdrawn = _buy(vendure, [(skus[0], 1)])
    store.api.ok(store.api.patch(f"/products/{skus[0]}", {"active": False}))  # meanwhile
    store.work(until=lambda: len(dead_letters(store.api, "vendure")) == 2)
    assert recorded_rows(store.api, customers=False) == before
    first = dead_letter_for(store.api, "vendure", not_ours)
    second = dead_letter_for(store.api, "vendure", withdrawn)
    assert first is not None
    assert "has no SKU" in first["reason"]
    assert second is not None
    assert "not for sale" in second["reason"]

    body = json.dumps({"id": "broken", "topic": "order.state"}).encode()
    response = store.api.client.post("/webhooks/vendure", content=body, headers={
        "X-Tillflow-Signature": signature(WEBHOOK_SECRET, body),
        "Content-Type": "application/json"})
    assert response.status_code == 400
    assert len(dead_letters(store.api, "vendure")) == 3

    with vendure.admin() as admin:
        update_variant(admin, _variants(vendure, (renamed,))[renamed]["id"], sku=skus[1])
    good = _buy(vendure, [(skus[1], 2)])
    assert Decimal(_sale(store, good)["total"]) == _money(_figures(vendure, good)["totalWithTax"])

    store.api.ok(store.api.post("/connections/vendure/dead-letters/replay",
                                {"ids": [first["id"]]}))
    assert _sale(store, not_ours)["lines"][0]["sku"] == skus[1]
    assert dead_letter_for(store.api, "vendure", not_ours) is None
    assert dead_letter_for(store.api, "vendure", withdrawn) is not None
