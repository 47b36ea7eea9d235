"""Builds a Stripe gateway from a connection's settings and opened secrets."""

from __future__ import annotations

from tillflow.connectors.stripe.gateway import StripeGateway
from tillflow.ports.registry import Secrets, Settings


def stripe_gateway(settings: Settings, secrets: Secrets) -> StripeGateway:
    return StripeGateway(api_key=secrets["api_key"], api_base=settings.get("api_base"))
