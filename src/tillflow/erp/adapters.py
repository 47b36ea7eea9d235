"""Which ledger adapter serves a connection: the ERP side's one composition point."""

from __future__ import annotations

from typing import Any

from tillflow.connectors.odoo.catalog import OdooCatalog
from tillflow.connectors.odoo.client import JSON2, OdooClient
from tillflow.connectors.odoo.ledger import DEFAULT_JOURNAL as ODOO_JOURNAL
from tillflow.connectors.odoo.ledger import OdooLedger
from tillflow.connectors.tryton.catalog import TrytonCatalog
from tillflow.connectors.tryton.ledger import DEFAULT_JOURNAL, INVOICE, TrytonLedger
from tillflow.connectors.tryton.rpc import TrytonClient
from tillflow.domain.errors import InvalidInput
from tillflow.erp.ports import LedgerPort
from tillflow.erp.procurement import ErpCatalog
from tillflow.services import connections
from tillflow.services.context import ServiceContext


def catalog_for(ctx: ServiceContext, name: str) -> ErpCatalog:
    """Products and receipts of a connection's ERP."""
    view = connections.get_connection(ctx, name)
    secrets = connections.connection_secrets(ctx, name)
    if view.platform == "tryton":
        return TrytonCatalog(TrytonClient(url=str(view.settings["url"]),
                                          username=secrets["username"],
                                          password=secrets["password"]))
    if view.platform == "odoo":
        return OdooCatalog(_odoo(view.settings, secrets))
    raise InvalidInput(f"products and receipts are not synced with {view.platform!r}")


def _odoo(settings: dict[str, Any], secrets: dict[str, str]) -> OdooClient:
    return OdooClient(url=str(settings["url"]), database=str(settings["database"]),
                      username=secrets["username"],
                      secret=secrets.get("api_key") or secrets["password"],
                      protocol=str(settings.get("protocol") or JSON2))


def ledger_for(ctx: ServiceContext, name: str) -> LedgerPort:
    view = connections.get_connection(ctx, name)
    secrets = connections.connection_secrets(ctx, name)
    settings = view.settings
    if view.platform == "tryton":
        client = TrytonClient(url=str(settings["url"]), username=secrets["username"],
                              password=secrets["password"])
        return TrytonLedger(client, accounts=dict(settings.get("accounts") or {}),
                            journal=str(settings.get("journal") or DEFAULT_JOURNAL),
                            sales=str(settings.get("sales") or INVOICE),
                            party=settings.get("party"),
                            payment_methods=dict(settings.get("payment_methods") or {}),
                            locations=dict(settings.get("locations") or {}))
    if view.platform == "odoo":
        return OdooLedger(_odoo(settings, secrets), accounts=dict(settings.get("accounts") or {}),
                          journal=str(settings.get("journal") or ODOO_JOURNAL),
                          sales=str(settings.get("sales") or INVOICE),
                          party=settings.get("party"),
                          payment_journals=dict(settings.get("payment_journals") or {}),
                          locations=dict(settings.get("locations") or {}))
    raise InvalidInput(f"no ledger adapter for platform {view.platform!r}")
