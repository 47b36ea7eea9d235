"""What a Magento connection needs (REST API, Magento Open Source 2.4 / Adobe Commerce)."""

from tillflow.connectors.magento.factory import magento_channel
from tillflow.connectors.magento.settings import (
    DEFAULTS,
    validate_magento_secrets,
    validate_magento_settings,
)
from tillflow.domain.variants import VariantLimits
from tillflow.ports.registry import ConnectorSpec

SPEC = ConnectorSpec(
    platform="magento",
    required_settings=("shop_url",),
    optional_settings=("location", "locations", "ca_file", "source", "website",
                       "barcode_attribute", "poll_interval", "safety_buffer",
                       "push_pos_sales", "stock_master", "tenders"),
    optional_secrets=("access_token", "consumer_key", "consumer_secret",
                      "access_token_secret"),
    default_settings=DEFAULTS,
    validate_settings=validate_magento_settings,
    validate_secrets=validate_magento_secrets,
    description="Magento 2 REST API (integration token or OAuth 1.0a)",
    commerce=magento_channel,
    # Magento documents no limit on a configurable product's attributes or children.
    variant_limits=VariantLimits(),
)
