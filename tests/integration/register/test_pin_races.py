"""PIN guessing and token guessing, as an attacker would try them against a running server:
the lockout holds after five under forty concurrent tries, approvals are asked only from a
register's session, failed checks are rate-limited (429) where every worker counts them,
and a good credential is never limited. SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from support.api import Api
from support.live_server import serving
from tillflow.api.app import create_app
from tillflow.db.uow import engine_of
from tillflow.services import pin_checks, rate_limits
from tillflow.services.context import ServiceContext

TRIES = 40


@pytest.fixture
def till(api: Api) -> str:
    """R1 paired, with Ana (cashier) and Max (manager); the pairing token."""
    api.location("S1")
    api.ok(api.post("/registers", {"code": "R1", "location": "S1"}), 201)
    api.ok(api.post("/staff", {"name": "Ana", "role": "cashier", "pin": "1234"}), 201)
    api.ok(api.post("/staff", {"name": "Max", "role": "manager", "pin": "987654"}), 201)
    return str(api.ok(api.post("/registers/R1/pairings"), 201)["token"])


@pytest.fixture
def live(ctx: ServiceContext, till: str) -> Iterator[str]:
    with serving(create_app(ctx)) as url:
        yield f"{url}/api/v1"


def all_at_once(count: int, call: Callable[[httpx.Client, int], httpx.Response],
                base_url: str) -> list[httpx.Response]:
    barrier = threading.Barrier(count)

    def one(n: int) -> httpx.Response:
        with httpx.Client(base_url=base_url, timeout=60) as client:
            barrier.wait()
            return call(client, n)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def _failed_attempts(api: Api, name: str) -> int:
    with engine_of(api.ctx.store).connect() as connection:
        return int(connection.execute(
            text("SELECT failed_attempts FROM staff_members WHERE name = :name"),
            {"name": name}).scalar_one())


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_forty_concurrent_wrong_pins_lock_the_member_after_five(
        api: Api, till: str, live: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The lockout alone: the address's rate limit would answer some of these with 429.
    monkeypatch.setattr(rate_limits, "PER_ADDRESS", rate_limits.Limit(
        failures=10_000, window=timedelta(minutes=1)))
    responses = all_at_once(TRIES, lambda client, n: client.post(
        "/staff/sessions", json={"name": "Max", "pin": f"{n:06d}"}, headers=_bearer(till)),
        live)
    codes = Counter(r.json()["error"]["code"] for r in responses)
    assert {r.status_code for r in responses} == {403}
    assert codes == {"wrong_pin": pin_checks.MAX_FAILED_ATTEMPTS - 1,
                     "pin_locked": TRIES - pin_checks.MAX_FAILED_ATTEMPTS + 1}, codes
    left = sorted(r.json()["error"]["details"]["attempts_left"] for r in responses
                  if r.json()["error"]["code"] == "wrong_pin")
    assert left == [1, 2, 3, 4]
    assert _failed_attempts(api, "Max") == pin_checks.MAX_FAILED_ATTEMPTS
    right = httpx.post(f"{live}/staff/sessions", json={"name": "Max", "pin": "987654"},
                       headers=_bearer(till))
    assert right.json()["error"]["code"] == "pin_locked"


def test_approvals_are_asked_only_from_a_register_session(
        api: Api, till: str, live: str) -> None:
    """Tokens once guessed managers' PINs and locked them out through approvals."""
    cashier = api.tokens["cashier"]
    responses = all_at_once(TRIES, lambda client, n: client.post(
        "/staff/approvals", json={"name": "Max", "pin": f"{n:06d}", "action": "discount"},
        headers=_bearer(cashier)), live)
    assert Counter(r.json()["error"]["code"] for r in responses) == {"forbidden": TRIES}
    for role in ("integration", "admin", "manager"):
        refused = httpx.post(f"{live}/staff/approvals", headers=_bearer(api.tokens[role]),
                             json={"name": "Max", "pin": "987654", "action": "discount"})
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")
    assert _failed_attempts(api, "Max") == 0
    ana = httpx.post(f"{live}/staff/sessions", json={"name": "Ana", "pin": "1234"},
                     headers=_bearer(till)).json()["token"]
    given = httpx.post(f"{live}/staff/approvals", headers=_bearer(ana),
                       json={"name": "Max", "pin": "987654", "action": "discount"})
    assert given.status_code == 201, given.text


def test_failed_token_checks_are_rate_limited_and_good_tokens_never(
        api: Api, till: str, live: str) -> None:
    guesses = 3 * rate_limits.PER_ADDRESS.failures
    responses = all_at_once(guesses, lambda client, n: client.get(
        "/products", headers=_bearer(f"tf_guess-{n}")), live)
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {401: rate_limits.PER_ADDRESS.failures,
                        429: guesses - rate_limits.PER_ADDRESS.failures}, statuses
    limited = next(r for r in responses if r.status_code == 429)
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 0 < int(limited.headers["Retry-After"]) <= 61
    # Many tills behind the same address keep working, sessions and pairings too.
    good = all_at_once(8, lambda client, n: client.get(
        "/products", headers=_bearer(api.tokens["cashier"])), live)
    assert {r.status_code for r in good} == {200}
    assert httpx.get(f"{live}/staff/register", headers=_bearer(till)).status_code == 200
    session = httpx.post(f"{live}/staff/sessions", json={"name": "Ana", "pin": "1234"},
                         headers=_bearer(till))
    assert session.status_code == 201
    # Failures of every kind count: a made-up pairing token, a wrong PIN.
    assert httpx.get(f"{live}/staff/register",
                     headers=_bearer("tfr_made-up")).status_code == 429
    wrong = httpx.post(f"{live}/staff/sessions", json={"name": "Ana", "pin": "0000"},
                       headers=_bearer(till))
    assert wrong.status_code == 429
    # Requests without credentials check nothing and count nothing.
    assert httpx.get(f"{live}/products").status_code == 401


def test_wrong_pins_are_rate_limited_per_staff_member(ctx: ServiceContext, api: Api,
                                                      till: str) -> None:
    """Across lockouts, and from as many addresses as the guesser has."""
    offset = [timedelta(0)]
    moved = ServiceContext(ctx.store, ctx.config, secret_box=ctx.secret_box,
                           clock=lambda: datetime.now(UTC) + offset[0])
    codes = []
    with TestClient(create_app(moved)) as client:
        for _ in range(3):
            for _ in range(pin_checks.MAX_FAILED_ATTEMPTS):
                answer = client.post("/api/v1/staff/sessions", headers=_bearer(till),
                                     json={"name": "Max", "pin": "000000"})
                codes.append(answer.json()["error"]["code"])
            offset[0] += pin_checks.LOCKOUT + timedelta(seconds=1)
        limited = answer
        right = client.post("/api/v1/staff/sessions", headers=_bearer(till),
                            json={"name": "Max", "pin": "987654"})
    assert codes[:10] == (["wrong_pin"] * 4 + ["pin_locked"]) * 2
    assert codes[10:] == ["rate_limited"] * 5
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    # The right PIN is a success, and successes are never limited.
    assert right.status_code == 201, right.text
