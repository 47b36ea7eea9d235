"""Stock writes over HTTP: compare-and-set, batches, and the @idempotent directive."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sim_support.shopify import (
    data,
    gql,
    inventory_item_id,
    location_id,
    running_simulator,
)
from tillflow_simulators.shopify import ShopifySimulator

SET = """
mutation Set($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id reason changes { name delta quantityAfterChange } }
    userErrors { code field message }
  }
}
"""
ADJUST = """
mutation Adjust($input: InventoryAdjustQuantitiesInput!, $key: String!) {
  inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup {
      id
      changes(quantityNames: ["available"]) { delta quantityAfterChange }
    }
    userErrors { code field message }
  }
}
"""
LEVEL = """
query($id: ID!, $location: ID!) {
  inventoryItem(id: $id) {
    inventoryLevel(locationId: $location) {
      quantities(names: ["available", "on_hand", "committed"]) { name quantity }
    }
  }
}
"""


@pytest.fixture
def sim() -> Iterator[ShopifySimulator]:
    with running_simulator() as simulator:
        simulator.seed(3)
        yield simulator


def quantities(sim: ShopifySimulator, sku: str) -> dict[str, int]:
    level = data(sim, LEVEL, {"id": inventory_item_id(sim, sku), "location": location_id(sim)})
    found = level["inventoryItem"]["inventoryLevel"]["quantities"]
    return {entry["name"]: entry["quantity"] for entry in found}


def set_input(sim: ShopifySimulator, *entries: tuple[str, int, int | None]) -> dict[str, Any]:
    location = location_id(sim)
    return {
        "name": "available",
        "reason": "correction",
        "referenceDocumentUri": "gid://tillflow/StockMovement/1",
        "quantities": [
            {
                "inventoryItemId": inventory_item_id(sim, sku),
                "locationId": location,
                "quantity": quantity,
                "changeFromQuantity": expected,
            }
            for sku, quantity, expected in entries
        ],
    }


def test_set_with_matching_change_from_quantity_writes(sim: ShopifySimulator) -> None:
    current = sim.available("SIM-000001")
    result = data(sim, SET, {"input": set_input(sim, ("SIM-000001", 4, current)), "key": "a1"})
    group = result["inventorySetQuantities"]["inventoryAdjustmentGroup"]
    assert {c["name"]: c["quantityAfterChange"] for c in group["changes"]} == {
        "available": 4,
        "on_hand": 4,
    }
    assert quantities(sim, "SIM-000001") == {"available": 4, "on_hand": 4, "committed": 0}


def test_stale_change_from_quantity_rejects_the_whole_batch(sim: ShopifySimulator) -> None:
    before = {sku: sim.available(sku) for sku in ("SIM-000001", "SIM-000002")}
    entries = (("SIM-000001", 1, before["SIM-000001"]), ("SIM-000002", 1, 999))
    result = data(sim, SET, {"input": set_input(sim, *entries), "key": "b1"})
    payload = result["inventorySetQuantities"]
    assert payload["inventoryAdjustmentGroup"] is None
    assert payload["userErrors"] == [
        {
            "code": "CHANGE_FROM_QUANTITY_STALE",
            "field": ["input", "quantities", "1", "changeFromQuantity"],
            "message": "The changeFromQuantity value does not match persisted value.",
        }
    ]
    assert {sku: sim.available(sku) for sku in before} == before


def test_null_change_from_quantity_opts_out_but_omitting_it_fails(sim: ShopifySimulator) -> None:
    opted_out = set_input(sim, ("SIM-000001", 7, None))
    assert (
        data(sim, SET, {"input": opted_out, "key": "c1"})["inventorySetQuantities"]["userErrors"]
        == []
    )
    assert sim.available("SIM-000001") == 7
    omitted = set_input(sim, ("SIM-000001", 8, None))
    del omitted["quantities"][0]["changeFromQuantity"]
    body = gql(sim, SET, {"input": omitted, "key": "c2"})
    assert body["data"]["inventorySetQuantities"] is None
    assert "changeFromQuantity" in body["errors"][0]["message"]
    assert sim.available("SIM-000001") == 7


def test_directive_is_required_from_2026_04_but_optional_in_2026_01(sim: ShopifySimulator) -> None:
    mutation = SET.replace(" @idempotent(key: $key)", "").replace(", $key: String!", "")
    variables = {"input": set_input(sim, ("SIM-000001", 5, None))}
    strict = gql(sim, mutation, variables)
    assert strict["data"]["inventorySetQuantities"] is None
    assert "@idempotent" in strict["errors"][0]["message"]
    lenient = gql(sim, mutation, variables, version="2026-01")
    assert lenient["data"]["inventorySetQuantities"]["userErrors"] == []
    assert sim.available("SIM-000001") == 5


def test_same_key_replays_the_first_result_without_applying_twice(sim: ShopifySimulator) -> None:
    before = sim.available("SIM-000002")
    adjust: dict[str, Any] = {
        "input": {
            "name": "available",
            "reason": "correction",
            "changes": [
                {
                    "delta": -2,
                    "inventoryItemId": inventory_item_id(sim, "SIM-000002"),
                    "locationId": location_id(sim),
                    "changeFromQuantity": None,
                }
            ],
        },
        "key": "sale-42",
    }
    first = data(sim, ADJUST, adjust)["inventoryAdjustQuantities"]
    replay = data(sim, ADJUST, adjust)["inventoryAdjustQuantities"]
    assert replay == first
    assert first["inventoryAdjustmentGroup"]["changes"] == [
        {"delta": -2, "quantityAfterChange": before - 2}
    ]
    assert sim.available("SIM-000002") == before - 2
    adjust["input"]["changes"][0]["delta"] = -3
    mismatch = data(sim, ADJUST, adjust)["inventoryAdjustQuantities"]
    assert mismatch["inventoryAdjustmentGroup"] is None
    assert mismatch["userErrors"][0]["code"] == "IDEMPOTENCY_KEY_PARAMETER_MISMATCH"
    assert sim.available("SIM-000002") == before - 2


def test_adjust_checks_change_from_quantity_and_item_location(sim: ShopifySimulator) -> None:
    change = {
        "delta": 1,
        "inventoryItemId": inventory_item_id(sim, "SIM-000003"),
        "locationId": location_id(sim),
        "changeFromQuantity": -5,
    }
    stale = data(
        sim,
        ADJUST,
        {"input": {"name": "available", "reason": "correction", "changes": [change]}, "key": "d1"},
    )
    assert stale["inventoryAdjustQuantities"]["userErrors"][0]["code"] == (
        "CHANGE_FROM_QUANTITY_STALE"
    )
    change.update(changeFromQuantity=None, locationId="gid://shopify/Location/42")
    unknown = data(
        sim,
        ADJUST,
        {"input": {"name": "available", "reason": "correction", "changes": [change]}, "key": "d2"},
    )
    assert unknown["inventoryAdjustQuantities"]["userErrors"][0]["code"] == "INVALID_LOCATION"
    bad_reason = data(
        sim,
        ADJUST,
        {"input": {"name": "available", "reason": "because", "changes": [change]}, "key": "d3"},
    )
    codes = {e["code"] for e in bad_reason["inventoryAdjustQuantities"]["userErrors"]}
    assert "INVALID_REASON" in codes


def test_batches_hold_at_most_250_quantities(sim: ShopifySimulator) -> None:
    entry = set_input(sim, ("SIM-000001", 1, None))["quantities"][0]
    too_many = {"name": "available", "reason": "correction", "quantities": [entry] * 251}
    body = gql(sim, SET, {"input": too_many, "key": "e1"})
    assert body["errors"][0]["extensions"]["code"] == "MAX_INPUT_SIZE_EXCEEDED"


def test_web_orders_commit_stock_and_refunds_restock(sim: ShopifySimulator) -> None:
    before = sim.available("SIM-000001")
    order = sim.place_order([("SIM-000001", 3)])
    assert quantities(sim, "SIM-000001") == {
        "available": before - 3,
        "on_hand": before,
        "committed": 3,
    }
    refund = """mutation($input: RefundInput!, $key: String!) {
        refundCreate(input: $input) @idempotent(key: $key) {
          refund { id refundLineItems(first: 5) { nodes { quantity restockType restocked } } }
          order { displayFinancialStatus } userErrors { field message } } }"""
    variables = {
        "input": {
            "orderId": order.id,
            "refundLineItems": [
                {"lineItemId": order.line_items[0].id, "quantity": 2, "restockType": "CANCEL"}
            ],
        },
        "key": "refund-1",
    }
    first = data(sim, refund, variables)["refundCreate"]
    assert first["userErrors"] == []
    # Items back without money back (no refund transaction): the order stays paid.
    assert first["order"]["displayFinancialStatus"] == "PAID"
    assert data(sim, refund, variables)["refundCreate"]["refund"]["id"] == first["refund"]["id"]
    assert len(order.refunds) == 1
    assert quantities(sim, "SIM-000001") == {
        "available": before - 1,
        "on_hand": before,
        "committed": 1,
    }
