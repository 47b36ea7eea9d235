"""A delivery the shop refuses becomes a dead letter; the API lists it and replays it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from support.api import Api
from support.sync import drain, memory_synced
from support.waiting import wait_until
from tillflow.services.context import ServiceContext
from tillflow.sync.consumers import ConsumerRunner
from tillflow.sync.memory import MemoryShop


@pytest.fixture
def memory_shop() -> MemoryShop:
    return MemoryShop()


@pytest.fixture
def setup(ctx: ServiceContext, memory_shop: MemoryShop) -> Iterator[tuple[Api, ConsumerRunner]]:
    with memory_synced(ctx, memory_shop) as synced:
        yield synced


def test_a_refused_delivery_is_dead_lettered_listed_and_replayed(
        setup: tuple[Api, ConsumerRunner], memory_shop: MemoryShop) -> None:
    api, runner = setup
    api.location("S1")
    api.product("Z1")
    api.ok(api.post("/connections", {
        "name": "mem", "platform": "shopify",
        "settings": {"shop_url": "http://127.0.0.1:9", "location": "S1"},
        "secrets": {"access_token": "t"}}), 201)
    drain(runner)
    assert memory_shop.stock == {"Z1": 0}

    del memory_shop.stock["Z1"]  # the shop loses the SKU behind tillflow's back
    api.stock("Z1", "S1", 4)
    drain(runner)
    # A manager watches the connections and works their dead letters.
    [dead] = api.ok(api.get("/connections/mem/dead-letters", role="manager"))["items"]
    assert (dead["kind"], dead["key"]) == ("stock", "sku:Z1")
    assert "not in" in dead["last_error"]
    health = api.ok(api.get("/connections/mem/health", role="manager"))
    assert (health["state"], health["failed"]) == ("failing", 1)
    [glance] = api.ok(api.get("/connection-health", role="manager"))["items"]
    assert (glance["name"], glance["platform"], glance["state"]) == ("mem", "shopify", "failing")
    assert "settings" not in glance

    memory_shop.stock["Z1"] = 0
    assert api.ok(api.post("/connections/mem/dead-letters/replay", {"ids": [dead["id"]]},
                           role="manager")) == {"replayed": 1}
    drain(runner)
    assert memory_shop.stock == {"Z1": 4}
    assert api.ok(api.get("/connections/mem/dead-letters"))["items"] == []
    assert api.ok(api.get("/connections/mem/health"))["state"] == "ok"


@pytest.mark.parametrize(("method", "path", "body", "allowed"), [
    ("GET", "/connection-health", None, {"admin", "manager"}),
    ("GET", "/connections/mem/health", None, {"admin", "manager"}),
    ("GET", "/connections/mem/dead-letters", None, {"admin", "manager"}),
    ("POST", "/connections/mem/dead-letters/replay", {"ids": None}, {"admin", "manager"}),
    ("POST", "/connections/mem/sync", {"scope": "inventory"}, {"admin", "manager"}),
    # Settings and secrets, and the check that uses them, stay the admin's.
    ("GET", "/connections", None, {"admin"}),
    ("GET", "/connections/mem", None, {"admin"}),
    ("PATCH", "/connections/mem", {"settings": {"location": "S1"}}, {"admin"}),
    ("POST", "/connections", {"name": "x", "platform": "shopify"}, set()),
])
def test_managers_watch_connections_and_admins_set_them_up(
        setup: tuple[Api, ConsumerRunner], method: str, path: str, body: object,
        allowed: set[str]) -> None:
    api, _runner = setup
    api.location("S1")
    api.ok(api.post("/connections", {
        "name": "mem", "platform": "shopify",
        "settings": {"shop_url": "http://127.0.0.1:9", "location": "S1"},
        "secrets": {"access_token": "t"}}), 201)
    for role in ("manager", "cashier", "integration"):
        response = api.client.request(method, f"/api/v1{path}", json=body,
                                      headers=api.headers(role))
        if role in allowed:
            assert response.status_code < 400, (role, response.text)
        else:
            assert response.status_code == 403, (role, response.text)


def test_a_failing_sku_is_retried_alone_and_does_not_hold_up_others(
        setup: tuple[Api, ConsumerRunner], memory_shop: MemoryShop) -> None:
    api, runner = setup
    api.location("S1")
    for sku in ("Y1", "Y2"):
        api.product(sku)
    api.ok(api.post("/connections", {
        "name": "mem", "platform": "shopify",
        "settings": {"shop_url": "http://127.0.0.1:9", "location": "S1"},
        "secrets": {"access_token": "t"}}), 201)
    drain(runner)
    memory_shop.unavailable.add("Y1")
    api.stock("Y1", "S1", 3)
    api.stock("Y2", "S1", 5)
    runner.run_once()
    api.stock("Y2", "S1", 1)
    _run_until(runner, lambda: memory_shop.stock["Y2"] == 6)
    assert memory_shop.stock["Y1"] == 0
    assert api.ok(api.get("/connections/mem/health"))["state"] == "degraded"

    memory_shop.unavailable.clear()
    _run_until(runner, lambda: memory_shop.stock["Y1"] == 3)
    assert memory_shop.stock == {"Y1": 3, "Y2": 6}
    assert api.ok(api.get("/connections/mem/dead-letters"))["items"] == []


def _run_until(runner: ConsumerRunner, condition: Callable[[], bool]) -> None:
    def arrived() -> bool:
        runner.run_once()
        return condition()

    if not condition():
        wait_until(arrived, timeout=10, message="the worker did not get there")
