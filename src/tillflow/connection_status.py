"""The check and the health of any connection, whatever its kind.

Each area knows what its connections need (a payment gateway: credentials, webhook
signature and, in test mode, an authorize-and-void; a web shop: credentials, scopes and
webhook subscriptions; an ERP: what it answers now, and its posting queue); this module
only picks the area by the ports the platform declares. The HTTP API and the
``tillflow connection`` command both answer through it.
"""

from __future__ import annotations

from typing import Any

from tillflow.domain.errors import NotFound
from tillflow.erp import service as erp_service
from tillflow.erp.adapters import books_checks, card_fees_checks
from tillflow.ports.accounting import ConsentRevoked, ErpCheck, ErpUnavailable
from tillflow.ports.commerce import ChannelError
from tillflow.ports.registry import ACCOUNTING, COMMERCE, PAYMENTS
from tillflow.services import erp_checks
from tillflow.services.connections import connection_secrets, get_connection
from tillflow.services.context import ServiceContext
from tillflow.services.payments import checks
from tillflow.services.payments.health import payment_health
from tillflow.sync.engine import SyncEngine


def _ports(ctx: ServiceContext, name: str) -> frozenset[str]:
    spec = ctx.connectors.get(get_connection(ctx, name).platform)
    return frozenset() if spec is None else spec.ports


def check(ctx: ServiceContext, sync: SyncEngine | None, name: str) -> dict[str, Any]:
    """Prove a connection before going live; ``ok`` says whether it is ready."""
    ports = _ports(ctx, name)
    if PAYMENTS in ports:
        return checks.check_connection(ctx, name)
    if ACCOUNTING in ports:
        return _erp(ctx, name)
    if COMMERCE in ports:
        if sync is None:
            raise NotFound("this server runs no sync engine")
        try:
            result = sync.check(name)
        except ChannelError as exc:
            return {"name": name, "ok": False, "problems": [str(exc)], "webhooks": []}
        return {"name": name, "ok": result.ok, "problems": result.problems,
                "webhooks": result.webhooks}
    raise NotFound(f"connection {name!r} has no check")


def _erp(ctx: ServiceContext, name: str) -> dict[str, Any]:
    """The ERP proved now (422 for what the user must fix), then its posting queue."""
    view = get_connection(ctx, name)
    spec = ctx.connectors.get(view.platform)
    found = _books(ctx, name)
    if found is None:
        found = [] if spec is None else erp_checks.prove(ctx, spec, view.settings,
                                                         connection_secrets(ctx, name))
    found = [*found, *card_fees_checks(ctx, view.settings.get("accounts") or {})]
    # An ERP away is only not ready; a setting to fix is a 422 naming it.
    erp_checks.verdict([c for c in found if c.name != erp_checks.UNREACHABLE])
    queue = erp_service.posting_health(ctx, name)
    return {**queue, "checks": [erp_checks.as_json(c) for c in found],
            "ok": queue["state"] != "failing" and all(c.ok for c in found)}


def _books(ctx: ServiceContext, name: str) -> list[ErpCheck] | None:
    """SaaS books proved through the connection's leased tokens; a refused consent is
    the user's to fix (422 naming the secret), books away are only not ready."""
    try:
        found = books_checks(ctx, name)
    except ConsentRevoked as exc:
        found = [ErpCheck("consent", False, str(exc), field="secrets.refresh_token")]
    except ErpUnavailable as exc:
        return [ErpCheck(erp_checks.UNREACHABLE, False, str(exc))]
    return None if found is None else erp_checks.verdict(found)


def health(ctx: ServiceContext, sync: SyncEngine | None, name: str) -> dict[str, Any]:
    """State, lag in seconds, pending, failed and last error (and, for a web shop, its last
    reconciliation with the drift it found)."""
    ports = _ports(ctx, name)
    if PAYMENTS in ports:
        return payment_health(ctx, name)
    if ACCOUNTING in ports:
        return erp_service.posting_health(ctx, name)
    if sync is None:
        return {"state": "not_running"}
    found = dict(sync.health(name))
    found.pop("name", None)
    found.pop("platform", None)
    return found
