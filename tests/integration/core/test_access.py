"""Access that can be withdrawn: API tokens named, expiring, listed and revoked (refused
everywhere within a second), staff deactivated, PINs reset and changed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from support.api import Api
from support.databases import row_counts
from support.live_server import serving
from tillflow.api.app import create_app
from tillflow.db.uow import engine_of
from tillflow.services.context import TOKEN_CACHE_SECONDS, ServiceContext

LISTED = {"id", "name", "role", "register", "created_at", "expires_at", "last_used_at"}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_tokens_are_listed_without_secrets_and_revoked(api: Api) -> None:
    api.location("S1")
    api.ok(api.post("/registers", {"code": "R1", "location": "S1"}), 201)
    expires = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    made = api.ok(api.post("/tokens", {"role": "cashier", "name": "till 1", "register": "R1",
                                       "expires_at": expires}), 201)
    assert set(made) == LISTED | {"token"}
    assert (made["name"], made["role"], made["register"]) == ("till 1", "cashier", "R1")
    assert datetime.fromisoformat(made["expires_at"]) == datetime.fromisoformat(expires)
    assert api.client.get("/api/v1/products", headers=_bearer(made["token"])).status_code == 200

    listed = api.ok(api.get("/tokens"))
    assert all(set(item) == LISTED for item in listed["items"])
    mine = next(item for item in listed["items"] if item["id"] == made["id"])
    assert mine["last_used_at"] is not None
    assert made["token"] not in str(listed)
    assert [item["role"] for item in listed["items"]] == [
        "admin", "manager", "cashier", "integration", "cashier"]

    revoked = api.client.delete(f"/api/v1/tokens/{made['id']}", headers=api.headers("admin"))
    assert revoked.json()["revoked"] is True
    refused = api.client.get("/api/v1/products", headers=_bearer(made["token"]))
    assert refused.status_code == 401
    assert made["id"] not in [item["id"] for item in api.ok(api.get("/tokens"))["items"]]
    again = api.client.delete(f"/api/v1/tokens/{made['id']}", headers=api.headers("admin"))
    assert again.status_code == 404
    for path in ("/api/v1/tokens/0", "/api/v1/tokens/x", "/api/v1/tokens/99999999999"):
        assert api.client.delete(path, headers=api.headers("admin")).status_code == 422
    for role in ("manager", "cashier", "integration"):
        assert api.get("/tokens", role=role).status_code == 403
        assert api.client.delete(f"/api/v1/tokens/{made['id']}",
                                 headers=api.headers(role)).status_code == 403


def test_a_token_stops_working_when_it_expires(ctx: ServiceContext, api: Api) -> None:
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    before = row_counts(engine_of(ctx.store))
    assert api.post("/tokens", {"role": "cashier", "expires_at": past}).status_code == 422
    assert api.post("/tokens", {"role": "cashier",
                                "expires_at": "2030-01-01T00:00:00"}).status_code == 422
    assert row_counts(engine_of(ctx.store)) == before
    soon = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    token = api.ok(api.post("/tokens", {"role": "cashier", "expires_at": soon}), 201)["token"]
    assert api.client.get("/api/v1/products", headers=_bearer(token)).status_code == 200
    later = ServiceContext(ctx.store, ctx.config, secret_box=ctx.secret_box,
                           clock=lambda: datetime.now(UTC) + timedelta(hours=2))
    with TestClient(create_app(later)) as client:
        assert client.get("/api/v1/products", headers=_bearer(token)).status_code == 401


@pytest.fixture
def two_workers(ctx: ServiceContext) -> Iterator[tuple[str, str]]:
    """Two API processes' worth of caches: two servers on the same database."""
    other = ServiceContext(ctx.store, ctx.config, secret_box=ctx.secret_box)
    with serving(create_app(ctx)) as first, serving(create_app(other)) as second:
        yield first, second


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_a_revoked_token_fails_on_every_worker_within_a_second(
        api: Api, two_workers: tuple[str, str]) -> None:
    made = api.ok(api.post("/tokens", {"role": "integration", "name": "shop"}), 201)
    clients = [httpx.Client(base_url=f"{url}/api/v1", headers=_bearer(made["token"]),
                            timeout=10) for url in two_workers]
    try:
        for client in clients:  # each worker now trusts the token from its cache
            assert client.get("/products").status_code == 200
        revoke = clients[0].delete(f"/tokens/{made['id']}", headers=api.headers("admin"))
        assert revoke.status_code == 200
        revoked_at = time.monotonic()
        refused_after = []
        for client in clients:
            deadline = revoked_at + 5
            while client.get("/products").status_code == 200:
                assert time.monotonic() < deadline, "the revoked token still works after 5 s"
            refused_after.append(time.monotonic() - revoked_at)
    finally:
        for client in clients:
            client.close()
    assert max(refused_after) < 1.0, refused_after
    assert TOKEN_CACHE_SECONDS < 1.0


