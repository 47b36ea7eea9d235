"""What a Vendure connection needs (Admin GraphQL API)."""

from tillflow.connectors.registry import COMMERCE, ConnectorSpec
from tillflow.sync.settings import validate_shop_settings

SPEC = ConnectorSpec(
    platform="vendure",
    ports=frozenset({COMMERCE}),
    required_settings=("shop_url",),
    optional_settings=("location", "locations", "channel", "safety_buffer", "push_pos_sales",
                       "stock_master"),
    required_secrets=("api_key",),
    optional_secrets=("webhook_secret",),
    validate_settings=validate_shop_settings,
    description="Vendure Admin GraphQL API",
)
