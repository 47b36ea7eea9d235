"""Which adapter serves a payments connection, by its platform."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.adyen.gateway import AdyenGateway
from tillflow.connectors.adyen.reports import REPORT_TEST_BASE, ReportSource
from tillflow.connectors.payments import ConfigurationError, PaymentGateway
from tillflow.connectors.stripe.gateway import StripeGateway

ADYEN_TEST_BASE = "https://terminal-api-test.adyen.com"


def open_gateway(platform: str, settings: Mapping[str, Any],
                 secrets: Mapping[str, str]) -> PaymentGateway:
    if platform == "stripe":
        return StripeGateway(api_key=secrets["api_key"], api_base=settings.get("api_base"))
    if platform == "adyen":
        return AdyenGateway(base_url=settings.get("api_base", ADYEN_TEST_BASE),
                            api_key=secrets["api_key"],
                            sale_id=settings.get("sale_id", "tillflow"),
                            check_terminal=settings.get("check_terminal"),
                            reports=_report_source(settings, secrets))
    raise ConfigurationError(f"no payments adapter for platform {platform!r}")


def _report_source(settings: Mapping[str, Any],
                   secrets: Mapping[str, str]) -> ReportSource | None:
    """Where Adyen's reports come from, if the connection has a report user."""
    account, user = settings.get("merchant_account"), secrets.get("report_user")
    if not account or not user:
        return None
    return ReportSource(base_url=settings.get("report_base", REPORT_TEST_BASE),
                        merchant_account=account, user=user,
                        password=secrets.get("report_password", ""))
