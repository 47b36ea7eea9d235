"""Shopify webhooks: HMAC-SHA256 over the raw body, deduplicated by ``X-Shopify-Event-Id``."""

from __future__ import annotations

import json
from collections.abc import Mapping

from tillflow.connectors.common.signatures import signed
from tillflow.ports.commerce import (
    CUSTOMER,
    IGNORED,
    ORDER,
    PRODUCT,
    BadWebhook,
    MalformedWebhook,
    WebhookMessage,
)

# A product made in the shop may get its variants and SKUs after it is created: its
# update brings it in then (one tillflow knows costs no call, see ``apply_product``).
TOPICS = ("ORDERS_CREATE", "ORDERS_UPDATED", "ORDERS_CANCELLED", "REFUNDS_CREATE",
          "PRODUCTS_CREATE", "PRODUCTS_UPDATE", "CUSTOMERS_CREATE", "CUSTOMERS_UPDATE")
KINDS = {"products/create": PRODUCT, "products/update": PRODUCT,
         "customers/create": CUSTOMER, "customers/update": CUSTOMER}


def read(headers: Mapping[str, str], body: bytes, *, secret: str | None) -> WebhookMessage:
    """Verify before parsing; the body is never re-serialised (Shopify escapes ``<>&``)."""
    if not secret:
        raise BadWebhook("the connection has no webhook_secret to verify Shopify's signature")
    sent = headers.get("x-shopify-hmac-sha256", "")
    if not signed(secret, body, sent):
        raise BadWebhook("X-Shopify-Hmac-Sha256 does not match the body")
    topic = headers.get("x-shopify-topic", "")
    event_id = headers.get("x-shopify-event-id") or headers.get("x-shopify-webhook-id")
    if not topic or not event_id:
        raise MalformedWebhook("missing X-Shopify-Topic or X-Shopify-Event-Id")
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise MalformedWebhook(f"the body is not JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise MalformedWebhook("the body is not a JSON object")
    kind = _kind(topic)
    return WebhookMessage(delivery_id=event_id, topic=topic, kind=kind,
                          external_id=None if kind == IGNORED else _resource_id(topic, payload))


def _kind(topic: str) -> str:
    if topic.startswith("orders/") or topic == "refunds/create":
        return ORDER
    return KINDS.get(topic, IGNORED)


def _resource_id(topic: str, payload: Mapping[str, object]) -> str | None:
    if topic == "refunds/create":
        order = payload.get("order_id")
        return None if order is None else f"gid://shopify/Order/{order}"
    found = payload.get("admin_graphql_api_id")
    return found if isinstance(found, str) else None
