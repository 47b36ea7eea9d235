"""A faithful local Shopify: the GraphQL Admin API on Shopify's own schema of each version,
webhooks and injectable faults."""

from tillflow_simulators.shopify.core import ShopConfig, SimulatedShop
from tillflow_simulators.shopify.delivery import DeliveryPolicy
from tillflow_simulators.shopify.server import API_VERSION, ShopifySimulator
from tillflow_simulators.shopify.signing import sign, verify
from tillflow_simulators.shopify.throttle import RateLimits

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
