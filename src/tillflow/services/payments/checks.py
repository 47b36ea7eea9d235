"""``POST /connections/{name}/check``: prove a payments connection before going live.

Checks the credentials, that the webhook secret signs what tillflow's webhook endpoint
accepts (and, with the ``webhook_url`` setting, that the endpoint is reachable and says
so), and in test mode takes and voids a small payment.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx

from tillflow.ports.payments import GatewayError, PaymentOrder, WebhookRejected
from tillflow.ports.registry import PAYMENTS
from tillflow.services.connections import connection_secrets, get_connection
from tillflow.services.context import ServiceContext
from tillflow.services.payments.gateways import PaymentConnection, gateways_of

TEST_CARD = "pm_card_visa"
TEST_AMOUNT = 100
Check = dict[str, Any]


def takes_payments(ctx: ServiceContext, name: str) -> bool:
    with ctx.uow(read_only=True) as uow:
        record = uow.connections.get(name)
    spec = ctx.connectors.get(record.platform) if record else None
    return spec is not None and PAYMENTS in spec.ports


def check_connection(ctx: ServiceContext, name: str) -> dict[str, Any]:
    conn = gateways_of(ctx).connection(ctx, name)
    settings = get_connection(ctx, name).settings
    results = [_run("credentials", conn.gateway.check)]
    results.append(_webhook(ctx, name, settings.get("webhook_url")))
    if conn.mode == "test":
        results.append(_run("authorize_and_void", lambda: _authorize_and_void(conn)))
    return {"connection": name, "mode": conn.mode, "checks": results,
            "ok": all(r["ok"] for r in results)}


def _run(name: str, action: Callable[[], object]) -> Check:
    try:
        detail = action()
    except GatewayError as exc:
        return {"name": name, "ok": False, "detail": str(exc)}
    return {"name": name, "ok": True, "detail": detail if isinstance(detail, str) else "ok"}


def _webhook(ctx: ServiceContext, name: str, url: object) -> Check:
    """The connection's secret signs what its webhook endpoint accepts, and (with a
    ``webhook_url``) the endpoint is reachable and takes it."""
    spec = ctx.connectors.get(get_connection(ctx, name).platform)
    if spec is None or spec.payment_webhooks is None:
        return {"name": "webhook", "ok": True, "detail": "this gateway sends no webhooks"}
    secrets = connection_secrets(ctx, name)
    try:
        body, headers = spec.payment_webhooks.signed_sample(secrets)
        spec.payment_webhooks.read(body, {k.lower(): v for k, v in headers.items()}, secrets)
    except WebhookRejected as exc:
        return {"name": "webhook", "ok": False, "detail": str(exc)}
    if not isinstance(url, str) or not url:
        return {"name": "webhook", "ok": True, "detail": "signature ok; no webhook_url set"}
    try:
        reply = httpx.post(url, content=body, timeout=5.0, headers=headers)
    except httpx.HTTPError as exc:
        return {"name": "webhook", "ok": False, "detail": f"unreachable: {exc!r}"}
    return {"name": "webhook", "ok": reply.is_success,
            "detail": f"{url} answered {reply.status_code}"}


def _authorize_and_void(conn: PaymentConnection) -> str:
    order = PaymentOrder(payment_id=f"check-{uuid.uuid4()}", amount=TEST_AMOUNT,
                         currency="USD", source=TEST_CARD)
    key = uuid.uuid4().hex
    reference = conn.gateway.start(order, idempotency_key=f"{key}-s")
    conn.gateway.authorize(reference, order, idempotency_key=f"{key}-a")
    conn.gateway.cancel(reference, idempotency_key=f"{key}-v")
    return f"authorized and voided {reference}"
