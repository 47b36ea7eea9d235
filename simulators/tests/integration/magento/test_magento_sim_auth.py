"""Integrations sign in with OAuth 1.0a (checked against oauthlib's own client signing) or,
where the store allows it, with their access token as a bearer token; guests reach only
anonymous routes; the admin token is refused as a store with 2FA refuses it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA1, Client

from sim_support.magento import TOKEN, OAuthSigner, bearer, guest, oauth
from tillflow_simulators.magento import MagentoSimulator

CRITERIA = {
    "searchCriteria[filter_groups][0][filters][0][field]": "sku",
    "searchCriteria[filter_groups][0][filters][0][value]": "MUG-1",
}


@pytest.fixture
def sim() -> Iterator[MagentoSimulator]:
    with MagentoSimulator() as simulator:
        simulator.add_product("MUG-1", "Mug", "12.50", qty=10)
        yield simulator


def test_signed_get_with_search_criteria_is_served(sim: MagentoSimulator) -> None:
    with oauth(sim) as client:
        answer = client.get("/V1/products", params=CRITERIA)
    assert answer.status_code == 200, answer.text
    assert answer.json()["total_count"] == 1


def test_signed_post_with_a_json_body_is_served(sim: MagentoSimulator) -> None:
    with oauth(sim) as client:
        answer = client.post(
            "/default/V1/inventory/source-items",
            json={
                "sourceItems": [
                    {"sku": "MUG-1", "source_code": "default", "quantity": 4, "status": 1}
                ]
            },
        )
    assert answer.status_code == 200, answer.text
    assert sim.source_quantity("MUG-1") == 4


def test_a_wrong_secret_breaks_the_signature(sim: MagentoSimulator) -> None:
    with oauth(sim, consumer_secret="x" * 32) as client:
        answer = client.get("/V1/products/MUG-1")
    assert answer.status_code == 401
    assert answer.json() == {"message": "The signature is invalid. Verify and try again."}


def test_a_tampered_url_breaks_the_signature(sim: MagentoSimulator) -> None:
    signer = OAuthSigner(sim)
    _, headers, _ = signer.client.sign(f"{sim.rest_url}/V1/products/MUG-1")
    answer = httpx.get(f"{sim.rest_url}/V1/products/OTHER", headers=headers)
    assert answer.status_code == 401


def test_hmac_sha1_is_refused_since_2_4_4(sim: MagentoSimulator) -> None:
    with oauth(sim, method=SIGNATURE_HMAC_SHA1) as client:
        answer = client.get("/V1/products/MUG-1")
    assert answer.status_code == 400
    assert answer.json() == {
        "message": "Signature method %1 is not supported",
        "parameters": ["HMAC-SHA1"],
    }


def test_a_reused_nonce_is_refused(sim: MagentoSimulator) -> None:
    integration = sim.integration
    client = Client(
        integration.consumer_key,
        client_secret=integration.consumer_secret,
        resource_owner_key=integration.access_token,
        resource_owner_secret=integration.access_token_secret,
        signature_method="HMAC-SHA256",
        nonce="fixednonce",
        timestamp="1700000000",
    )
    url = f"{sim.rest_url}/V1/products/MUG-1"
    _, headers, _ = client.sign(url)
    assert httpx.get(url, headers=headers).status_code == 200
    again = httpx.get(url, headers=headers)
    assert again.status_code == 401
    assert again.json()["message"].startswith("The nonce is already being used")


def test_an_unknown_consumer_is_refused(sim: MagentoSimulator) -> None:
    client = Client(
        "k" * 32,
        client_secret="s",
        resource_owner_key=sim.integration.access_token,
        resource_owner_secret="t",
        signature_method="HMAC-SHA256",
    )
    url = f"{sim.rest_url}/V1/products/MUG-1"
    _, headers, _ = client.sign(url)
    answer = httpx.get(url, headers=headers)
    assert answer.status_code == 401
    assert answer.json() == {"message": "A consumer having the specified key does not exist"}


def test_bearer_token_is_refused_unless_the_store_allows_it(sim: MagentoSimulator) -> None:
    headers = {"Authorization": f"Bearer {sim.integration.access_token}"}
    answer = httpx.get(f"{sim.rest_url}/V1/products/MUG-1", headers=headers)
    assert answer.status_code == 401
    assert answer.json() == {
        "message": "The consumer isn't authorized to access %resources.",
        "parameters": {"resources": "Magento_Catalog::products"},
    }


def test_bearer_token_is_served_when_the_store_allows_it() -> None:
    with MagentoSimulator(access_token=TOKEN) as sim, bearer(sim) as client:
        assert client.get("/all/V1/store/websites").status_code == 200
        wrong = httpx.get(
            f"{sim.rest_url}/V1/store/websites", headers={"Authorization": "Bearer nope"}
        )
        assert wrong.status_code == 401


def test_guests_reach_anonymous_routes_only(sim: MagentoSimulator) -> None:
    with guest(sim) as client:
        assert client.post("/V1/guest-carts").status_code == 200
        assert client.get("/V1/orders", params={"searchCriteria": ""}).status_code == 401


def test_admin_token_is_refused_by_two_factor_auth(sim: MagentoSimulator) -> None:
    with guest(sim) as client:
        right = client.post(
            "/V1/integration/admin/token", json={"username": "admin", "password": "admin123"}
        )
        wrong = client.post(
            "/V1/integration/admin/token", json={"username": "admin", "password": "nope"}
        )
    assert right.status_code == 400
    assert right.json() == {
        "message": "Please use the 2fa provider-specific endpoints to obtain a token."
    }
    assert wrong.status_code == 401
