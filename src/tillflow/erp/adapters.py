"""The ERP adapters of a connection, from its platform's connector spec."""

from __future__ import annotations

from collections.abc import Mapping

from tillflow.db.uow import connection_of
from tillflow.domain.accounting.rules import CARD_FEES
from tillflow.domain.errors import InvalidInput
from tillflow.erp import journal
from tillflow.erp.oauth_tokens import LeasedTokens
from tillflow.ports.accounting import AccessTokens, AccountingPort, ErpCatalog, ErpCheck
from tillflow.ports.registry import ConnectorSpec
from tillflow.services import connections
from tillflow.services.context import ServiceContext


def _spec(ctx: ServiceContext, platform: str) -> ConnectorSpec | None:
    return ctx.connectors.get(platform)


def catalog_for(ctx: ServiceContext, name: str) -> ErpCatalog:
    """Products and receipts of a connection's ERP."""
    view = connections.get_connection(ctx, name)
    spec = _spec(ctx, view.platform)
    secrets = connections.connection_secrets(ctx, name)
    if spec is not None and spec.books_catalog is not None:
        return spec.books_catalog(view.settings, secrets, tokens_for(ctx, name))
    if spec is None or spec.erp_catalog is None:
        raise InvalidInput(f"products and receipts are not synced with {view.platform!r}")
    return spec.erp_catalog(view.settings, secrets)


def accounting_for(ctx: ServiceContext, name: str) -> AccountingPort:
    view = connections.get_connection(ctx, name)
    spec = _spec(ctx, view.platform)
    secrets = connections.connection_secrets(ctx, name)
    if spec is not None and spec.books is not None:
        return spec.books(view.settings, secrets, tokens_for(ctx, name))
    if spec is None or spec.accounting is None:
        raise InvalidInput(f"no accounting adapter for platform {view.platform!r}")
    return spec.accounting(view.settings, secrets)


def tokens_for(ctx: ServiceContext, name: str) -> AccessTokens:
    """The leased OAuth tokens of a connection to SaaS books."""
    view = connections.get_connection(ctx, name)
    spec = _spec(ctx, view.platform)
    if spec is None or spec.oauth is None:
        raise InvalidInput(f"{view.platform!r} connections use no OAuth tokens")
    secrets = connections.connection_secrets(ctx, name)
    return LeasedTokens(ctx, name, platform=view.platform,
                        endpoint=spec.oauth(view.settings, secrets),
                        seed_token=secrets.get("refresh_token", ""))


def books_checks(ctx: ServiceContext, name: str) -> list[ErpCheck] | None:
    """A connection to SaaS books proved against them (None for other platforms)."""
    view = connections.get_connection(ctx, name)
    spec = _spec(ctx, view.platform)
    if spec is None or spec.books_check is None:
        return None
    return spec.books_check(view.settings, connections.connection_secrets(ctx, name),
                            tokens_for(ctx, name), ctx.currency.code)


def card_fees_checks(ctx: ServiceContext, accounts: Mapping[str, str]) -> list[ErpCheck]:
    """Once the journal has booked card fees, the books need an account for them (no
    books or ERP has a default): a check saying so, or none before any fee."""
    with ctx.uow(read_only=True) as uow:
        booked = journal.has_role(connection_of(uow), CARD_FEES)
    if not booked:
        return []
    if CARD_FEES in accounts:
        return [ErpCheck("card fees", True, f"card fees go to {accounts[CARD_FEES]!r}")]
    return [ErpCheck("card fees", False, "the store books card fees the gateways report: "
                     f"map {CARD_FEES!r} in settings.accounts (an expense account)",
                     field="settings.accounts")]
