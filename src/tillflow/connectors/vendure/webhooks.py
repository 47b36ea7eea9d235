"""Webhooks from tillflow's Vendure plugin (``integrations/vendure-plugin``).

``X-Tillflow-Signature`` is the base64 HMAC-SHA256 of the raw body with the
connection's webhook secret; the body is ``{"id", "topic", "occurred_at", "data"}`` and
``id`` (also sent as ``X-Tillflow-Delivery``) is the same on every retry of a delivery.
Vendure's events say only what changed: the order, product or customer is fetched
again, so stock movements themselves are left to polling and reconciliation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from tillflow.connectors.common.signatures import signed
from tillflow.ports.commerce import (
    CUSTOMER,
    IGNORED,
    ORDER,
    PING,
    PRODUCT,
    BadWebhook,
    MalformedWebhook,
    WebhookMessage,
)

TOPICS = ("product.created", "product.updated", "product.deleted", "variant.created",
          "variant.updated", "variant.deleted", "stock.movement", "customer.created",
          "customer.updated", "customer.deleted", "order.state", "order.line",
          "refund.state")
ORDER_TOPICS = frozenset({"order.state", "order.line", "refund.state"})



def read(headers: Mapping[str, str], body: bytes, *, secret: str | None) -> WebhookMessage:
    """Verify before parsing, in constant time, over the bytes as received."""
    if not secret:
        raise BadWebhook("the connection has no webhook_secret to verify the plugin's signature")
    sent = headers.get("x-tillflow-signature", "")
    if not signed(secret, body, sent):
        raise BadWebhook("X-Tillflow-Signature does not match the body")
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise MalformedWebhook(f"the body is not JSON: {exc}") from None
    if not isinstance(payload, dict) or not payload.get("id") or not payload.get("topic"):
        raise MalformedWebhook("the body has no delivery id or topic")
    topic, data = str(payload["topic"]), payload.get("data")
    if not isinstance(data, dict):
        raise MalformedWebhook("the body has no data object")
    if topic == "ping":
        return WebhookMessage(delivery_id=str(payload["id"]), topic=topic, kind=PING,
                              external_id=None)
    kind, external_id = _subject(topic, data)
    return WebhookMessage(delivery_id=str(payload["id"]), topic=topic,
                          kind=kind if external_id else IGNORED, external_id=external_id)


def _subject(topic: str, data: Mapping[str, Any]) -> tuple[str, str | None]:
    if topic in ORDER_TOPICS:
        return ORDER, _id(data.get("id"))
    if topic in ("product.created", "product.updated"):
        return PRODUCT, _id(data.get("id"))
    if topic in ("variant.created", "variant.updated"):
        variants = data.get("variants") or []
        first = variants[0] if variants and isinstance(variants[0], dict) else {}
        return PRODUCT, _id(first.get("product_id"))
    if topic in ("customer.created", "customer.updated"):
        return CUSTOMER, _id(data.get("id"))
    return IGNORED, None


def _id(value: object) -> str | None:
    return str(value) if isinstance(value, str | int) and str(value) else None
