"""What a Vendure connection needs (Admin GraphQL API)."""

from tillflow.connectors.common.shop_settings import validate_shop_settings
from tillflow.connectors.vendure.factory import vendure_channel
from tillflow.domain.variants import VariantLimits
from tillflow.ports.registry import ConnectorSpec

SPEC = ConnectorSpec(
    platform="vendure",
    required_settings=("shop_url",),
    optional_settings=("location", "locations", "ca_file",
                       "channel", "safety_buffer", "push_pos_sales",
                       "stock_master", "tenders"),
    required_secrets=("api_key",),
    optional_secrets=("webhook_secret",),
    validate_settings=validate_shop_settings,
    description="Vendure Admin GraphQL API",
    commerce=vendure_channel,
    # Vendure documents no limit on option groups or variants per product.
    variant_limits=VariantLimits(),
)
