"""The ERP adapters of a connection, from its platform's connector spec."""

from __future__ import annotations

from tillflow.domain.errors import InvalidInput
from tillflow.ports.accounting import AccountingPort, ErpCatalog
from tillflow.ports.registry import ConnectorSpec
from tillflow.services import connections
from tillflow.services.context import ServiceContext


def _spec(ctx: ServiceContext, platform: str) -> ConnectorSpec | None:
    return ctx.connectors.get(platform)


def catalog_for(ctx: ServiceContext, name: str) -> ErpCatalog:
    """Products and receipts of a connection's ERP."""
    view = connections.get_connection(ctx, name)
    spec = _spec(ctx, view.platform)
    if spec is None or spec.erp_catalog is None:
        raise InvalidInput(f"products and receipts are not synced with {view.platform!r}")
    return spec.erp_catalog(view.settings, connections.connection_secrets(ctx, name))


def accounting_for(ctx: ServiceContext, name: str) -> AccountingPort:
    view = connections.get_connection(ctx, name)
    spec = _spec(ctx, view.platform)
    if spec is None or spec.accounting is None:
        raise InvalidInput(f"no accounting adapter for platform {view.platform!r}")
    return spec.accounting(view.settings, connections.connection_secrets(ctx, name))
