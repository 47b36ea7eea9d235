"""A return (or a void) sent with an Idempotency-Key: a retry after a lost answer answers
the return it made, the key with another body is refused, a refused return leaves the key
free, and duplicates racing from concurrent clients record one return (PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from support.api import Api
from support.live_server import serving
from tillflow.api.app import create_app
from tillflow.services.context import ServiceContext

DUPLICATES = 8


@pytest.fixture
def till(api: Api) -> dict[str, str]:
    """Cashier Ana at R1 (shift open) in shop S1, with manager Max."""
    api.location("S1")
    api.product("TEA", "3.35")
    api.product("MUG", "7.99")
    api.stock("TEA", "S1", 50)
    api.stock("MUG", "S1", 50)
    api.register_with_shift("R1", "S1")
    api.ok(api.post("/staff", {"name": "Max", "role": "manager", "pin": "987654"}), 201)
    return api.session("R1")


def _sell(api: Api, headers: dict[str, str], key: str = "sale-1") -> Any:
    return api.ok(api.client.post("/api/v1/sales", headers=headers | {
        "Idempotency-Key": key}, json={
        "location": "S1", "register": "R1",
        "lines": [{"sku": "TEA", "quantity": 2}, {"sku": "MUG", "quantity": 1}],
        "payments": [{"method": "cash", "amount": "20.00"}]}), 201)


def _return_body() -> dict[str, Any]:
    """One TEA back (3.35 and 8% tax), in cash."""
    return {"register": "R1", "restock": True, "lines": [{"sku": "TEA", "quantity": 1}],
            "refunds": [{"method": "cash", "amount": "3.62"}]}


def _returns(api: Api, sale: dict[str, Any]) -> list[Any]:
    return list(api.ok(api.get(f"/sales/{sale['id']}/returns"))["items"])


@pytest.mark.parametrize("database", ["sqlite", "postgresql"], indirect=True)
def test_a_retried_return_answers_the_first_and_another_body_is_refused(
        api: Api, till: dict[str, str]) -> None:
    sale = _sell(api, till)
    path = f"/api/v1/sales/{sale['id']}/returns"
    key = {"Idempotency-Key": "return-key-1"}
    on_hand = int(api.on_hand("TEA", "S1"))

    first = api.client.post(path, json=_return_body(), headers=till | key)
    retried = api.client.post(path, json=_return_body(), headers=till | key)
    other_body = api.client.post(path, json=_return_body() | {"restock": False},
                                 headers=till | key)
    other_sale = _sell(api, till, key="sale-2")
    elsewhere = api.client.post(f"/api/v1/sales/{other_sale['id']}/returns",
                                json=_return_body(), headers=till | key)

    assert first.status_code == retried.status_code == 201, first.text
    assert retried.json() == first.json()
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert other_body.status_code == 409
    assert other_body.json()["error"]["code"] == "idempotency_conflict"
    # The key names that return of that sale: on another sale it is another request.
    assert elsewhere.status_code == 409
    assert elsewhere.json()["error"]["code"] == "idempotency_conflict"
    assert _returns(api, other_sale) == []
    assert [r["id"] for r in _returns(api, sale)] == [first.json()["id"]]
    # One TEA back once; the second sale took two.
    assert api.on_hand("TEA", "S1") == on_hand + 1 - 2


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_refused_return_leaves_its_key_free(api: Api, till: dict[str, str]) -> None:
    sale = _sell(api, till)
    path = f"/api/v1/sales/{sale['id']}/returns"
    key = {"Idempotency-Key": "return-key-2"}
    too_many = _return_body() | {"lines": [{"sku": "TEA", "quantity": 3}]}

    refused = api.client.post(path, json=too_many, headers=till | key)
    recorded = api.client.post(path, json=_return_body(), headers=till | key)
    badly_keyed = api.client.post(path, json=_return_body(),
                                  headers=till | {"Idempotency-Key": "not a key!"})

    assert refused.status_code in (409, 422), refused.text
    assert recorded.status_code == 201, recorded.text
    assert badly_keyed.status_code == 422
    assert badly_keyed.json()["error"]["details"]["field"] == "Idempotency-Key"
    assert len(_returns(api, sale)) == 1


@pytest.fixture
def live(ctx: ServiceContext, till: dict[str, str]) -> Iterator[str]:
    with serving(create_app(ctx)) as url:
        yield f"{url}/api/v1"


def _all_at_once(url: str, path: str, body: dict[str, Any],
                 headers: dict[str, str]) -> list[httpx.Response]:
    barrier = threading.Barrier(DUPLICATES)

    def one(_: int) -> httpx.Response:
        with httpx.Client(base_url=url, timeout=60) as client:
            barrier.wait()
            return client.post(path, json=body, headers=headers)

    with ThreadPoolExecutor(DUPLICATES) as pool:
        return list(pool.map(one, range(DUPLICATES)))


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_duplicate_voids_racing_record_one_and_spend_one_approval(
        api: Api, till: dict[str, str], live: str) -> None:
    sale = _sell(api, till)
    approval = api.ok(api.client.post("/api/v1/staff/approvals", headers=till, json={
        "name": "Max", "pin": "987654", "acts": ["void"]}), 201)["approval"]
    body = {"register": "R1", "reason": "void", "restock": True, "approval": approval,
            "lines": [{"sku": line["sku"], "quantity": line["quantity"]}
                      for line in sale["lines"]],
            "refunds": [{"method": "cash", "amount": sale["total"]}]}
    on_hand = int(api.on_hand("MUG", "S1"))

    answers = _all_at_once(live, f"/sales/{sale['id']}/returns", body,
                           till | {"Idempotency-Key": "void-key-1"})

    assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert sum("Idempotent-Replayed" not in a.headers for a in answers) == 1
    [voided] = _returns(api, sale)
    assert voided["reason"] == "void"
    assert api.on_hand("MUG", "S1") == on_hand + 1
    audited = [r for r in api.ok(api.get("/audit", limit=500))["items"]
               if r["act"] == "sale.voided"]
    assert len(audited) == 1
