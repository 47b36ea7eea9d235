"""The demo's web shops: a simulated Shopify, WooCommerce and Magento, connected to the demo
store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Protocol, cast

from tillflow import simulation
from tillflow.services import connections
from tillflow.services.context import ServiceContext

DEMO_WEBHOOK_SECRET = "demo-webhook-secret"  # noqa: S105 (a local simulator's secret)
DEMO_MAGENTO_TOKEN = "tillflowdemomagentoaccesstoken01"  # noqa: S105 (the same)
DEMO_MAGENTO_POLL_SECONDS = 5


class _Shop(Protocol):
    @property
    def url(self) -> str: ...

    def stop(self) -> None: ...


class _ShopifyShop(_Shop, Protocol):
    @property
    def access_token(self) -> str: ...


class _MagentoShop(_Shop, Protocol):
    @property
    def access_token(self) -> str | None: ...


class _WooShop(_Shop, Protocol):
    @property
    def auth(self) -> tuple[str, str]: ...

    @property
    def certificate(self) -> Path: ...


@contextmanager
def demo_shops(ctx: ServiceContext, *, location: str) -> Iterator[list[str]]:
    """Start the simulators on free loopback ports and connect them to ``location``;
    yields lines telling a newcomer how to place a web order."""
    with ExitStack() as running:
        shopify = cast(_ShopifyShop, simulation.load("shopify").start(
            webhook_secret=DEMO_WEBHOOK_SECRET))
        running.callback(shopify.stop)
        woo = cast(_WooShop, simulation.load("woocommerce").start())
        running.callback(woo.stop)
        magento = cast(_MagentoShop, simulation.load("magento").start(
            access_token=DEMO_MAGENTO_TOKEN))
        running.callback(magento.stop)
        connections.create_connection(
            ctx, name="shopify", platform="shopify",
            settings={"shop_url": shopify.url, "location": location},
            secrets={"access_token": shopify.access_token,
                     "webhook_secret": DEMO_WEBHOOK_SECRET})
        key, secret = woo.auth
        connections.create_connection(
            ctx, name="woocommerce", platform="woocommerce",
            # The simulated shop, like a real one, takes its keys over HTTPS only; its
            # certificate is its own.
            settings={"shop_url": woo.url, "location": location,
                      "ca_file": str(woo.certificate)},
            secrets={"consumer_key": key, "consumer_secret": secret})
        connections.create_connection(
            ctx, name="magento", platform="magento",
            # Open Source sends no webhooks: a short poll shows a checkout within seconds.
            settings={"shop_url": magento.url, "location": location, "source": "default",
                      "poll_interval": DEMO_MAGENTO_POLL_SECONDS},
            secrets={"access_token": DEMO_MAGENTO_TOKEN})
        yield [
            f"shopify shop:     {shopify.url} (simulated; stock of {location} is synced)",
            f"woocommerce shop: {woo.url} (simulated; stock of {location} is synced)",
            f"magento store:    {magento.url}/rest/default/V1 (simulated; stock of {location} "
            "is synced to its default source, orders are polled)",
            "a web order:      curl -X POST " + shopify.url + "/_sim/orders -H "
            "'Content-Type: application/json' "
            "-d '{\"line_items\": [{\"sku\": \"SKU\", \"quantity\": 1}]}'",
        ]
