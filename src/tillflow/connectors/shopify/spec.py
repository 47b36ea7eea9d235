"""What a Shopify connection needs (GraphQL Admin API)."""

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.common.setting_checks import check_choice
from tillflow.connectors.common.shop_settings import validate_shop_settings
from tillflow.connectors.shopify.client import API_VERSIONS
from tillflow.connectors.shopify.factory import shopify_channel
from tillflow.domain.variants import VariantLimits
from tillflow.ports.registry import ConnectorSpec


def validate_shopify_settings(settings: Mapping[str, Any]) -> None:
    validate_shop_settings(settings)
    check_choice(settings, "api_version", API_VERSIONS)


SPEC = ConnectorSpec(
    platform="shopify",
    required_settings=("shop_url",),
    optional_settings=("location", "locations", "ca_file",
                       "api_version", "safety_buffer", "push_pos_sales",
                       "stock_master", "tenders"),
    required_secrets=("access_token",),
    optional_secrets=("webhook_secret",),
    validate_settings=validate_shopify_settings,
    description="Shopify GraphQL Admin API",
    commerce=shopify_channel,
    # Shopify's product model: three options, 2,048 variants per product (2025-10).
    variant_limits=VariantLimits(max_options=3, max_variants=2048),
)
