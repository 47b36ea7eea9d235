"""Real concurrent clients against a real server, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from support.api import Api
from support.live_server import serving
from tillflow.api.app import create_app
from tillflow.services.context import ServiceContext
from tillflow.services.inventory import verify_ledger

CLIENTS = 8


@pytest.fixture
def live(ctx: ServiceContext, api: Api) -> Iterator[tuple[str, Api]]:
    api.location("S1")
    with serving(create_app(ctx)) as url:
        yield url, api


def all_at_once(count: int, call: Callable[[httpx.Client], httpx.Response]) -> list[Any]:
    """Run ``call`` from ``count`` threads released together, each with its own client."""
    barrier = threading.Barrier(count)

    def one(_: int) -> httpx.Response:
        with httpx.Client(timeout=30) as client:
            barrier.wait()
            return call(client)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def sell(url: str, token: str, body: dict[str, Any],
         key: str | None = None) -> Callable[[httpx.Client], httpx.Response]:
    """A sale request; each call is a new sale unless a shared ``key`` makes it a retry."""

    def post(client: httpx.Client) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}",
                   "Idempotency-Key": key or str(uuid.uuid4())}
        return client.post(f"{url}/api/v1/sales", json=body, headers=headers)

    return post


def test_the_last_unit_is_sold_exactly_once(live: tuple[str, Api]) -> None:
    url, api = live
    for round_no in range(15):
        sku = f"LAST-{round_no}"
        api.product(sku, "5.00")
        api.stock(sku, "S1", 1)
        body = {"location": "S1", "lines": [{"sku": sku, "quantity": 1}],
                "payments": [{"method": "cash", "amount": "10.00"}]}
        responses = all_at_once(CLIENTS, sell(url, api.tokens["cashier"], body))
        statuses = Counter(r.status_code for r in responses)
        assert statuses == {201: 1, 409: CLIENTS - 1}, statuses
        refused = [r.json()["error"]["code"] for r in responses if r.status_code == 409]
        assert set(refused) == {"insufficient_stock"}
        assert api.on_hand(sku, "S1") == 0
    assert verify_ledger(api.ctx) == []


def test_a_double_submitted_sale_is_recorded_once(live: tuple[str, Api]) -> None:
    url, api = live
    api.product("A", "5.00")
    api.stock("A", "S1", 100)
    body = {"location": "S1", "lines": [{"sku": "A", "quantity": 2}],
            "payments": [{"method": "cash", "amount": "20.00"}]}
    for _ in range(5):
        key = str(uuid.uuid4())
        responses = all_at_once(CLIENTS, sell(url, api.tokens["cashier"], body, key))
        assert {r.status_code for r in responses} == {201}
        assert len({r.json()["id"] for r in responses}) == 1
    assert api.on_hand("A", "S1") == 90


def test_sale_numbers_stay_gap_free_under_load(live: tuple[str, Api]) -> None:
    url, api = live
    api.product("A", "1.00")
    api.product("SCARCE", "1.00")
    api.stock("A", "S1", 1000)
    api.stock("SCARCE", "S1", 3)
    api.register_with_shift("R1", "S1")
    token = api.tokens["cashier"]

    def mixed(client: httpx.Client) -> list[httpx.Response]:
        out = []
        for n in range(4):
            sku = "SCARCE" if n == 0 else "A"
            body = {"location": "S1", "register": "R1", "lines": [{"sku": sku, "quantity": 1}],
                    "payments": [{"method": "cash", "amount": "5.00"}]}
            out.append(sell(url, token, body)(client))
        return out

    barrier = threading.Barrier(CLIENTS)

    def worker(_: int) -> list[httpx.Response]:
        with httpx.Client(timeout=30) as client:
            barrier.wait()
            return mixed(client)

    with ThreadPoolExecutor(CLIENTS) as pool:
        responses = [r for batch in pool.map(worker, range(CLIENTS)) for r in batch]
    created = [r.json() for r in responses if r.status_code == 201]
    assert len(created) == CLIENTS * 4 - (CLIENTS - 3)
    numbers = sorted(int(s["number"].split("-")[1]) for s in created)
    assert numbers == list(range(1, len(created) + 1))


def test_events_stay_gap_free_and_complete_under_load(live: tuple[str, Api]) -> None:
    url, api = live
    api.product("A", "1.00")
    api.stock("A", "S1", 1000)
    body = {"location": "S1", "lines": [{"sku": "A", "quantity": 1}],
            "payments": [{"method": "cash", "amount": "5.00"}]}
    token = api.tokens["integration"]
    read: list[dict[str, Any]] = []

    def reader(client: httpx.Client) -> httpx.Response:
        after = 0
        response = client.get(f"{url}/api/v1/events", params={"after": 0, "limit": 1},
                              headers={"Authorization": f"Bearer {token}"})
        for _ in range(30):
            response = client.get(f"{url}/api/v1/events", params={"after": after, "limit": 7},
                                  headers={"Authorization": f"Bearer {token}"})
            page = response.json()
            read.extend(page["events"])
            after = page["next_after"]
        return response

    calls = [sell(url, api.tokens["cashier"], body) for _ in range(CLIENTS - 1)] + [reader]
    barrier = threading.Barrier(CLIENTS)

    def run(call: Callable[[httpx.Client], httpx.Response]) -> httpx.Response:
        with httpx.Client(timeout=30) as client:
            barrier.wait()
            return call(client)

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(run, calls))
    everything = api.ok(api.get("/events", after=0, limit=500))["events"]
    assert [e["seq"] for e in everything] == list(range(1, len(everything) + 1))
    assert Counter(e["type"] for e in everything)["sale.completed"] == CLIENTS - 1
    # What the concurrent reader saw is a prefix of the final log: nothing skipped.
    assert [e["seq"] for e in read] == list(range(1, len(read) + 1))
    assert read == everything[: len(read)]
