"""Builds Odoo's accounting and catalog adapters from a connection's settings."""

from __future__ import annotations

from tillflow.connectors.common.tls import verify_setting
from tillflow.connectors.odoo.accounting import DEFAULT_JOURNAL, INVOICE, OdooAccounting
from tillflow.connectors.odoo.catalog import OdooCatalog
from tillflow.connectors.odoo.client import JSON2, OdooClient
from tillflow.ports.registry import Secrets, Settings


def odoo_client(settings: Settings, secrets: Secrets, *, timeout: float = 15.0) -> OdooClient:
    return OdooClient(url=str(settings["url"]), database=str(settings["database"]),
                      username=secrets["username"],
                      secret=secrets.get("api_key") or secrets["password"],
                      protocol=str(settings.get("protocol") or JSON2),
                      timeout=timeout, verify=verify_setting(settings),
                      secret_name="api_key" if secrets.get("api_key") else "password")


def odoo_accounting(settings: Settings, secrets: Secrets) -> OdooAccounting:
    return OdooAccounting(odoo_client(settings, secrets),
                          accounts=dict(settings.get("accounts") or {}),
                          journal=str(settings.get("journal") or DEFAULT_JOURNAL),
                          sales=str(settings.get("sales") or INVOICE),
                          party=settings.get("party"),
                          payment_journals=dict(settings.get("payment_journals") or {}),
                          locations=dict(settings.get("locations") or {}))


def odoo_catalog(settings: Settings, secrets: Secrets) -> OdooCatalog:
    return OdooCatalog(odoo_client(settings, secrets))
