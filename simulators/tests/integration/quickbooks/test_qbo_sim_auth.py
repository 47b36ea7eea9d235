"""Signing in to the simulated QuickBooks Online: the authorization code, tokens that
expire, refresh tokens that rotate, companies a token may not reach, revoked consents."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from sim_support.books import QboApi
from tillflow_simulators.common.clock import FakeClock
from tillflow_simulators.quickbooks import QuickBooksSimulator, Throttles
from tillflow_simulators.quickbooks.simulator import DEFAULT_REDIRECT_URI


@pytest.fixture
def qbo() -> Iterator[QuickBooksSimulator]:
    with QuickBooksSimulator(clock=FakeClock(), throttles=Throttles.unlimited()) as sim:
        yield sim


def tokens(qbo: QuickBooksSimulator, **form: str) -> httpx.Response:
    return httpx.post(qbo.token_url, data=form,
                      auth=(qbo.client.client_id, qbo.client.client_secret),
                      headers={"Accept": "application/json"})


def test_the_authorization_code_names_the_realm_and_becomes_tokens(
        qbo: QuickBooksSimulator) -> None:
    consent = httpx.get(qbo.authorize_url, params={
        "client_id": qbo.client.client_id, "response_type": "code", "state": "s-9",
        "scope": "com.intuit.quickbooks.accounting", "redirect_uri": DEFAULT_REDIRECT_URI})
    back = parse_qs(urlparse(consent.headers["location"]).query)
    assert (back["realmId"], back["state"]) == ([qbo.realm_id], ["s-9"])
    answer = tokens(qbo, grant_type="authorization_code", code=back["code"][0],
                    redirect_uri=DEFAULT_REDIRECT_URI).json()
    assert (answer["token_type"], answer["expires_in"]) == ("bearer", 3600)
    assert answer["x_refresh_token_expires_in"] == 8726400
    info = httpx.get(f"{qbo.company_url()}/companyinfo/1",
                     headers={"Authorization": f"Bearer {answer['access_token']}",
                              "Accept": "application/json"})
    assert info.json()["CompanyInfo"]["CompanyName"] == "Corner Shop Ltd"


def test_refresh_tokens_rotate_and_the_old_one_is_refused_at_once(
        qbo: QuickBooksSimulator) -> None:
    first = qbo.connect()
    renewed = tokens(qbo, grant_type="refresh_token", refresh_token=first.refresh_token)
    assert renewed.json()["refresh_token"] != first.refresh_token
    reused = tokens(qbo, grant_type="refresh_token", refresh_token=first.refresh_token)
    assert (reused.status_code, reused.json()) == (400, {"error": "invalid_grant"})
    bad_client = httpx.post(qbo.token_url, data={"grant_type": "refresh_token",
                                                 "refresh_token": "x"})
    assert (bad_client.status_code, bad_client.json()) == (401, {"error": "invalid_client"})


def test_an_expired_token_is_refused_in_intuits_gateway_shape(qbo: QuickBooksSimulator) -> None:
    api = QboApi(qbo)
    assert api.call("GET", "/companyinfo/1").status_code == 200
    qbo.advance_clock(hours=1)
    expired = api.call("GET", "/companyinfo/1")
    assert expired.status_code == 401
    error = expired.json()["fault"]["error"][0]
    assert error["message"] == "message=AuthenticationFailed; errorCode=003200; statusCode=401"
    assert (error["code"], expired.json()["fault"]["type"]) == ("3200", "AUTHENTICATION")


def test_a_token_reaches_only_its_own_company(qbo: QuickBooksSimulator) -> None:
    other = qbo.add_company()
    api = QboApi(qbo, qbo.connect(other))
    refused = api.call("GET", "/companyinfo/1")
    assert refused.status_code == 403
    assert refused.json()["fault"]["error"][0]["code"] == "3100"


def test_a_revoked_consent_ends_its_tokens(qbo: QuickBooksSimulator) -> None:
    granted = qbo.connect()
    revoked = httpx.post(qbo.revoke_url, json={"token": granted.refresh_token},
                         auth=(qbo.client.client_id, qbo.client.client_secret))
    assert revoked.status_code == 200
    assert QboApi(qbo, granted).call("GET", "/companyinfo/1").status_code == 401
    again = tokens(qbo, grant_type="refresh_token", refresh_token=granted.refresh_token)
    assert again.json() == {"error": "invalid_grant"}
