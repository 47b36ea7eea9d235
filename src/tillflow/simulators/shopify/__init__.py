"""A faithful local Shopify: the GraphQL Admin API (2026-10), webhooks and injectable faults."""

from tillflow.simulators.shopify.core import ShopConfig, SimulatedShop
from tillflow.simulators.shopify.delivery import DeliveryPolicy
from tillflow.simulators.shopify.server import API_VERSION, ShopifySimulator
from tillflow.simulators.shopify.signing import sign, verify
from tillflow.simulators.shopify.throttle import RateLimits

__all__ = [
    "API_VERSION",
    "DeliveryPolicy",
    "RateLimits",
    "ShopConfig",
    "ShopifySimulator",
    "SimulatedShop",
    "sign",
    "verify",
]
