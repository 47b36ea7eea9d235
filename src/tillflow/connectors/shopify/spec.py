"""What a Shopify connection needs (GraphQL Admin API)."""

from tillflow.connectors.registry import COMMERCE, ConnectorSpec

SPEC = ConnectorSpec(
    platform="shopify",
    ports=frozenset({COMMERCE}),
    required_settings=("shop_url",),
    optional_settings=("location", "locations", "api_version", "safety_buffer",
                       "stock_master"),
    required_secrets=("access_token",),
    optional_secrets=("webhook_secret",),
    description="Shopify GraphQL Admin API",
)
