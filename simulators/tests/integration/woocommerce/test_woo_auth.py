"""Consumer key/secret auth over real HTTP, and WooCommerce's 401 bodies."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tillflow_simulators.woocommerce import WooCommerceSimulator


@pytest.fixture
def sim() -> Iterator[WooCommerceSimulator]:
    with WooCommerceSimulator() as simulator:
        yield simulator


@pytest.fixture
def api(sim: WooCommerceSimulator) -> Iterator[httpx.Client]:
    with sim.client(timeout=5.0) as client:
        yield client


def test_basic_auth_lists_products(sim: WooCommerceSimulator, api: httpx.Client) -> None:
    sim.seed(2)
    response = api.get("/products")
    assert response.status_code == 200
    assert len(response.json()) == 2


def test_query_string_credentials_are_accepted(sim: WooCommerceSimulator) -> None:
    key, secret = sim.auth
    response = httpx.get(
        f"{sim.api_url}/products",
        params={"consumer_key": key, "consumer_secret": secret},
        verify=sim.ssl_context(),
    )
    assert response.status_code == 200


def test_missing_credentials_get_the_routes_own_401(sim: WooCommerceSimulator) -> None:
    listed = httpx.get(f"{sim.api_url}/products", verify=sim.ssl_context())
    created = httpx.post(f"{sim.api_url}/orders", verify=sim.ssl_context(), json={})
    batched = httpx.post(f"{sim.api_url}/products/batch", verify=sim.ssl_context(), json={})
    assert listed.status_code == 401
    assert listed.json() == {
        "code": "woocommerce_rest_cannot_view",
        "message": "Sorry, you cannot list resources.",
        "data": {"status": 401},
    }
    assert created.json()["code"] == "woocommerce_rest_cannot_create"
    assert batched.json()["code"] == "woocommerce_rest_cannot_batch"


def test_unknown_key_is_treated_as_anonymous(sim: WooCommerceSimulator) -> None:
    response = httpx.get(
        f"{sim.api_url}/products/12", verify=sim.ssl_context(), auth=("ck_unknown", "cs_whatever")
    )
    assert response.status_code == 401
    assert response.json()["code"] == "woocommerce_rest_cannot_view"
    assert response.json()["message"] == "Sorry, you cannot view this resource."


def test_wrong_secret_is_an_authentication_error(sim: WooCommerceSimulator) -> None:
    key, _ = sim.auth
    response = httpx.get(
        f"{sim.api_url}/products", verify=sim.ssl_context(), auth=(key, "cs_wrong")
    )
    assert response.status_code == 401
    assert response.json() == {
        "code": "woocommerce_rest_authentication_error",
        "message": "Consumer secret is invalid.",
        "data": {"status": 401},
    }
    assert "www-authenticate" not in response.headers


def test_the_rest_key_counts_for_nothing_over_plain_http(sim: WooCommerceSimulator) -> None:
    key, secret = sim.auth
    plain = f"{sim.http_url}/wp-json/wc/v3/products"
    basic = httpx.get(plain, auth=sim.auth)
    query = httpx.get(plain, params={"consumer_key": key, "consumer_secret": secret})
    wrong = httpx.get(plain, auth=(key, "cs_wrong"))
    for refused in (basic, query, wrong):
        assert refused.status_code == 401
        assert refused.json()["code"] == "woocommerce_rest_cannot_view"


def test_read_only_key_cannot_write() -> None:
    with WooCommerceSimulator(permissions="read") as sim:
        read = httpx.get(f"{sim.api_url}/products", verify=sim.ssl_context(), auth=sim.auth)
        write = httpx.post(
            f"{sim.api_url}/products", verify=sim.ssl_context(), auth=sim.auth, json={"name": "x"}
        )
    assert read.status_code == 200
    assert write.status_code == 401
    assert write.json()["message"] == "The API key provided does not have write permissions."


def test_unknown_route_is_rest_no_route(api: httpx.Client) -> None:
    response = api.get("/nothing-here")
    assert response.status_code == 404
    assert response.json()["code"] == "rest_no_route"
