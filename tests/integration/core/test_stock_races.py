"""The back office's stock documents under real concurrent clients, on SQLite and
PostgreSQL: a retried receipt is recorded once, a transfer received once, a count posted
once, and racing scans all counted."""

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

CLIENTS = 6


@pytest.fixture
def live(ctx: ServiceContext, api: Api) -> Iterator[tuple[str, Api]]:
    api.location("S1")
    api.location("WH", kind="warehouse")
    api.product("R", "5.00", barcodes=["4006381333931"])
    with serving(create_app(ctx)) as url:
        yield url, api


def all_at_once(count: int, call: Callable[[httpx.Client], httpx.Response]) -> list[Any]:
    barrier = threading.Barrier(count)

    def one(_: int) -> httpx.Response:
        with httpx.Client(timeout=30) as client:
            barrier.wait()
            return call(client)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def post(url: str, api: Api, path: str, body: Any = None,
         key: str | None = None) -> Callable[[httpx.Client], httpx.Response]:
    headers = {"Authorization": f"Bearer {api.tokens['manager']}"}
    if key:
        headers["Idempotency-Key"] = key

    def call(client: httpx.Client) -> httpx.Response:
        return client.post(f"{url}/api/v1{path}", json=body, headers=headers)

    return call


def test_a_receipt_sent_many_times_at_once_is_recorded_once(live: tuple[str, Api]) -> None:
    url, api = live
    body = {"location": "WH", "lines": [{"sku": "R", "quantity": 12, "unit_cost": "2.00"}]}
    responses = all_at_once(CLIENTS, post(url, api, "/goods-receipts", body,
                                          key=str(uuid.uuid4())))
    ok = [r for r in responses if r.status_code == 201]
    # Each loser either answers with the recorded receipt or asks for a retry while the
    # winner was in flight: never a second receipt.
    assert {r.json()["id"] for r in ok} == {ok[0].json()["id"]}
    assert all(r.status_code in (201, 409) for r in responses)
    assert api.on_hand("R", "WH") == 12
    assert verify_ledger(api.ctx) == []


def test_a_transfer_received_from_many_clients_arrives_once(live: tuple[str, Api]) -> None:
    url, api = live
    api.stock("R", "WH", 10)
    sent = api.ok(api.post("/stock-transfers", {
        "from_location": "WH", "to_location": "S1", "lines": [{"sku": "R", "quantity": 4}]}),
        201)
    responses = all_at_once(CLIENTS, post(url, api, f"/stock-transfers/{sent['id']}/receive"))
    assert Counter(r.status_code for r in responses) == {200: CLIENTS}
    assert {r.json()["status"] for r in responses} == {"received"}
    assert (api.on_hand("R", "WH"), api.on_hand("R", "S1")) == (6, 4)
    assert verify_ledger(api.ctx) == []


def test_racing_scans_all_count_and_a_count_posts_once(live: tuple[str, Api]) -> None:
    url, api = live
    api.stock("R", "S1", 3)
    count = api.ok(api.post("/stock-counts", {"location": "S1"}), 201)
    path = f"/stock-counts/{count['id']}"
    scans = all_at_once(CLIENTS, post(url, api, f"{path}/entries",
                                      {"barcode": "4006381333931"}))
    assert {r.status_code for r in scans} == {200}
    assert api.ok(api.get(path))["lines"][0]["counted"] == CLIENTS
    posts = all_at_once(CLIENTS, post(url, api, f"{path}/post"))
    assert {r.status_code for r in posts} == {200}
    assert {r.json()["lines"][0]["difference"] for r in posts} == {CLIENTS - 3}
    assert api.on_hand("R", "S1") == CLIENTS
    assert verify_ledger(api.ctx) == []