@pytest.fixture
def till(api: Api) -> dict[str, dict[str, str]]:
    api.location("S1")
    api.ok(api.post("/registers", {"code": "R1", "location": "S1"}), 201)
    ana = api.session("R1")
    max_ = api.session("R1", name="Max", role="manager", pin="987654")
    return {"Ana": ana, "Max": max_}


def _sign_in(api: Api, name: str, pin: str) -> Any:
    pairing = api.ok(api.post("/registers/R1/pairings"), 201)["token"]
    return api.client.post("/api/v1/staff/sessions", json={"name": name, "pin": pin},
                           headers=_bearer(pairing))


def test_a_deactivated_member_is_signed_out_at_once_and_cannot_sign_in(
        api: Api, till: dict[str, dict[str, str]]) -> None:
    changed = api.ok(api.patch("/staff/Ana", {"active": False}))
    assert changed == {"name": "Ana", "active": False, "role": "cashier", "sessions_ended": 1}
    assert api.client.get("/api/v1/products", headers=till["Ana"]).status_code == 401
    assert _sign_in(api, "Ana", "1234").json()["error"]["code"] == "wrong_pin"
    pairing = api.ok(api.post("/registers/R1/pairings"), 201)["token"]
    listed = api.client.get("/api/v1/staff/register", headers=_bearer(pairing)).json()
    assert [s["name"] for s in listed["staff"]] == ["Max"]
    staff = {m["name"]: m["active"] for m in api.ok(api.get("/staff"))["items"]}
    assert staff == {"Ana": False, "Max": True}

    api.ok(api.patch("/staff/Ana", {"active": True}))
    assert _sign_in(api, "Ana", "1234").status_code == 201
    assert api.patch("/staff/Nobody", {"active": False}).status_code == 404
    assert api.patch("/staff/Ana", {"active": "no"}).status_code == 422
    for role in ("manager", "cashier"):
        assert api.patch("/staff/Ana", {"active": False}, role=role).status_code == 403
    # A manager reads who is who (to put names to the ids of sales and reports); a cashier not.
    assert api.get("/staff", role="cashier").status_code == 403
    listed = api.ok(api.get("/staff", role="manager"))["items"]
    assert {m["name"]: m["active"] for m in listed} == {"Ana": True, "Max": True}
    assert all(isinstance(m["id"], int) and m["role"] for m in listed)


def test_an_admin_resets_a_pin_and_its_owner_changes_it(
        api: Api, till: dict[str, dict[str, str]]) -> None:
    for _ in range(5):
        _sign_in(api, "Ana", "0000")
    assert _sign_in(api, "Ana", "1234").json()["error"]["code"] == "pin_locked"
    before = row_counts(engine_of(api.ctx.store))
    assert api.post("/staff/Ana/pin", {"pin": "12"}).status_code == 422
    assert api.post("/staff/Nobody/pin", {"pin": "4321"}).status_code == 404
    assert api.post("/staff/Ana/pin", {"pin": "4321"}, role="manager").status_code == 403
    assert row_counts(engine_of(api.ctx.store)) == before

    reset = api.ok(api.post("/staff/Ana/pin", {"pin": "4321"}))
    assert reset["sessions_ended"] == 1
    assert api.client.get("/api/v1/products", headers=till["Ana"]).status_code == 401
    assert _sign_in(api, "Ana", "1234").json()["error"]["code"] == "wrong_pin"
    session = _sign_in(api, "Ana", "4321")
    assert session.status_code == 201, session.text
    ana = _bearer(session.json()["token"])

    change = "/api/v1/staff/sessions/current/pin"
    wrong = api.client.post(change, headers=ana, json={"pin": "0000", "new_pin": "2468"})
    assert wrong.json()["error"]["code"] == "wrong_pin"
    same = api.client.post(change, headers=ana, json={"pin": "4321", "new_pin": "4321"})
    assert same.status_code == 422
    api.ok(api.client.post(change, headers=ana, json={"pin": "4321", "new_pin": "2468"}))
    assert _sign_in(api, "Ana", "2468").status_code == 201
    # Only its owner at a register changes a PIN: an API token has none.
    assert api.client.post(change, headers=api.headers("cashier"),
                           json={"pin": "1234", "new_pin": "2468"}).status_code == 403
    acts = [r["act"] for r in api.ok(api.get("/audit", limit=500))["items"]]
    assert acts.count("staff.pin_reset") == 1
    assert acts.count("staff.pin_changed") == 1
