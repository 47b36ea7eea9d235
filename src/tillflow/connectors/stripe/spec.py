"""What a Stripe connection needs."""

from tillflow.connectors.stripe.factory import stripe_gateway
from tillflow.connectors.stripe.webhooks import StripeWebhooks
from tillflow.ports.registry import ConnectorSpec

SPEC = ConnectorSpec(
    platform="stripe",
    optional_settings=("api_base", "capture", "terminal_api_base", "webhook_url",
                       "refund_approval_above"),
    required_secrets=("api_key",),
    optional_secrets=("webhook_secret",),
    description="Stripe PaymentIntents, Refunds and Terminal",
    payments=stripe_gateway,
    payment_webhooks=StripeWebhooks(),
)
