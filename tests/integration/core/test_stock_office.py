"""The back office's stock through the HTTP API, on SQLite and PostgreSQL: levels with
reorder points, a SKU's history, goods receipts with cost, counting sessions and
transfers in transit."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from support.api import Api
from support.databases import row_counts
from tillflow.db.uow import engine_of
from tillflow.services.inventory import verify_ledger


@pytest.fixture
def store(api: Api) -> Api:
    api.location("S1")
    api.location("S2")
    api.location("WH", kind="warehouse")
    api.product("A", "10.00", barcodes=["4006381333931"])
    api.product("B", "2.50", tax_rate="0.05")
    return api


def level(api: Api, sku: str, location: str) -> dict[str, Any]:
    rows = api.ok(api.get("/stock-levels", role="manager", query=sku, location=location))
    [found] = [r for r in rows["items"] if r["sku"] == sku]
    return dict(found)


def reorder_point(api: Api, sku: str, location: str, value: int | None, *,
                  role: str = "manager") -> Any:
    return api.client.put(f"/api/v1/stock-levels/{sku}/{location}/reorder-point",
                          json={"reorder_point": value}, headers=api.headers(role))


def receive(api: Api, lines: list[dict[str, Any]], *, key: str | None = None,
            location: str = "WH") -> Any:
    headers = {"Idempotency-Key": key} if key else None
    return api.post("/goods-receipts", {"location": location, "reference": "PO-77",
                                        "lines": lines}, role="manager", headers=headers)


def test_goods_are_received_with_their_cost_once_per_key(store: Api) -> None:
    key = str(uuid.uuid4())
    lines: list[dict[str, Any]] = [
        {"sku": "A", "quantity": 40, "unit_cost": "4.12"},
        {"sku": "B", "quantity": "2.5", "unit_cost": "0.99"}]
    receipt = store.ok(receive(store, lines, key=key), 201)
    assert receipt["number"] == "GR-000001"
    assert [(x["sku"], x["quantity"], x["unit_cost"], x["cost"]) for x in receipt["lines"]] == [
        ("A", 40, "4.12", "164.80"), ("B", "2.5", "0.99", "2.48")]
    assert receipt["total_cost"] == "167.28"
    again = receive(store, lines, key=key)  # the office retries after a timeout
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == receipt
    assert store.on_hand("A", "WH") == 40
    other = receive(store, [{"sku": "A", "quantity": 1, "unit_cost": "1.00"}], key=key)
    assert other.json()["error"]["code"] == "idempotency_conflict"
    assert store.ok(store.get(f"/goods-receipts/{receipt['id']}")) == receipt
    assert [r["id"] for r in store.ok(store.get("/goods-receipts"))["items"]] == [receipt["id"]]


@pytest.mark.parametrize(("lines", "field"), [
    ([{"sku": "A", "quantity": 0, "unit_cost": "1.00"}], "lines.0.quantity"),
    ([{"sku": "A", "quantity": 1, "unit_cost": "-1.00"}], "lines.0.unit_cost"),
    ([{"sku": "A", "quantity": 1, "unit_cost": "1.001"}], "lines.0.unit_cost"),
    ([{"sku": "A", "quantity": 1, "unit_cost": "1"},
      {"sku": "NOPE", "quantity": 1, "unit_cost": "1"}], "lines.1.sku"),
    ([{"sku": "A", "quantity": 1, "unit_cost": "1"},
      {"sku": "A", "quantity": 2, "unit_cost": "1"}], "lines.1.sku"),
])
def test_a_bad_receipt_names_the_field_and_writes_nothing(store: Api, lines: list[Any],
                                                          field: str) -> None:
    before = row_counts(engine_of(store.ctx.store))
    response = receive(store, lines)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"]["field"] == field
    assert row_counts(engine_of(store.ctx.store)) == before


def test_low_stock_by_reorder_point_per_location(store: Api) -> None:
    store.ok(receive(store, [{"sku": "A", "quantity": 5, "unit_cost": "4"}], location="S1"), 201)
    store.ok(receive(store, [{"sku": "B", "quantity": 30, "unit_cost": "1"}], location="S1"), 201)
    for sku, point in (("A", 5), ("B", 10)):
        assert reorder_point(store, sku, "S1", point).json() == {
            "sku": sku, "location": "S1", "reorder_point": point}
    # A reorder point where nothing is stocked yet is low at once.
    reorder_point(store, "B", "S2", 2)
    low = store.ok(store.get("/stock-levels", role="cashier", low="true"))["items"]
    assert [(r["sku"], r["location"], r["on_hand"], r["reorder_point"]) for r in low] == [
        ("A", "S1", 5, 5), ("B", "S2", 0, 2)]
    every = store.ok(store.get("/stock-levels", location="S1"))["items"]
    assert [(r["sku"], r["low"]) for r in every] == [("A", True), ("B", False)]
    page = store.ok(store.get("/stock-levels", limit=1))
    rest = store.ok(store.get("/stock-levels", limit=5, cursor=page["next_cursor"]))
    assert [r["sku"] + r["location"] for r in page["items"] + rest["items"]] == [
        "AS1", "BS1", "BS2"]
    assert reorder_point(store, "A", "S1", None).json()["reorder_point"] is None
    assert level(store, "A", "S1")["low"] is False
    refused = reorder_point(store, "A", "S1", -1)
    assert refused.json()["error"]["details"]["field"] == "reorder_point"
    assert reorder_point(store, "A", "MARS", 1).json()["error"]["details"]["field"] == "location"
    assert reorder_point(store, "A", "S1", 1, role="cashier").status_code == 403


def test_transfers_are_in_transit_between_sent_and_received(store: Api) -> None:
    store.ok(receive(store, [{"sku": "A", "quantity": 20, "unit_cost": "4"},
                             {"sku": "B", "quantity": 10, "unit_cost": "1"}]), 201)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"from_location": "WH", "to_location": "S1", "note": "Monday run",
            "lines": [{"sku": "A", "quantity": 8}, {"sku": "B", "quantity": 3}]}
    sent = store.ok(store.post("/stock-transfers", body, role="manager", headers=key), 201)
    assert (sent["number"], sent["status"]) == ("TR-000001", "sent")
    assert store.post("/stock-transfers", body, role="manager", headers=key).json() == sent
    # In transit: gone from the warehouse, not yet in the store.
    assert (store.on_hand("A", "WH"), store.on_hand("A", "S1")) == (12, 0)
    assert level(store, "A", "S1")["in_transit"] == 8
    received = store.ok(store.post(f"/stock-transfers/{sent['id']}/receive", role="manager"))
    assert received["status"] == "received"
    again = store.ok(store.post(f"/stock-transfers/{sent['id']}/receive", role="manager"))
    assert again == received
    assert (store.on_hand("A", "WH"), store.on_hand("A", "S1"), store.on_hand("B", "S1")) == (
        12, 8, 3)
    assert level(store, "A", "S1")["in_transit"] == 0
    cancelled = store.post(f"/stock-transfers/{sent['id']}/cancel", role="manager")
    assert cancelled.json()["error"]["code"] == "conflict"

    events = store.ok(store.get("/events", after=0, limit=500))["events"]
    changes = [(e["data"]["location"], e["data"]["delta"], e["data"]["on_hand"])
               for e in events if e["type"] == "stock.changed" and e["data"]["sku"] == "A"]
    assert changes == [("WH", 20, 20), ("WH", -8, 12), ("S1", 8, 8)]
    assert verify_ledger(store.ctx) == []


def test_a_cancelled_transfer_puts_the_goods_back_and_a_short_source_sends_nothing(
        store: Api) -> None:
    store.ok(receive(store, [{"sku": "A", "quantity": 5, "unit_cost": "4"}]), 201)
    sent = store.ok(store.post("/stock-transfers", {
        "from_location": "WH", "to_location": "S2", "lines": [{"sku": "A", "quantity": 5}]}),
        201)
    assert store.on_hand("A", "WH") == 0
    assert store.ok(store.post(f"/stock-transfers/{sent['id']}/cancel"))["status"] == "cancelled"
    assert (store.on_hand("A", "WH"), store.on_hand("A", "S2")) == (5, 0)
    assert store.post(f"/stock-transfers/{sent['id']}/receive").status_code == 409
    assert [t["status"] for t in store.ok(store.get("/stock-transfers"))["items"]] == [
        "cancelled"]

    before = row_counts(engine_of(store.ctx.store))
    short = store.post("/stock-transfers", {
        "from_location": "WH", "to_location": "S2",
        "lines": [{"sku": "A", "quantity": 2}, {"sku": "B", "quantity": 1}]})
    assert short.json()["error"]["code"] == "insufficient_stock"
    for body, field in (
            ({"from_location": "WH", "to_location": "WH",
              "lines": [{"sku": "A", "quantity": 1}]}, "to_location"),
            ({"from_location": "WH", "to_location": "MARS",
              "lines": [{"sku": "A", "quantity": 1}]}, "to_location"),
            ({"from_location": "WH", "to_location": "S1",
              "lines": [{"sku": "A", "quantity": -1}]}, "lines.0.quantity")):
        refused = store.post("/stock-transfers", body)
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["details"]["field"] == field
    assert row_counts(engine_of(store.ctx.store)) == before
    assert store.get(f"/stock-transfers/{uuid.uuid4()}").status_code == 404


def test_a_counting_session_is_reviewed_then_posted_as_one_transaction(store: Api) -> None:
    store.ok(receive(store, [{"sku": "A", "quantity": 10, "unit_cost": "4"},
                             {"sku": "B", "quantity": 6, "unit_cost": "1"}], location="S1"),
             201)
    count = store.ok(store.post("/stock-counts", {"location": "S1", "note": "year end"},
                                role="manager"), 201)
    assert (count["number"], count["status"], count["lines"]) == ("CT-000001", "open", [])
    path = f"/stock-counts/{count['id']}"
    for _ in range(3):  # three scans of A's barcode
        store.ok(store.post(f"{path}/entries", {"barcode": "4006381333931"}, role="manager"))
    store.ok(store.post(f"{path}/entries", {"sku": "A", "quantity": 4, "mode": "add"},
                        role="manager"))
    reviewed = store.ok(store.post(f"{path}/entries", {"sku": "B", "quantity": 6},
                                   role="manager"))
    assert [(x["sku"], x["counted"], x["on_hand"], x["difference"])
            for x in reviewed["lines"]] == [("A", 7, 10, -3), ("B", 6, 6, 0)]
    # A sale meanwhile: the difference is taken against the ledger at posting.
    store.ok(store.post("/sales", {"location": "S1", "lines": [{"sku": "A", "quantity": 1}],
                                   "payments": [{"method": "cash", "amount": "10.80"}]}), 201)
    posted = store.ok(store.post(f"{path}/post", role="manager"))
    assert posted["status"] == "posted"
    assert [(x["sku"], x["counted"], x["on_hand"], x["difference"])
            for x in posted["lines"]] == [("A", 7, 9, -2), ("B", 6, 6, 0)]
    assert store.ok(store.post(f"{path}/post", role="manager")) == posted  # a retry
    assert (store.on_hand("A", "S1"), store.on_hand("B", "S1")) == (7, 6)
    closed = store.post(f"{path}/entries", {"sku": "A", "quantity": 1}, role="manager")
    assert closed.status_code == 409
    assert store.post(f"{path}/cancel", role="manager").status_code == 409

    history = store.ok(store.get("/inventory/A/movements", role="manager", location="S1"))
    assert [(m["kind"], m["delta"], m["on_hand"], m["reference"])
            for m in history["items"]] == [
        ("count", -2, 7, "CT-000001"), ("sale", -1, 9, history["items"][1]["reference"]),
        ("receipt", 10, 10, "GR-000001")]
    assert history["items"][0]["reason"] == "count CT-000001: counted 7"
    assert verify_ledger(store.ctx) == []


@pytest.mark.parametrize(("body", "field"), [
    ({"sku": "A", "barcode": "4006381333931"}, "sku"),
    ({}, "sku"),
    ({"barcode": "4006381333948"}, "barcode"),
    ({"sku": "NOPE", "quantity": 1}, "sku"),
    ({"sku": "A", "quantity": -1, "mode": "set"}, "quantity"),
])
def test_a_bad_count_entry_names_the_field_and_writes_nothing(
        store: Api, body: dict[str, Any], field: str) -> None:
    count = store.ok(store.post("/stock-counts", {"location": "S1"}), 201)
    before = row_counts(engine_of(store.ctx.store))
    response = store.post(f"/stock-counts/{count['id']}/entries", body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"]["field"] == field
    assert row_counts(engine_of(store.ctx.store)) == before


def test_a_cancelled_count_moves_nothing(store: Api) -> None:
    count = store.ok(store.post("/stock-counts", {"location": "S2"}), 201)
    store.ok(store.post(f"/stock-counts/{count['id']}/entries", {"sku": "B", "quantity": 9}))
    assert store.ok(store.post(f"/stock-counts/{count['id']}/cancel"))["status"] == "cancelled"
    assert store.post(f"/stock-counts/{count['id']}/post").status_code == 409
    assert store.on_hand("B", "S2") == 0
    assert store.ok(store.get("/stock-counts", status="cancelled"))["items"][0]["id"] == count["id"]
    empty = store.ok(store.post("/stock-counts", {"location": "S2"}), 201)
    refused = store.post(f"/stock-counts/{empty['id']}/post")
    assert refused.json()["error"]["details"]["field"] == "lines"


def test_a_skus_history_explains_every_movement(store: Api) -> None:
    store.ok(receive(store, [{"sku": "B", "quantity": 10, "unit_cost": "1"}], location="S1"),
             201)
    sale = store.ok(store.post("/sales", {"location": "S1", "lines": [{"sku": "B", "quantity": 2}],
                                          "payments": [{"method": "cash", "amount": "5.25"}]}),
                    201)
    store.ok(store.post(f"/sales/{sale['id']}/returns", {"lines": [{"sku": "B", "quantity": 1}]}),
             201)
    store.ok(store.post("/inventory/adjustments", {"sku": "B", "location": "S1", "delta": -1,
                                                   "reason": "broken"}), 201)
    found = store.ok(store.get("/inventory/B/movements", limit=2))
    older = store.ok(store.get("/inventory/B/movements", limit=2, cursor=found["next_cursor"]))
    assert older["next_cursor"] is None
    assert [(m["kind"], m["delta"], m["on_hand"], m["reason"])
            for m in found["items"] + older["items"]] == [
        ("adjustment", -1, 8, "broken"), ("return", 1, 9, found["items"][1]["reason"]),
        ("sale", -2, 8, older["items"][0]["reason"]),
        ("receipt", 10, 10, "goods receipt GR-000001 (PO-77)")]
    assert store.get("/inventory/NOPE/movements").status_code == 404
