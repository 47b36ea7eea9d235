"""Builds an Adyen gateway from a connection's settings and opened secrets."""

from __future__ import annotations

from tillflow.connectors.adyen.gateway import AdyenGateway
from tillflow.connectors.adyen.reports import REPORT_TEST_BASE, ReportSource
from tillflow.ports.registry import Secrets, Settings

TERMINAL_API_TEST_BASE = "https://terminal-api-test.adyen.com"


def adyen_gateway(settings: Settings, secrets: Secrets) -> AdyenGateway:
    return AdyenGateway(base_url=settings.get("api_base", TERMINAL_API_TEST_BASE),
                        api_key=secrets["api_key"],
                        sale_id=settings.get("sale_id", "tillflow"),
                        check_terminal=settings.get("check_terminal"),
                        reports=_report_source(settings, secrets))


def _report_source(settings: Settings, secrets: Secrets) -> ReportSource | None:
    """Where Adyen's reports come from, if the connection has a report user."""
    account, user = settings.get("merchant_account"), secrets.get("report_user")
    if not account or not user:
        return None
    return ReportSource(base_url=settings.get("report_base", REPORT_TEST_BASE),
                        merchant_account=account, user=user,
                        password=secrets.get("report_password", ""))
