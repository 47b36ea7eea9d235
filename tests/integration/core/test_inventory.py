"""The stock ledger through the HTTP API: adjustments, counts, transfers."""

from __future__ import annotations

from typing import Any

import pytest

from support.api import Api
from support.databases import row_counts
from tillflow.db.uow import engine_of
from tillflow.services.inventory import verify_ledger


@pytest.fixture
def store(api: Api) -> Api:
    api.location("S1")
    api.location("WH", kind="warehouse")
    api.product("A")
    return api


def test_adjust_count_and_transfer_keep_the_ledger(store: Api) -> None:
    moved = store.ok(store.post("/inventory/adjustments", {
        "sku": "A", "location": "WH", "delta": 50, "reason": "delivery", "kind": "receipt"},
        role="manager"), 201)
    assert (moved["kind"], moved["on_hand"]) == ("receipt", 50)
    transfer = store.ok(store.post("/inventory/transfers", {
        "sku": "A", "from_location": "WH", "to_location": "S1", "quantity": 20}), 201)
    assert transfer["from"]["on_hand"] == 30
    assert transfer["to"]["on_hand"] == 20
    counted = store.ok(store.post("/inventory/counts",
                                  {"sku": "A", "location": "S1", "counted": 18}), 201)
    assert (counted["kind"], counted["delta"], counted["on_hand"]) == ("count", -2, 18)
    levels = store.ok(store.get("/inventory/A", role="cashier"))
    assert levels == {"sku": "A", "levels": [
        {"location": "S1", "on_hand": 18, "available": 18},
        {"location": "WH", "on_hand": 30, "available": 30},
    ]}
    assert verify_ledger(store.ctx) == []


def test_every_movement_is_an_event(store: Api) -> None:
    store.stock("A", "WH", 5)
    store.ok(store.post("/inventory/transfers", {
        "sku": "A", "from_location": "WH", "to_location": "S1", "quantity": 2}), 201)
    events = store.ok(store.get("/events", after=0))["events"]
    changes = [e["data"] for e in events if e["type"] == "stock.changed"]
    assert [(c["location"], c["kind"], c["delta"], c["on_hand"]) for c in changes] == [
        ("WH", "adjustment", 5, 5), ("S1", "transfer", 2, 2), ("WH", "transfer", -2, 3)]


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/inventory/adjustments", {"sku": "A", "location": "S1", "delta": -1, "reason": "x"},
         409, "insufficient_stock"),
        ("/inventory/adjustments", {"sku": "A", "location": "S1", "delta": 0, "reason": "x"},
         422, "validation_error"),
        ("/inventory/adjustments", {"sku": "A", "location": "S1", "delta": 1, "reason": " "},
         422, "validation_error"),
        ("/inventory/adjustments", {"sku": "A", "location": "S1", "delta": -1,
                                    "reason": "x", "kind": "receipt"}, 422, "validation_error"),
        ("/inventory/adjustments", {"sku": "NOPE", "location": "S1", "delta": 1, "reason": "x"},
         404, "not_found"),
        ("/inventory/adjustments", {"sku": "A", "location": "MARS", "delta": 1, "reason": "x"},
         422, "validation_error"),
        ("/inventory/counts", {"sku": "A", "location": "S1", "counted": -3},
         422, "validation_error"),
        ("/inventory/transfers", {"sku": "A", "from_location": "WH", "to_location": "S1",
                                  "quantity": 1}, 409, "insufficient_stock"),
        ("/inventory/transfers", {"sku": "A", "from_location": "S1", "to_location": "S1",
                                  "quantity": 1}, 422, "validation_error"),
        ("/inventory/transfers", {"sku": "A", "from_location": "WH", "to_location": "S1",
                                  "quantity": 0}, 422, "validation_error"),
    ],
)
def test_bad_stock_commands_write_nothing(store: Api, path: str, body: dict[str, Any],
                                          status: int, code: str) -> None:
    before = row_counts(engine_of(store.ctx.store))
    response = store.post(path, body)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert row_counts(engine_of(store.ctx.store)) == before


def test_unknown_sku_has_no_stock_page(store: Api) -> None:
    assert store.get("/inventory/NOPE").status_code == 404


def test_duplicate_location_and_register(store: Api) -> None:
    assert store.post("/locations", {"code": "S1", "name": "again"}).status_code == 409
    store.ok(store.post("/registers", {"code": "R1", "location": "S1"}), 201)
    assert store.post("/registers", {"code": "R1", "location": "S1"}).status_code == 409
    bad = store.post("/registers", {"code": "R2", "location": "NOPE"})
    assert bad.status_code == 422
    assert store.ok(store.get("/registers/R1")) == {"code": "R1", "location": "S1",
                                                    "open_shift": None}
