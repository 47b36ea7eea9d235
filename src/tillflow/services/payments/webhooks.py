"""Gateway webhooks: verified, stored once per event, and only ever a hint.

Each platform's connector verifies and reads its own deliveries (Stripe: one event,
``Stripe-Signature``; Adyen: every NotificationRequestItem's HMAC, answered with
``[accepted]``); here each event is stored once, by its id at the gateway, and a stored
one emits ``payment.webhook``; the
resolver then looks the payment up at the gateway and applies what it says now, so
duplicates and out-of-order deliveries all land on the gateway's current state. An Adyen
refund's notification is the one word there is on that refund's outcome: it is stored
under the refund's pspReference and applied by ``refund_settlement``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tillflow.domain.errors import DomainError, InvalidInput, NotFound
from tillflow.ports.payments import GatewayEvent, WebhookRejected
from tillflow.ports.persistence import DuplicateRecord
from tillflow.services.connections import connection_secrets
from tillflow.services.context import ServiceContext


class BadWebhook(DomainError):
    code = "unauthorized"


@dataclass(frozen=True)
class Receipt:
    status: str
    acknowledgement: str | None = None


def receive(ctx: ServiceContext, name: str, *, headers: Mapping[str, str],
            body: bytes) -> Receipt:
    """``stored`` or ``duplicate``; raises ``BadWebhook`` (nothing stored) when unsigned."""
    with ctx.uow(read_only=True) as uow:
        record = uow.connections.get(name)
    if record is None:
        raise NotFound(f"no connection {name!r}", details={"name": name})
    spec = ctx.connectors.get(record.platform)
    if spec is None or spec.payment_webhooks is None:
        raise InvalidInput(f"{record.platform} webhooks are not taken here",
                           details={"connection": name})
    try:
        events = spec.payment_webhooks.read(body, headers, connection_secrets(ctx, name))
    except WebhookRejected as exc:
        raise BadWebhook(str(exc)) from None
    stored = sum(_store(ctx, name, event) for event in events)
    return Receipt("stored" if stored else "duplicate", spec.payment_webhooks.acknowledgement)


def _store(ctx: ServiceContext, name: str, delivery: GatewayEvent) -> bool:
    with ctx.uow() as uow:
        try:
            uow.payments.record_webhook(
                connection=name, event_id=delivery.event_id, type=delivery.type,
                reference=delivery.reference or delivery.payment_id, now=uow.now)
        except DuplicateRecord:
            return False
        data: dict[str, Any] = {
            "connection": name, "event_id": delivery.event_id, "type": delivery.type,
            "reference": delivery.reference, "payment_id": delivery.payment_id}
        if delivery.success is not None:
            data |= {"refund_key": delivery.refund_key, "success": delivery.success}
        uow.emit("payment.webhook", data)
        uow.commit()
    return True
