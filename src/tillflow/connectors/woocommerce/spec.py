"""What a WooCommerce connection needs (REST API v3)."""

from tillflow.connectors.registry import COMMERCE, ConnectorSpec

SPEC = ConnectorSpec(
    platform="woocommerce",
    ports=frozenset({COMMERCE}),
    required_settings=("shop_url",),
    optional_settings=("location", "locations", "safety_buffer", "stock_master"),
    required_secrets=("consumer_key", "consumer_secret"),
    optional_secrets=("webhook_secret",),
    description="WooCommerce REST API v3",
)
