"""``/products/batch`` and ``/products/{id}/variations/batch``: limits and per-item errors."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tillflow_simulators.woocommerce import WooCommerceSimulator


@pytest.fixture
def sim() -> Iterator[WooCommerceSimulator]:
    with WooCommerceSimulator() as simulator:
        yield simulator


@pytest.fixture
def api(sim: WooCommerceSimulator) -> Iterator[httpx.Client]:
    with sim.client(timeout=5.0) as client:
        yield client


def test_batch_creates_updates_and_deletes(sim: WooCommerceSimulator, api: httpx.Client) -> None:
    existing = sim.seed(2)
    response = api.post(
        "/products/batch",
        json={
            "create": [
                {"name": "New", "sku": "NEW-1", "regular_price": 5, "stock_quantity": "7",
                 "manage_stock": True},
                {"name": "Clash", "sku": existing[0]["sku"]},
            ],
            "update": [
                {"id": existing[0]["id"], "stock_quantity": 99},
                {"id": 999999, "stock_quantity": 1},
            ],
            "delete": [existing[1]["id"]],
        },
    )
    assert response.status_code == 200
    result = response.json()
    created, clash = result["create"]
    assert created["sku"] == "NEW-1"
    assert created["regular_price"] == "5"
    assert created["stock_quantity"] == 7
    assert clash["id"] == 0
    assert clash["error"]["code"] == "product_invalid_sku"
    assert clash["error"]["data"]["status"] == 400
    assert result["update"][0]["stock_quantity"] == 99
    assert result["update"][1] == {
        "id": 999999,
        "error": {
            "code": "woocommerce_rest_product_invalid_id",
            "message": "Invalid ID.",
            "data": {"status": 400},
        },
    }
    assert result["delete"][0]["id"] == existing[1]["id"]
    assert api.get(f"/products/{existing[1]['id']}").status_code == 404


def test_more_than_100_items_is_413(api: httpx.Client) -> None:
    items = [{"name": f"P{i}"} for i in range(60)]
    response = api.post("/products/batch", json={"create": items, "update": items[:41]})
    assert response.status_code == 413
    assert response.json() == {
        "code": "woocommerce_rest_request_entity_too_large",
        "message": "Unable to accept more than 100 items for this request.",
        "data": {"status": 413},
    }
    assert api.get("/products").headers["x-wp-total"] == "0"


def test_exactly_100_items_are_accepted(api: httpx.Client) -> None:
    items = [{"name": f"P{i}", "sku": f"B-{i}"} for i in range(100)]
    response = api.post("/products/batch", json={"create": items})
    assert response.status_code == 200
    assert len(response.json()["create"]) == 100


def test_variation_batch_sets_stock(api: httpx.Client) -> None:
    parent = api.post("/products", json={"name": "Tee", "type": "variable"}).json()
    created = api.post(
        f"/products/{parent['id']}/variations/batch",
        json={"create": [
            {"sku": "TEE-S", "regular_price": "10.00", "manage_stock": True, "stock_quantity": 1},
            {"sku": "TEE-M", "regular_price": "10.00", "manage_stock": True, "stock_quantity": 2},
        ]},
    ).json()["create"]
    updated = api.post(
        f"/products/{parent['id']}/variations/batch",
        json={"update": [{"id": created[0]["id"], "stock_quantity": 8}]},
    ).json()["update"]
    assert updated[0]["stock_quantity"] == 8
    stock = {v["sku"]: v["stock_quantity"] for v in api.get(
        f"/products/{parent['id']}/variations"
    ).json()}
    assert stock == {"TEE-S": 8, "TEE-M": 2}
