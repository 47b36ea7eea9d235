"""What a Vendure connection needs (Admin GraphQL API)."""

from tillflow.connectors.registry import COMMERCE, ConnectorSpec

SPEC = ConnectorSpec(
    platform="vendure",
    ports=frozenset({COMMERCE}),
    required_settings=("shop_url",),
    optional_settings=("location", "locations", "channel", "safety_buffer"),
    required_secrets=("api_key",),
    optional_secrets=("webhook_secret",),
    description="Vendure Admin GraphQL API",
)
