"""Which ledger adapter serves a connection: the ERP side's one composition point."""

from __future__ import annotations

from tillflow.connectors.odoo.client import JSON2, OdooClient
from tillflow.connectors.odoo.ledger import DEFAULT_JOURNAL as ODOO_JOURNAL
from tillflow.connectors.odoo.ledger import OdooLedger
from tillflow.connectors.tryton.catalog import TrytonCatalog
from tillflow.connectors.tryton.ledger import DEFAULT_JOURNAL, TrytonLedger
from tillflow.connectors.tryton.rpc import TrytonClient
from tillflow.domain.errors import InvalidInput
from tillflow.erp.ports import LedgerPort
from tillflow.services import connections
from tillflow.services.context import ServiceContext


def catalog_for(ctx: ServiceContext, name: str) -> TrytonCatalog:
    """Products and receipts of a connection's ERP (Tryton; Odoo's are not built yet)."""
    view = connections.get_connection(ctx, name)
    if view.platform != "tryton":
        raise InvalidInput(f"products and receipts are not synced with {view.platform!r} yet")
    secrets = connections.connection_secrets(ctx, name)
    return TrytonCatalog(TrytonClient(url=str(view.settings["url"]),
                                      username=secrets["username"],
                                      password=secrets["password"]))


def ledger_for(ctx: ServiceContext, name: str) -> LedgerPort:
    view = connections.get_connection(ctx, name)
    secrets = connections.connection_secrets(ctx, name)
    settings = view.settings
    if view.platform == "tryton":
        client = TrytonClient(url=str(settings["url"]), username=secrets["username"],
                              password=secrets["password"])
        return TrytonLedger(client, accounts=dict(settings.get("accounts") or {}),
                            journal=str(settings.get("journal") or DEFAULT_JOURNAL))
    if view.platform == "odoo":
        odoo = OdooClient(url=str(settings["url"]), database=str(settings["database"]),
                          username=secrets["username"],
                          secret=secrets.get("api_key") or secrets["password"],
                          protocol=str(settings.get("protocol") or JSON2))
        return OdooLedger(odoo, accounts=dict(settings.get("accounts") or {}),
                          journal=str(settings.get("journal") or ODOO_JOURNAL))
    raise InvalidInput(f"no ledger adapter for platform {view.platform!r}")
