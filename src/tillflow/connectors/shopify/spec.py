"""What a Shopify connection needs (GraphQL Admin API)."""

from tillflow.connectors.common.shop_settings import validate_shop_settings
from tillflow.connectors.shopify.factory import shopify_channel
from tillflow.ports.registry import ConnectorSpec

SPEC = ConnectorSpec(
    platform="shopify",
    required_settings=("shop_url",),
    optional_settings=("location", "locations", "api_version", "safety_buffer", "push_pos_sales",
                       "stock_master"),
    required_secrets=("access_token",),
    optional_secrets=("webhook_secret",),
    validate_settings=validate_shop_settings,
    description="Shopify GraphQL Admin API",
    commerce=shopify_channel,
)
