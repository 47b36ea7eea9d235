"""Builds Tryton's accounting and catalog adapters from a connection's settings."""

from __future__ import annotations

from tillflow.connectors.common.tls import verify_setting
from tillflow.connectors.tryton.accounting import DEFAULT_JOURNAL, INVOICE, TrytonAccounting
from tillflow.connectors.tryton.catalog import TrytonCatalog
from tillflow.connectors.tryton.rpc import TrytonClient
from tillflow.ports.registry import Secrets, Settings


def tryton_client(settings: Settings, secrets: Secrets, *,
                  timeout: float = 15.0) -> TrytonClient:
    return TrytonClient(url=str(settings["url"]), username=secrets["username"],
                        password=secrets["password"], timeout=timeout,
                        verify=verify_setting(settings))


def tryton_accounting(settings: Settings, secrets: Secrets) -> TrytonAccounting:
    return TrytonAccounting(tryton_client(settings, secrets),
                            accounts=dict(settings.get("accounts") or {}),
                            journal=str(settings.get("journal") or DEFAULT_JOURNAL),
                            sales=str(settings.get("sales") or INVOICE),
                            party=settings.get("party"),
                            payment_methods=dict(settings.get("payment_methods") or {}),
                            locations=dict(settings.get("locations") or {}))


def tryton_catalog(settings: Settings, secrets: Secrets) -> TrytonCatalog:
    return TrytonCatalog(tryton_client(settings, secrets))
