"""Checkout through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from support.api import Api
from support.databases import row_counts
from tillflow.db.uow import engine_of


@pytest.fixture
def store(api: Api) -> Api:
    api.location("S1")
    api.product("A", "10.00", tax_rate="0.08", barcodes=["4006381333931"])
    api.product("B", "2.50", tax_rate="0.05")
    api.product("W", "12.99", tax_rate="0")
    for sku in ("A", "B", "W"):
        api.stock(sku, "S1", 10)
    return api


def sale_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "location": "S1",
        "lines": [{"sku": "A", "quantity": 2}, {"sku": "B", "quantity": 1}],
        "payments": [{"method": "cash", "amount": "30.00"}],
    }
    body.update(overrides)
    return body


def test_cash_sale_prices_taxes_and_gives_change(store: Api) -> None:
    sale = store.ok(store.post("/sales", sale_body(), role="cashier"), 201)
    assert sale["subtotal"] == "22.50"
    assert sale["tax_total"] == "1.73"  # 20.00 * 0.08 = 1.60 and 2.50 * 0.05 = 0.125 -> 0.13
    assert sale["total"] == "24.23"
    assert sale["change_due"] == "5.77"
    assert sale["status"] == "completed"
    assert [line["total"] for line in sale["lines"]] == ["21.60", "2.63"]
    assert sale["number"] == "S1/000001"
    assert store.on_hand("A", "S1") == 8
    assert store.ok(store.get(f"/sales/{sale['id']}")) == sale


def test_discounts_are_spread_over_lines_before_tax(store: Api) -> None:
    body = sale_body(lines=[{"sku": "A", "quantity": 1, "discount": "1.00"},
                            {"sku": "B", "quantity": 2}],
                     discount="2.00", payments=[{"method": "cash", "amount": "14.00"}])
    sale = store.ok(store.post("/sales", body), 201)
    # after line discounts: A 9.00, B 5.00; the 2.00 order discount splits 1.29 / 0.71
    assert [line["order_discount"] for line in sale["lines"]] == ["1.29", "0.71"]
    assert [line["net"] for line in sale["lines"]] == ["7.71", "4.29"]
    assert [line["tax"] for line in sale["lines"]] == ["0.62", "0.21"]
    assert sale["discount_total"] == "3.00"
    assert sale["total"] == "12.83"


def test_weighed_goods_and_price_override(store: Api) -> None:
    body = sale_body(lines=[{"sku": "W", "quantity": "0.375"},
                            {"sku": "B", "quantity": 1, "unit_price": "2.00"}],
                     payments=[{"method": "cash", "amount": "7.00"}])
    sale = store.ok(store.post("/sales", body), 201)
    assert sale["lines"][0]["quantity"] == "0.375"
    assert sale["lines"][0]["subtotal"] == "4.87"  # 12.99 * 0.375 = 4.87125
    assert sale["total"] == "6.97"
    assert store.on_hand("W", "S1") == "9.625"


def test_split_tender_with_card_reference(store: Api) -> None:
    body = sale_body(payments=[{"method": "card", "amount": "20.00", "reference": "AUTH-1"},
                               {"method": "cash", "amount": "5.00"}])
    sale = store.ok(store.post("/sales", body), 201)
    assert sale["change_due"] == "0.77"
    assert sale["payments"][0] == {"method": "card", "amount": "20.00", "reference": "AUTH-1"}


def test_same_idempotency_key_returns_the_same_sale(store: Api) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = store.post("/sales", sale_body(), headers=key)
    before = row_counts(engine_of(store.ctx.store))
    again = store.post("/sales", sale_body(), headers=key)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert row_counts(engine_of(store.ctx.store)) == before
    assert store.on_hand("A", "S1") == 8


def test_same_key_with_another_body_is_a_conflict(store: Api) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    store.ok(store.post("/sales", sale_body(), headers=key), 201)
    before = row_counts(engine_of(store.ctx.store))
    other = store.post("/sales", sale_body(lines=[{"sku": "A", "quantity": 1}]), headers=key)
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_conflict"
    assert row_counts(engine_of(store.ctx.store)) == before


def test_a_failed_sale_does_not_burn_its_key(store: Api) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    short = store.post("/sales", sale_body(payments=[{"method": "cash", "amount": "1.00"}]),
                       headers=key)
    assert short.status_code == 422
    store.ok(store.post("/sales", sale_body(payments=[{"method": "cash", "amount": "1.00"}],
                                            lines=[{"sku": "B", "quantity": 0.5}]),
                        headers=key), 422)


def test_insufficient_stock_writes_nothing(store: Api) -> None:
    before = row_counts(engine_of(store.ctx.store))
    response = store.post("/sales", sale_body(lines=[{"sku": "B", "quantity": 1},
                                                     {"sku": "A", "quantity": 11}],
                                              payments=[{"method": "cash", "amount": "200"}]))
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "insufficient_stock"
    assert error["details"]["sku"] == "A"
    assert row_counts(engine_of(store.ctx.store)) == before
    assert store.on_hand("B", "S1") == 10


def test_negative_stock_where_the_location_allows_it(store: Api) -> None:
    store.location("S9", allow_negative_stock=True)
    sale = store.post("/sales", sale_body(location="S9"))
    assert sale.status_code == 201
    assert store.on_hand("A", "S9") == -2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"lines": [{"sku": "NOPE", "quantity": 1}]}, "lines[0].sku"),
        ({"lines": [{"sku": "A", "quantity": 0}]}, "lines[0].quantity"),
        ({"lines": [{"sku": "A", "quantity": -1}]}, "lines[0].quantity"),
        ({"lines": [{"sku": "A", "quantity": "1.2345"}]}, "lines[0].quantity"),
        ({"payments": [{"method": "cash", "amount": "1.234"}]}, "payments[0].amount"),
        ({"payments": [{"method": "cash", "amount": "abc"}]}, "payments[0].amount"),
        ({"payments": [{"method": "cash", "amount": "10.00"}]}, "payments"),
        ({"payments": [{"method": "card", "amount": "30.00", "reference": "X"}]}, "payments"),
        ({"payments": [{"method": "card", "amount": "24.23"}]}, "payments[0].reference"),
        ({"payments": [{"method": "bitcoin", "amount": "30.00"}]}, "payments[0].method"),
        ({"location": "NOWHERE"}, "location"),
        ({"register": "R404"}, "register"),
        ({"customer": "no-such-customer"}, "customer"),
        ({"discount": "99.00"}, "discount"),
        ({"lines": [{"sku": "A", "quantity": 1, "discount": "10.01"}]}, "lines[0].discount"),
    ],
)
def test_bad_sales_are_refused_and_write_nothing(store: Api, overrides: dict[str, Any],
                                                 field: str) -> None:
    before = row_counts(engine_of(store.ctx.store))
    response = store.post("/sales", sale_body(**overrides))
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"]["field"] == field
    assert row_counts(engine_of(store.ctx.store)) == before


@pytest.mark.parametrize(
    "body",
    [
        sale_body(payments=[{"method": "cash", "amount": 30.5}]),
        sale_body(lines=[{"sku": "A", "quantity": 1.5}]),
        sale_body(lines=[]),
        sale_body(lines=[{"sku": "A", "qty": 1}]),
        {"lines": [{"sku": "A", "quantity": 1}]},
    ],
)
def test_malformed_bodies_get_the_validation_envelope(store: Api, body: dict[str, Any]) -> None:
    response = store.post("/sales", body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert response.json()["error"]["details"]["errors"]


def test_oversized_body_is_refused(store: Api) -> None:
    lines = [{"sku": "A", "quantity": 1, "padding": "x" * 1000} for _ in range(100)]
    response = store.post("/sales", sale_body(lines=lines))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_a_sale_on_a_register_needs_an_open_shift(store: Api) -> None:
    store.ok(store.post("/registers", {"code": "R1", "location": "S1"}), 201)
    response = store.post("/sales", sale_body(register="R1"))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    store.ok(store.post("/registers/R1/shifts", {"opening_float": "50.00"}), 201)
    first = store.ok(store.post("/sales", sale_body(register="R1")), 201)
    second = store.ok(store.post("/sales", sale_body(register="R1")), 201)
    assert (first["number"], second["number"]) == ("R1-000001", "R1-000002")


def test_a_register_sells_only_at_its_location(store: Api) -> None:
    store.location("S2")
    store.register_with_shift("R2", "S2")
    response = store.post("/sales", sale_body(register="R2"))
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "register"


def test_inactive_products_cannot_be_sold(store: Api) -> None:
    store.ok(store.patch("/products/B", {"active": False}))
    response = store.post("/sales", sale_body())
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "lines[1].sku"


def test_unknown_sale_is_not_found(store: Api) -> None:
    response = store.get(f"/sales/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_an_offline_sale_is_never_refused_for_stock(store: Api) -> None:
    store.register_with_shift("R1", "S1")
    key = {"Idempotency-Key": str(uuid.uuid4())} | store.session("R1")
    body = sale_body(register="R1", offline=True, lines=[{"sku": "A", "quantity": 12}],
                     payments=[{"method": "cash", "amount": "200.00"}])
    sale = store.ok(store.post("/sales", body, role=None, headers=key), 201)
    assert sale["offline"] is True
    assert store.on_hand("A", "S1") == -2
    again = store.post("/sales", body, role=None, headers=key)  # the register replays its queue
    assert again.json()["id"] == sale["id"]
    assert store.on_hand("A", "S1") == -2
    found = store.ok(store.get("/inventory/discrepancies"))["items"]
    assert [(d["sku"], d["location"], d["sale_id"], d["shortfall"], d["on_hand_after"])
            for d in found] == [("A", "S1", sale["id"], 2, -2)]
    events = store.ok(store.get("/events", after=0, limit=500))["events"]
    assert [e["data"]["shortfall"] for e in events if e["type"] == "stock.discrepancy"] == [2]


def test_an_offline_sale_outlives_its_closed_shift(store: Api) -> None:
    shift = store.register_with_shift("R1", "S1")
    store.ok(store.post(f"/shifts/{shift}/close", {"counted_cash": "100.00"}))
    sale = store.ok(store.post("/sales", sale_body(register="R1", offline=True), role=None,
                               headers=store.session("R1")), 201)
    assert sale["shift_id"] is None


def test_channel_orders_are_recorded_once_and_listed(store: Api) -> None:
    body = sale_body(channel="shopify", external_id="gid://shopify/Order/1",
                     payments=[{"method": "card", "amount": "24.23", "reference": "web"}])
    first = store.ok(store.post("/sales", body, role="integration"), 201)
    again = store.post("/sales", body | {"lines": [{"sku": "A", "quantity": 1}]},
                       role="integration")
    assert again.json()["id"] == first["id"]
    store.ok(store.post("/sales", sale_body()), 201)
    listed = store.ok(store.get("/sales", channel="shopify"))
    assert [(s["id"], s["channel"], s["external_id"]) for s in listed["items"]] == [
        (first["id"], "shopify", "gid://shopify/Order/1")]
    assert store.on_hand("A", "S1") == 6
    events = store.ok(store.get("/events", after=0, limit=500))["events"]
    kinds = [e["data"]["kind"] for e in events if e["type"] == "stock.changed"]
    assert "channel_order" in kinds
    assert store.post("/sales", sale_body(channel="shopify")).status_code == 422
    assert store.post("/sales", sale_body(external_id="x")).status_code == 422


def test_sales_page_with_a_cursor(store: Api) -> None:
    made = [store.ok(store.post("/sales", sale_body(lines=[{"sku": "B", "quantity": 1}],
                                                    payments=[{"method": "cash",
                                                               "amount": "5"}])), 201)["id"]
            for _ in range(5)]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = store.ok(store.get("/sales", **params))
        seen += [s["id"] for s in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == made
    assert store.get("/sales", cursor="nope!").status_code == 422
    assert store.get("/sales", location="MARS").status_code == 422
