"""Cost-based throttling with a standard shop's bucket, and injected API faults."""

from __future__ import annotations

import httpx
import pytest

from sim_support.shopify import gql, running_simulator
from tillflow_simulators.shopify import RateLimits


def test_throttled_when_the_bucket_cannot_hold_the_requested_cost() -> None:
    with running_simulator(rate_limits=True) as sim:
        status = gql(sim, "{ shop { name } }")["extensions"]["cost"]["throttleStatus"]
        assert status["maximumAvailable"] == 2000.0
        assert status["restoreRate"] == 100.0
        httpx.post(f"{sim.url}/_sim/throttle/drain").raise_for_status()
        body = gql(sim, "{ products(first: 250) { nodes { id } } }")
        assert "data" not in body
        assert body["errors"] == [
            {
                "message": "Throttled",
                "extensions": {
                    "code": "THROTTLED",
                    "documentation": "https://shopify.dev/api/usage/rate-limits",
                },
            }
        ]
        cost = body["extensions"]["cost"]
        assert cost["requestedQueryCost"] == 252
        assert cost["actualQueryCost"] is None
        assert cost["throttleStatus"]["currentlyAvailable"] < 252


def test_bucket_refunds_the_unused_part_of_the_requested_cost() -> None:
    limits = RateLimits(maximum_available=1000.0, restore_rate=1.0)
    with running_simulator(rate_limits=limits) as sim:
        cost = gql(sim, "{ products(first: 100) { nodes { id } } }")["extensions"]["cost"]
        assert (cost["requestedQueryCost"], cost["actualQueryCost"]) == (102, 2)
        assert 997 <= cost["throttleStatus"]["currentlyAvailable"] <= 1000


def test_a_query_above_1000_points_is_refused_before_running() -> None:
    with running_simulator(rate_limits=True) as sim:
        body = gql(
            sim, "{ products(first: 250) { nodes { variants(first: 250) { nodes { id } } } } }"
        )
        assert body["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"
        assert body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 2000


@pytest.mark.parametrize(("kind", "status"), [("429", 429), ("500", 500), ("503", 503)])
def test_injected_http_faults_answer_like_shopify(kind: str, status: int) -> None:
    with running_simulator() as sim:
        httpx.post(f"{sim.url}/_sim/faults", json={"api": {"queue": [kind]}}).raise_for_status()
        failed = httpx.post(
            sim.graphql_url(),
            json={"query": "{ shop { name } }"},
            headers={"X-Shopify-Access-Token": sim.access_token},
        )
        assert failed.status_code == status
        assert "errors" in failed.json()
        if status == 429:
            assert failed.headers["Retry-After"] == "2.0"
        assert gql(sim, "{ shop { name } }")["data"]["shop"]["name"]


def test_lost_response_applies_the_write_and_the_retry_is_replayed() -> None:
    with running_simulator() as sim:
        sim.seed(1)
        item = sim.shop.variant("SIM-000001").inventory_item
        assert item is not None
        before = sim.available("SIM-000001")
        sim.faults.configure(api={"queue": ["lost_response"], "timeout_seconds": 1.0})
        mutation = """mutation($input: InventoryAdjustQuantitiesInput!) {
            inventoryAdjustQuantities(input: $input) @idempotent(key: "retry-me") {
              inventoryAdjustmentGroup { id } userErrors { code } } }"""
        variables = {
            "input": {
                "name": "available",
                "reason": "correction",
                "changes": [
                    {
                        "delta": -1,
                        "inventoryItemId": item.id,
                        "locationId": sim.shop.store.primary_location.id,
                        "changeFromQuantity": None,
                    }
                ],
            }
        }
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(
                sim.graphql_url(),
                json={"query": mutation, "variables": variables},
                headers={"X-Shopify-Access-Token": sim.access_token},
                timeout=0.3,
            )
        assert sim.available("SIM-000001") == before - 1
        retried = gql(sim, mutation, variables)["data"]["inventoryAdjustQuantities"]
        assert retried["userErrors"] == []
        assert sim.available("SIM-000001") == before - 1


def test_fault_control_rejects_unknown_kinds() -> None:
    with running_simulator() as sim:
        response = httpx.post(f"{sim.url}/_sim/faults", json={"api": {"queue": ["418"]}})
        assert response.status_code == 422
        assert httpx.get(f"{sim.url}/_sim/faults").json()["api"]["queue"] == []
