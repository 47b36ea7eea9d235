"""A faithful local Magento Open Source store: the REST API checked against Adobe's own
schema of each version, Multi-Source Inventory with reservations, the guest checkout,
orders and their documents, OAuth 1.0a, bulk requests and injectable faults."""

from tillflow_simulators.magento.schema import DEFAULT_VERSION, VERSIONS
from tillflow_simulators.magento.server import (
    ACCESS_TOKEN,
    ACCESS_TOKEN_SECRET,
    CONSUMER_KEY,
    CONSUMER_SECRET,
    MagentoSimulator,
)

__all__ = [
    "ACCESS_TOKEN",
    "ACCESS_TOKEN_SECRET",
    "CONSUMER_KEY",
    "CONSUMER_SECRET",
    "DEFAULT_VERSION",
    "VERSIONS",
    "MagentoSimulator",
]
