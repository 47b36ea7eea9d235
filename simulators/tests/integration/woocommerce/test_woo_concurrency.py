"""Concurrent web orders and API calls leave the stock consistent (no lost update)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

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


def test_parallel_orders_each_take_their_unit(sim: WooCommerceSimulator, api: httpx.Client) -> None:
    sku = sim.seed(1)[0]["sku"]
    sim.set_stock(sku, 100)

    def rest_order(_: int) -> int:
        with sim.client(timeout=10) as client:
            response = client.post(
                "/orders", json={"set_paid": True, "line_items": [{"sku": sku, "quantity": 1}]}
            )
            return response.status_code

    def web_order(_: int) -> int:
        return int(sim.place_order([(sku, 2)])["id"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(rest_order, range(20)))
        web_ids = list(pool.map(web_order, range(10)))
    assert statuses == [201] * 20
    assert len(set(web_ids)) == 10
    assert sim.stock(sku) == 100 - 20 - 20
    assert api.get("/orders", params={"per_page": 100}).headers["x-wp-total"] == "30"
