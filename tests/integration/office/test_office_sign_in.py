"""Signing in to the back office: passwords and admin tokens, the session cookie's flags,
refusals, rate limits, expiry, sign-out, and the cookie on the API's own role checks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from support.api import Api
from support.databases import row_counts
from tillflow.api.app import create_app
from tillflow.api.auth import OFFICE_COOKIE
from tillflow.db.uow import engine_of
from tillflow.services import rate_limits
from tillflow.services.context import ServiceContext
from tillflow.services.office_sessions import OFFICE_SESSION_LIFETIME

MANAGER_PASSWORD = "shelves-and-tills-1"
ADMIN_PASSWORD = "the-whole-store-22"


@pytest.fixture
def office(api: Api) -> Api:
    for name, role in (("Mia", "manager"), ("Ada", "admin"), ("Cas", "cashier")):
        api.ok(api.post("/staff", {"name": name, "role": role, "pin": "4321"}), 201)
    for name, password in (("Mia", MANAGER_PASSWORD), ("Ada", ADMIN_PASSWORD),
                           ("Cas", "cashier-password-3")):
        api.ok(api.client.put(f"/api/v1/staff/{name}/password", json={"password": password},
                              headers=api.headers("admin")))
    return api


def _sign_in(client: httpx.Client | TestClient, **body: Any) -> httpx.Response:
    return client.post("/api/v1/office/sessions", json=body)


def _code(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def test_a_manager_signs_in_and_the_cookie_acts_with_the_manager_role(office: Api) -> None:
    client = office.client
    signed_in = _sign_in(client, name="Mia", password=MANAGER_PASSWORD)
    assert signed_in.status_code == 201, signed_in.text
    body = signed_in.json()
    assert (body["name"], body["role"], body["staff"]) == ("Mia", "manager", True)
    assert body["store"] == {"name": "tillflow store", "timezone": "UTC", "currency": "USD"}
    assert "tokens" not in body["screens"]
    assert "connections" not in body["screens"]
    cookie = signed_in.headers["set-cookie"]
    assert f"{OFFICE_COOKIE}=tfo_" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert f"Max-Age={int(OFFICE_SESSION_LIFETIME.total_seconds())}" in cookie
    assert "Secure" not in cookie  # served over plain HTTP here: see the TLS test
    assert MANAGER_PASSWORD not in signed_in.text

    assert client.get("/api/v1/office/sessions/current").json()["name"] == "Mia"
    assert client.get("/api/v1/products").status_code == 200
    created = client.post("/api/v1/products", json={"sku": "OFF-1", "name": "Mug",
                                                    "price": "4.50"})
    assert created.status_code == 201, created.text
    # The same checks as a manager's token: no tokens, no connection settings.
    refused = client.get("/api/v1/tokens")
    assert _code(refused) == (403, "forbidden")
    assert office.get("/tokens", role="manager").status_code == 403
    # Staff are read by name (the sales list and the staff report), changed by admins only.
    assert {m["name"] for m in client.get("/api/v1/staff").json()["items"]} == {
        "Mia", "Ada", "Cas"}
    assert _code(client.patch("/api/v1/staff/Cas", json={"active": False})) == (
        403, "forbidden")
    assert _code(client.post("/api/v1/connections", json={
        "name": "x", "platform": "shopify", "settings": {}, "secrets": {}})) == (403, "forbidden")


def test_an_admin_signs_in_with_a_password_or_an_admin_token(office: Api) -> None:
    client = office.client
    by_password = _sign_in(client, name="Ada", password=ADMIN_PASSWORD).json()
    assert by_password["role"] == "admin"
    assert {"tokens", "connections", "staff"} <= set(by_password["screens"])
    assert client.get("/api/v1/tokens").status_code == 200
    client.cookies.clear()

    by_token = _sign_in(client, token=office.tokens["admin"])
    assert by_token.status_code == 201, by_token.text
    assert (by_token.json()["role"], by_token.json()["staff"]) == ("admin", False)
    assert client.get("/api/v1/tokens").status_code == 200


def test_the_cookie_is_secure_where_served_over_tls(ctx: ServiceContext, office: Api) -> None:
    with TestClient(create_app(ctx), base_url="https://office.example") as tls:
        signed_in = _sign_in(tls, name="Mia", password=MANAGER_PASSWORD)
        assert signed_in.status_code == 201
        assert "Secure" in signed_in.headers["set-cookie"]
        assert tls.get("/api/v1/products").status_code == 200


def test_wrong_passwords_and_unknown_names_are_refused_and_write_nothing(
        ctx: ServiceContext, office: Api) -> None:
    before = _without_counters(row_counts(engine_of(ctx.store)))
    for body in ({"name": "Mia", "password": "not-the-password"},
                 {"name": "Mia", "password": "4321"},  # the PIN is no password
                 {"name": "Nobody", "password": MANAGER_PASSWORD},
                 {"token": "tf_unknown"}):
        refused = _sign_in(office.client, **body)
        assert _code(refused) == (403, "wrong_password"), body
        assert "set-cookie" not in refused.headers
    assert _without_counters(row_counts(engine_of(ctx.store))) == before
    assert office.client.get("/api/v1/office/sessions/current").status_code == 401


def test_cashiers_and_integration_tokens_cannot_sign_in(office: Api) -> None:
    refused = _sign_in(office.client, name="Cas", password="cashier-password-3")
    assert _code(refused) == (403, "office_refused")
    assert refused.json()["error"]["details"] == {"role": "cashier"}
    for role in ("cashier", "integration"):
        assert _code(_sign_in(office.client, token=office.tokens[role])) == (
            403, "office_refused")
    assert "set-cookie" not in refused.headers


def test_wrong_passwords_for_one_member_are_rate_limited(office: Api) -> None:
    for _ in range(rate_limits.PER_STAFF.failures):
        assert _sign_in(office.client, name="Mia", password="guess-guess-guess").status_code \
            == 403
    limited = _sign_in(office.client, name="Mia", password="guess-guess-guess")
    assert _code(limited) == (429, "rate_limited")
    assert int(limited.headers["retry-after"]) > 0
    # A failure counts; a good password is not limited, so the member can still sign in.
    assert _sign_in(office.client, name="Mia", password=MANAGER_PASSWORD).status_code == 201


def test_guesses_from_one_address_are_rate_limited(office: Api) -> None:
    for n in range(rate_limits.PER_ADDRESS.failures):
        assert _sign_in(office.client, name=f"Guess{n}", password="guess-guess").status_code \
            == 403
    assert _code(_sign_in(office.client, name="Guess", password="guess-guess")) == (
        429, "rate_limited")


def test_bad_sign_in_bodies_name_the_field(office: Api) -> None:
    for body in ({}, {"name": "Mia"}, {"password": MANAGER_PASSWORD},
                 {"name": "Mia", "password": MANAGER_PASSWORD, "token": "tf_x"},
                 {"name": "Mia", "password": 12345678901}):
        refused = _sign_in(office.client, **body)
        assert _code(refused) == (422, "validation_error"), body


def test_sign_out_ends_the_session_on_the_server(office: Api) -> None:
    client = office.client
    _sign_in(client, name="Mia", password=MANAGER_PASSWORD)
    cookie = client.cookies[OFFICE_COOKIE]
    signed_out = client.delete("/api/v1/office/sessions/current")
    client.cookies.clear()
    assert signed_out.status_code == 204
    assert 'Max-Age=0' in signed_out.headers["set-cookie"] or \
        "expires=" in signed_out.headers["set-cookie"].lower()
    # The old cookie, replayed, is dead on the server.
    replayed = client.get("/api/v1/products", headers=_cookie(cookie))
    assert _code(replayed) == (401, "unauthorized")


def test_a_session_expires(ctx: ServiceContext, office: Api) -> None:
    _sign_in(office.client, name="Mia", password=MANAGER_PASSWORD)
    cookie = office.client.cookies[OFFICE_COOKIE]
    later = ServiceContext(ctx.store, ctx.config, clock=lambda: ctx.clock()
                           + OFFICE_SESSION_LIFETIME + timedelta(seconds=1))
    with TestClient(create_app(later)) as late:
        assert late.get("/api/v1/products", headers=_cookie(cookie)).status_code == 401
    assert office.client.get("/api/v1/products").status_code == 200


def test_a_deactivated_member_or_a_revoked_token_is_signed_out_at_once(office: Api) -> None:
    client = office.client
    _sign_in(client, name="Mia", password=MANAGER_PASSWORD)
    office.ok(office.patch("/staff/Mia", {"active": False}))
    assert client.get("/api/v1/products").status_code == 401
    assert _code(_sign_in(client, name="Mia", password=MANAGER_PASSWORD)) == (
        403, "wrong_password")

    client.cookies.clear()
    token = office.ok(office.post("/tokens", {"role": "admin", "name": "laptop"}), 201)
    _sign_in(client, token=token["token"])
    assert client.get("/api/v1/tokens").status_code == 200
    office.ok(office.client.delete(f"/api/v1/tokens/{token['id']}",
                                   headers=office.headers("admin")))
    assert client.get("/api/v1/tokens").status_code == 401


def test_a_change_from_another_site_is_refused(office: Api) -> None:
    client = office.client
    _sign_in(client, name="Mia", password=MANAGER_PASSWORD)
    body = {"sku": "CSRF-1", "name": "Forged", "price": "1.00"}
    for headers in ({"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"}):
        refused = client.post("/api/v1/products", json=body, headers=headers)
        assert _code(refused) == (403, "forbidden"), headers
    assert client.get("/api/v1/products/CSRF-1").status_code == 404
    same = client.post("/api/v1/products", json=body,
                       headers={"origin": "http://testserver", "sec-fetch-site": "same-origin"})
    assert same.status_code == 201, same.text


def test_passwords_are_set_by_an_admin_and_changed_by_their_owner(office: Api) -> None:
    client = office.client
    _sign_in(client, name="Mia", password=MANAGER_PASSWORD)
    short = client.post("/api/v1/office/sessions/current/password",
                        json={"password": MANAGER_PASSWORD, "new_password": "short"})
    assert _code(short) == (422, "validation_error")
    assert short.json()["error"]["details"]["field"] == "new_password"
    wrong = client.post("/api/v1/office/sessions/current/password",
                        json={"password": "not-mine-at-all", "new_password": "a-new-one-44"})
    assert _code(wrong) == (403, "wrong_password")
    changed = client.post("/api/v1/office/sessions/current/password",
                          json={"password": MANAGER_PASSWORD, "new_password": "a-new-one-44"})
    assert changed.status_code == 200, changed.text
    assert client.get("/api/v1/products").status_code == 200  # this browser's new session
    assert _code(_sign_in(office.client, name="Mia", password=MANAGER_PASSWORD)) == (
        403, "wrong_password")

    # An admin's reset ends the member's sessions.
    reset = office.ok(office.client.put("/api/v1/staff/Mia/password",
                                        json={"password": "reset-by-ada-5"},
                                        headers=office.headers("admin")))
    assert reset["sessions_ended"] == 1
    assert client.get("/api/v1/products").status_code == 401
    for name, password, status in (("Mia", "1234567890", 422), ("Mia", "short", 422),
                                   ("Nobody", "long-enough-pw", 404)):
        answer = office.client.put(f"/api/v1/staff/{name}/password",
                                   json={"password": password},
                                   headers=office.headers("admin"))
        assert answer.status_code == status, answer.text
    assert office.client.put("/api/v1/staff/Mia/password", json={"password": "x" * 12},
                             headers=office.headers("manager")).status_code == 403


def _cookie(value: str) -> dict[str, str]:
    return {"cookie": f"{OFFICE_COOKIE}={value}"}


def _without_counters(counts: dict[str, int]) -> dict[str, int]:
    """Failed checks are counted (for the rate limits) even when nothing else is written."""
    return {table: n for table, n in counts.items() if table != "auth_failures"}


def test_no_other_site_signs_a_browser_in(office: Api) -> None:
    refused = office.client.post("/api/v1/office/sessions",
                                 json={"name": "Mia", "password": MANAGER_PASSWORD},
                                 headers={"origin": "https://evil.example"})
    assert _code(refused) == (403, "forbidden")
    assert "set-cookie" not in refused.headers


def test_signing_in_again_ends_the_browsers_previous_session(office: Api) -> None:
    client = office.client
    _sign_in(client, name="Mia", password=MANAGER_PASSWORD)
    first = client.cookies[OFFICE_COOKIE]
    _sign_in(client, name="Ada", password=ADMIN_PASSWORD)
    second = client.cookies[OFFICE_COOKIE]
    client.cookies.clear()
    assert client.get("/api/v1/products", headers=_cookie(first)).status_code == 401
    assert client.get("/api/v1/office/sessions/current",
                      headers=_cookie(second)).json()["name"] == "Ada"
