"""What the Magento simulator's tests share: a started store and clients signed in as an
integration (bearer token or OAuth 1.0a, signed by oauthlib's client) or as a guest."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, cast

import httpx
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA256, Client

from tillflow_simulators.magento import MagentoSimulator

TOKEN = "integration-bearer-token"
ADDRESS: dict[str, Any] = {
    "firstname": "Grace",
    "lastname": "Hopper",
    "street": ["2 Harbour Road"],
    "city": "Austin",
    "region": "Texas",
    "region_id": 57,
    "region_code": "TX",
    "postcode": "78701",
    "country_id": "US",
    "telephone": "5125550199",
    "email": "grace@example.com",
}


def bearer(sim: MagentoSimulator) -> httpx.Client:
    return httpx.Client(
        base_url=sim.rest_url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10.0
    )


def guest(sim: MagentoSimulator) -> httpx.Client:
    return httpx.Client(base_url=sim.rest_url, timeout=10.0)


class OAuthSigner(httpx.Auth):
    """Signs each request as Magento's integrations do: OAuth 1.0a in the Authorization
    header, the JSON body left out of the signature."""

    def __init__(
        self,
        sim: MagentoSimulator,
        *,
        method: str = SIGNATURE_HMAC_SHA256,
        consumer_secret: str | None = None,
    ) -> None:
        integration = sim.integration
        self.client = Client(
            integration.consumer_key,
            client_secret=consumer_secret or integration.consumer_secret,
            resource_owner_key=integration.access_token,
            resource_owner_secret=integration.access_token_secret,
            signature_method=method,
        )

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        method = cast("Any", request.method)
        _, headers, _ = self.client.sign(str(request.url), http_method=method)
        request.headers["Authorization"] = headers["Authorization"]
        yield request


def oauth(sim: MagentoSimulator, **options: Any) -> httpx.Client:
    return httpx.Client(base_url=sim.rest_url, auth=OAuthSigner(sim, **options), timeout=10.0)


def guest_order(client: httpx.Client, lines: list[tuple[str, int]]) -> int:
    """Check out ``(sku, qty)`` lines as a guest over HTTP; the new order's id."""
    cart = client.post("/V1/guest-carts").json()
    for sku, qty in lines:
        added = client.post(
            f"/V1/guest-carts/{cart}/items",
            json={"cartItem": {"sku": sku, "qty": qty, "quote_id": cart}},
        )
        assert added.status_code == 200, added.text
    shipping = client.post(
        f"/V1/guest-carts/{cart}/shipping-information",
        json={
            "addressInformation": {
                "shipping_address": ADDRESS,
                "billing_address": ADDRESS,
                "shipping_carrier_code": "flatrate",
                "shipping_method_code": "flatrate",
            },
        },
    )
    assert shipping.status_code == 200, shipping.text
    placed = client.post(
        f"/V1/guest-carts/{cart}/payment-information",
        json={"email": ADDRESS["email"], "paymentMethod": {"method": "checkmo"}},
    )
    assert placed.status_code == 200, placed.text
    order_id: int = placed.json()
    return order_id
