"""Checks and health of a connection, whatever its platform.

Each area knows what its connections need (a payment gateway: credentials, webhook
signature and, in test mode, an authorize-and-void; a web shop: credentials, scopes and
webhook subscriptions; an ERP: its posting queue); this module only picks the area by
the platform's ports.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from tillflow.api.auth import Context, require
from tillflow.api.responses import FastJSONResponse
from tillflow.api.routes import sync as sync_routes
from tillflow.connectors.registry import LEDGER
from tillflow.erp import service as erp_service
from tillflow.services.connections import get_connection
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.payments import checks
from tillflow.services.payments.health import payment_health
from tillflow.services.tokens import SETUP
from tillflow.sync.engine import SyncEngine

router = APIRouter(tags=["connections"])
Admin = Annotated[Actor, Depends(require(SETUP))]


@router.post("/connections/{name}/check")
def check(name: str, request: Request, ctx: Context, _actor: Admin) -> FastJSONResponse:
    if checks.takes_payments(ctx, name):
        return FastJSONResponse(checks.check_connection(ctx, name))
    if _posts_to_ledger(ctx, name):
        return FastJSONResponse(erp_service.posting_health(ctx, name))
    return sync_routes.check(name, sync_routes.sync_engine(request))


def health(request: Request, ctx: ServiceContext, name: str) -> dict[str, Any]:
    """State, lag in seconds, pending, failed and last error (and, for a web shop, its last
    reconciliation with the drift it found)."""
    if checks.takes_payments(ctx, name):
        return payment_health(ctx, name)
    if _posts_to_ledger(ctx, name):
        return erp_service.posting_health(ctx, name)
    engine: SyncEngine | None = getattr(request.app.state, "sync", None)
    if engine is None:
        return {"state": "not_running"}
    found = dict(engine.health(name))
    found.pop("name", None)
    found.pop("platform", None)
    return found


def _posts_to_ledger(ctx: ServiceContext, name: str) -> bool:
    platform = get_connection(ctx, name).platform
    spec = ctx.connectors.get(platform)
    return spec is not None and LEDGER in spec.ports
