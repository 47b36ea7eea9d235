"""Gateway webhooks: verified, stored once per event, and only ever a hint.

Stripe: ``Stripe-Signature`` over the raw body, deduplicated by event id. Adyen: the HMAC
of every NotificationRequestItem, deduplicated by (pspReference, eventCode, success),
acknowledged with ``[accepted]``. Each stored delivery emits ``payment.webhook``; the
resolver then looks the payment up at the gateway and applies what it says now, so
duplicates and out-of-order deliveries all land on the gateway's current state. An Adyen
refund's notification is the one word there is on that refund's outcome: it is stored
under the refund's pspReference and applied by ``refund_settlement``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from tillflow.connectors.adyen.notifications import (
    ACKNOWLEDGEMENT,
    InvalidNotificationError,
    dedupe_key,
    verify_notification,
)
from tillflow.connectors.stripe.webhooks import BadSignatureError, verify
from tillflow.db.tables_payments import payment_webhooks
from tillflow.domain.errors import DomainError, InvalidInput, NotFound
from tillflow.services.connections import connection_secrets
from tillflow.services.context import ServiceContext
from tillflow.services.payments import refund_outcomes


class BadWebhook(DomainError):
    code = "unauthorized"


@dataclass(frozen=True)
class Delivery:
    """One event of a delivery: its id at the gateway and what it is about.

    An Adyen refund's notification is about the refund: ``reference`` is its
    pspReference, ``refund_key`` the merchantReference (the refund's idempotency key),
    ``success`` Adyen's verdict."""

    event_id: str
    type: str
    reference: str | None = None
    payment_id: str | None = None
    refund_key: str | None = None
    success: bool | None = None


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
    secrets = connection_secrets(ctx, name)
    if record.platform == "stripe":
        deliveries, acknowledgement = [_stripe(body, headers, secrets)], None
    elif record.platform == "adyen":
        deliveries, acknowledgement = _adyen(body, secrets), ACKNOWLEDGEMENT
    else:
        raise InvalidInput(f"{record.platform} webhooks are not taken here",
                           details={"connection": name})
    stored = sum(_store(ctx, name, delivery) for delivery in deliveries)
    return Receipt("stored" if stored else "duplicate", acknowledgement)


def _stripe(body: bytes, headers: Mapping[str, str], secrets: Mapping[str, str]) -> Delivery:
    secret = secrets.get("webhook_secret")
    if not secret:
        raise BadWebhook("this connection has no webhook_secret")
    try:
        hook = verify(body, headers.get("stripe-signature"), secret)
    except BadSignatureError as exc:
        raise BadWebhook(f"webhook rejected: {exc}") from None
    return Delivery(event_id=hook.event_id, type=hook.type, reference=hook.object_id)


def _adyen(body: bytes, secrets: Mapping[str, str]) -> list[Delivery]:
    key = secrets.get("hmac_key")
    if not key:
        raise BadWebhook("this connection has no hmac_key")
    try:
        items = verify_notification(body, key)
    except (InvalidNotificationError, ValueError) as exc:
        raise BadWebhook(f"notification rejected: {exc}") from None
    return [_adyen_delivery(item) for item in items]


def _adyen_delivery(item: Mapping[str, Any]) -> Delivery:
    event_id = ":".join(dedupe_key(item))[:255]
    code = str(item.get("eventCode") or "")
    merchant_reference = str(item.get("merchantReference") or "") or None
    if code in refund_outcomes.NOTIFIED_BY:
        return Delivery(event_id=event_id, type=code,
                        reference=str(item.get("pspReference") or "") or None,
                        refund_key=merchant_reference,
                        success=str(item.get("success")).lower() == "true")
    # A payment's merchantReference is the TransactionID tillflow sent: its payment id.
    return Delivery(event_id=event_id, type=code, payment_id=merchant_reference)


def _store(ctx: ServiceContext, name: str, delivery: Delivery) -> bool:
    with ctx.uow() as uow:
        try:
            uow.connection.execute(insert(payment_webhooks).values(
                connection=name, event_id=delivery.event_id, type=delivery.type[:64],
                reference=delivery.reference or delivery.payment_id, received_at=uow.now))
        except IntegrityError:
            return False
        data: dict[str, Any] = {
            "connection": name, "event_id": delivery.event_id, "type": delivery.type,
            "reference": delivery.reference, "payment_id": delivery.payment_id}
        if delivery.success is not None:
            data |= {"refund_key": delivery.refund_key, "success": delivery.success}
        uow.emit("payment.webhook", data)
        uow.commit()
    return True
