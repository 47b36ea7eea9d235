"""A variant's cost follows the goods received: the moving weighted average, in the
receipt's transaction, right under concurrent receipts (real clients, both databases)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import httpx
import pytest

from support.api import Api
from support.databases import row_counts
from support.live_server import serving
from tillflow.api.app import create_app
from tillflow.db.uow import engine_of
from tillflow.services.context import ServiceContext

CLIENTS = 4


def receive(api: Api, location: str, *lines: tuple[str, int, str]) -> Any:
    return api.post("/goods-receipts", {
        "location": location, "lines": [{"sku": s, "quantity": q, "unit_cost": c}
                                        for s, q, c in lines]}, role="manager")


def cost(api: Api, sku: str) -> str | None:
    found: str | None = api.ok(api.get(f"/products/{sku}"))["cost"]
    return found


@pytest.fixture
def store(api: Api) -> Api:
    api.location("S1")
    api.location("WH", kind="warehouse")
    api.product("A", "9.00")
    api.product("B", "9.00")
    return api


def test_receipts_average_the_cost_over_stock_in_every_location(store: Api) -> None:
    api = store
    api.ok(receive(api, "WH", ("A", 10, "4.00")), 201)
    assert cost(api, "A") == "4.00"  # no cost before: the receipt's
    api.stock("A", "S1", 10)  # 20 held at 4.00 across both locations
    version = api.ok(api.get("/products/A"))["version"]
    api.ok(receive(api, "S1", ("A", 10, "7.00"), ("B", 3, "2.50")), 201)
    assert (cost(api, "A"), cost(api, "B")) == ("5.00", "2.50")
    api.ok(receive(api, "WH", ("A", 1, "1.00")), 201)
    assert cost(api, "A") == "4.871"  # (30 × 5 + 1 × 1) / 31 = 4.87097, to four places
    assert api.ok(api.get("/products/A"))["version"] == version
    changes = [e["data"] for e in api.ok(api.get("/events", limit=500))["events"]
               if e["type"] == "product.cost_changed"]
    assert [(c["sku"], c["previous_cost"], c["cost"]) for c in changes] == [
        ("A", None, "4.00"), ("A", "4.00", "5.00"), ("B", None, "2.50"), ("A", "5.00", "4.871")]


def test_with_nothing_on_hand_the_receipt_sets_the_cost(store: Api) -> None:
    api = store
    api.ok(api.patch("/products/A", {"cost": "8"}))
    api.ok(receive(api, "WH", ("A", 5, "3.00")), 201)
    assert cost(api, "A") == "3.00"


def test_a_refused_receipt_changes_no_cost(store: Api) -> None:
    api = store
    api.ok(receive(api, "WH", ("A", 10, "4.00")), 201)
    before = row_counts(engine_of(api.ctx.store))
    refused = receive(api, "WH", ("A", 10, "9.00"), ("NOPE", 1, "1.00"))
    assert refused.status_code == 422
    assert row_counts(engine_of(api.ctx.store)) == before
    assert cost(api, "A") == "4.00"


def test_concurrent_receipts_keep_the_average_right(ctx: ServiceContext, store: Api) -> None:
    """Each receipt averages over what the one before it left, whatever their order:
    with equal quantities the result is the mean of the costs (to the rounding of each
    step's four places); a receipt that averaged over a state another had already changed
    would be off by a quarter or more."""
    api = store
    api.ok(receive(api, "WH", ("A", 10, "1.00")), 201)
    unit_costs = ["3.00", "5.00", "7.00", "9.00"]
    barrier = threading.Barrier(CLIENTS)
    headers = {"Authorization": f"Bearer {api.tokens['manager']}"}
    with serving(create_app(ctx)) as url:
        def one(n: int) -> httpx.Response:
            body = {"location": "WH" if n % 2 else "S1",
                    "lines": [{"sku": "A", "quantity": 10, "unit_cost": unit_costs[n]}]}
            with httpx.Client(timeout=60) as client:
                barrier.wait()
                return client.post(f"{url}/api/v1/goods-receipts", json=body,
                                   headers=headers)

        with ThreadPoolExecutor(CLIENTS) as pool:
            answers = list(pool.map(one, range(CLIENTS)))
    assert [a.status_code for a in answers] == [201] * CLIENTS
    assert abs(Decimal(cost(api, "A") or "0") - Decimal(5)) <= Decimal("0.0005")
    assert api.ok(api.get("/inventory/A"))["levels"] == [
        {"location": "S1", "on_hand": 20, "available": 20},
        {"location": "WH", "on_hand": 30, "available": 30}]
