"""What a WooCommerce connection needs (REST API v3)."""

from tillflow.connectors.common.shop_settings import validate_shop_settings
from tillflow.connectors.woocommerce.factory import woocommerce_channel
from tillflow.domain.variants import VariantLimits
from tillflow.ports.registry import ConnectorSpec

SPEC = ConnectorSpec(
    platform="woocommerce",
    required_settings=("shop_url",),
    optional_settings=("location", "locations", "ca_file",
                       "safety_buffer", "push_pos_sales", "stock_master", "tenders"),
    required_secrets=("consumer_key", "consumer_secret"),
    optional_secrets=("webhook_secret",),
    validate_settings=validate_shop_settings,
    description="WooCommerce REST API v3",
    commerce=woocommerce_channel,
    # WooCommerce documents no limit on a variable product's attributes or variations; it
    # keeps a custom attribute's values joined by "|" (WC_DELIMITER).
    variant_limits=VariantLimits(value_separator="|"),
)
