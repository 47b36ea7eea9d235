"""What an Adyen connection needs (cloud Terminal API)."""

from tillflow.connectors.adyen.factory import adyen_gateway
from tillflow.connectors.adyen.notifications import AdyenWebhooks
from tillflow.ports.registry import ConnectorSpec

SPEC = ConnectorSpec(
    platform="adyen",
    optional_settings=("api_base", "merchant_account", "sale_id", "capture", "check_terminal",
                       "refund_approval_above", "report_base"),
    required_secrets=("api_key",),
    optional_secrets=("hmac_key", "report_user", "report_password"),
    description="Adyen cloud Terminal API (nexo)",
    payments=adyen_gateway,
    payment_webhooks=AdyenWebhooks(),
)
