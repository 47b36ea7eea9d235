"""Signing in to the simulated Xero: the authorization code with PKCE, tokens that expire
and rotate, tenants, scopes, and a consent the user revokes."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from sim_support.books import XeroApi
from tillflow_simulators.common.clock import FakeClock
from tillflow_simulators.common.oauth import pkce_challenge
from tillflow_simulators.xero import RateLimits, XeroSimulator
from tillflow_simulators.xero.simulator import DEFAULT_REDIRECT_URI

VERIFIER = "tillflow-pkce-verifier-0123456789-abcdefghijklmnopqrstuvwxyz"


@pytest.fixture
def xero() -> Iterator[XeroSimulator]:
    with XeroSimulator(clock=FakeClock(), rate_limits=RateLimits.unlimited()) as sim:
        yield sim


def token(xero: XeroSimulator, **form: str) -> httpx.Response:
    return httpx.post(xero.token_url, data=form,
                      auth=(xero.client.client_id, xero.client.client_secret))


def test_authorization_code_with_pkce_reaches_the_connected_organisation(
        xero: XeroSimulator) -> None:
    consent = httpx.get(xero.authorize_url, params={
        "response_type": "code", "client_id": xero.client.client_id,
        "redirect_uri": DEFAULT_REDIRECT_URI, "state": "s-1",
        "scope": "openid offline_access accounting.transactions accounting.settings",
        "code_challenge": pkce_challenge(VERIFIER), "code_challenge_method": "S256"})
    assert consent.status_code == 302
    back = parse_qs(urlparse(consent.headers["location"]).query)
    assert back["state"] == ["s-1"]
    tokens = httpx.post(xero.token_url, data={
        "grant_type": "authorization_code", "code": back["code"][0],
        "redirect_uri": DEFAULT_REDIRECT_URI, "code_verifier": VERIFIER,
        "client_id": xero.client.client_id}).json()
    assert tokens["expires_in"] == 1800
    assert tokens["token_type"] == "Bearer"
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    connections = httpx.get(xero.connections_url, headers=bearer).json()
    assert [c["tenantId"] for c in connections] == [xero.tenant_id]
    organisation = httpx.get(f"{xero.api_url}/Organisation",
                             headers={**bearer, "xero-tenant-id": connections[0]["tenantId"]})
    assert organisation.json()["Organisations"][0]["Name"] == "Corner Shop Ltd"


def test_refresh_rotates_and_a_spent_token_is_refused_after_the_grace(
        xero: XeroSimulator) -> None:
    first = xero.connect()
    renewed = token(xero, grant_type="refresh_token", refresh_token=first.refresh_token)
    assert renewed.status_code == 200
    assert renewed.json()["refresh_token"] != first.refresh_token
    xero.advance_clock(minutes=31)
    reused = token(xero, grant_type="refresh_token", refresh_token=first.refresh_token)
    assert (reused.status_code, reused.json()) == (400, {"error": "invalid_grant"})
    again = token(xero, grant_type="refresh_token",
                  refresh_token=renewed.json()["refresh_token"])
    assert again.status_code == 200


def test_access_tokens_expire_after_thirty_minutes(xero: XeroSimulator) -> None:
    api = XeroApi(xero)
    assert api.call("GET", "/Organisation").status_code == 200
    xero.advance_clock(minutes=30)
    expired = api.call("GET", "/Organisation")
    assert expired.status_code == 401
    assert expired.json()["Detail"].startswith("TokenExpired: token expired at 01/15/2026 ")
    assert expired.json()["Title"] == "Unauthorized"


def test_expire_access_tokens_lets_a_test_force_a_refresh(xero: XeroSimulator) -> None:
    api = XeroApi(xero)
    xero.expire_access_tokens()
    assert api.call("GET", "/Organisation").status_code == 401


def test_tenant_header_must_name_a_connected_organisation(xero: XeroSimulator) -> None:
    other = xero.add_organisation()
    tokens = xero.connect(tenants=[xero.tenant_id])
    refused = XeroApi(xero, tokens, other).call("GET", "/Organisation")
    assert refused.status_code == 403
    assert refused.json()["Detail"] == "AuthenticationUnsuccessful"
    missing = httpx.get(f"{xero.api_url}/Organisation",
                        headers={"Authorization": f"Bearer {tokens.access_token}"})
    assert missing.status_code == 403


def test_an_operation_needs_one_of_its_scopes(xero: XeroSimulator) -> None:
    tokens = xero.connect(scopes=("accounting.contacts",))
    api = XeroApi(xero, tokens)
    assert api.call("GET", "/Contacts").status_code == 200
    refused = api.call("GET", "/Invoices")
    assert (refused.status_code, refused.json()["Detail"]) == (401, "AuthorizationUnsuccessful")


def test_a_revoked_consent_loses_its_connections_and_its_refresh_token(
        xero: XeroSimulator) -> None:
    tokens = xero.connect()
    revoked = httpx.post(xero.revocation_url, data={"token": tokens.refresh_token},
                         auth=(xero.client.client_id, xero.client.client_secret))
    assert revoked.status_code == 200
    assert XeroApi(xero, tokens).call("GET", "/Organisation").status_code == 401
    refresh = token(xero, grant_type="refresh_token", refresh_token=tokens.refresh_token)
    assert refresh.json() == {"error": "invalid_grant"}


def test_a_disconnected_tenant_answers_forbidden(xero: XeroSimulator) -> None:
    api = XeroApi(xero)
    bearer = {"Authorization": f"Bearer {api.tokens.access_token}"}
    [connection] = httpx.get(xero.connections_url, headers=bearer).json()
    gone = httpx.delete(f"{xero.connections_url}/{connection['id']}", headers=bearer)
    assert gone.status_code == 204
    assert api.call("GET", "/Organisation").status_code == 403
