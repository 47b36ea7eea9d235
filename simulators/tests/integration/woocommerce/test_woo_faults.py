"""Injected API faults, the optional rate limiter and the HTTP control endpoints."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sim_support.waiting import wait_until
from tillflow_simulators.woocommerce import WooCommerceSimulator


@pytest.fixture
def sim() -> Iterator[WooCommerceSimulator]:
    with WooCommerceSimulator() as simulator:
        yield simulator


@pytest.fixture
def api(sim: WooCommerceSimulator) -> Iterator[httpx.Client]:
    with sim.client(timeout=5.0) as client:
        yield client


def test_fail_next_answers_5xx_then_recovers(sim: WooCommerceSimulator, api: httpx.Client) -> None:
    sim.fail_next(2, status=503, retry_after=3)
    first = api.get("/products")
    second = api.get("/products")
    third = api.get("/products")
    assert (first.status_code, second.status_code, third.status_code) == (503, 503, 200)
    assert first.headers["retry-after"] == "3"
    assert first.headers["content-type"].startswith("text/html")


def test_500_is_wordpress_critical_error(sim: WooCommerceSimulator, api: httpx.Client) -> None:
    sim.fail_next(status=500, method="POST")
    assert api.get("/products").status_code == 200
    response = api.post("/products", json={"name": "x"})
    assert response.status_code == 500
    assert response.json()["code"] == "internal_server_error"
    assert api.get("/products").json() == []


def test_slow_answer_times_out_but_the_write_happens(
    sim: WooCommerceSimulator, api: httpx.Client
) -> None:
    sim.delay_next(seconds=0.6, method="POST")
    with pytest.raises(httpx.ReadTimeout):
        api.post("/products", json={"name": "Slow", "sku": "SLOW"}, timeout=0.2)
    wait_until(
        lambda: api.get("/products", params={"sku": "SLOW"}).json(),
        timeout=5,
        interval=0.05,
        message="the delayed write never happened",
    )


def test_rate_limit_answers_429_with_retry_after(
    sim: WooCommerceSimulator, api: httpx.Client
) -> None:
    sim.rate_limit(rate=0.5, burst=2)
    statuses = [api.get("/products").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = api.get("/products")
    assert limited.json()["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
    sim.clear_rate_limit()
    assert api.get("/products").status_code == 200


def test_control_endpoints_over_http(sim: WooCommerceSimulator, api: httpx.Client) -> None:
    with httpx.Client(base_url=f"{sim.http_url}/_sim") as control:
        seeded = control.post("/seed", json={"count": 3}).json()
        sku = seeded[0]["sku"]
        assert control.put("/stock", json={"sku": sku, "stock_quantity": 4}).status_code == 200
        order = control.post("/orders", json={"line_items": [{"sku": sku, "quantity": 1}]})
        assert order.status_code == 201
        assert order.json()["created_via"] == "checkout"
        assert control.post("/faults", json={"status": 502, "count": 1}).status_code == 201
        assert api.get("/products").status_code == 502
        control.put("/rate-limit", json={"rate": 0.1, "burst": 1})
        api.get("/products")
        assert api.get("/products").status_code == 429
        assert control.delete("/rate-limit").status_code == 204
        faults = control.put("/webhook-faults", json={"drop": 2}).json()
        assert faults["drop"] == 2
        assert control.get("/deliveries").json() == []
    assert sim.stock(sku) == 3
    assert api.get("/products", params={"sku": sku}).json()[0]["stock_quantity"] == 3
