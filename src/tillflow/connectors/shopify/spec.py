"""What a Shopify connection needs (GraphQL Admin API)."""

from tillflow.connectors.registry import COMMERCE, ConnectorSpec
from tillflow.sync.settings import validate_shop_settings

SPEC = ConnectorSpec(
    platform="shopify",
    ports=frozenset({COMMERCE}),
    required_settings=("shop_url",),
    optional_settings=("location", "locations", "api_version", "safety_buffer", "push_pos_sales",
                       "stock_master"),
    required_secrets=("access_token",),
    optional_secrets=("webhook_secret",),
    validate_settings=validate_shop_settings,
    description="Shopify GraphQL Admin API",
)
