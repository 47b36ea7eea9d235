"""WooCommerce webhooks: ``X-WC-Webhook-Signature`` is the base64 HMAC-SHA256 of the raw
body (``wp_json_encode`` output, slashes escaped: never re-serialise before checking).

WooCommerce's delivery id is not stable across re-sent events, so a delivery is known
by its content: topic, resource id and ``date_modified_gmt``. The ping sent when a
webhook is created carries no signature and is acknowledged without being stored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

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

TOPICS = ("order.created", "order.updated", "product.created", "customer.created",
          "customer.updated")
KINDS = {"order.created": ORDER, "order.updated": ORDER, "order.restored": ORDER,
         "product.created": PRODUCT, "customer.created": CUSTOMER,
         "customer.updated": CUSTOMER}



def read(headers: Mapping[str, str], body: bytes, *, secret: str) -> WebhookMessage:
    sent = headers.get("x-wc-webhook-signature")
    if sent is None and "x-wc-webhook-topic" not in headers and body.startswith(b"webhook_id="):
        return WebhookMessage(delivery_id="ping", topic="ping", kind=PING, external_id=None)
    if not signed(secret, body, sent):
        raise BadWebhook("X-WC-Webhook-Signature does not match the body")
    topic = headers.get("x-wc-webhook-topic", "")
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise MalformedWebhook(f"the body is not JSON: {exc}") from None
    if not topic or not isinstance(payload, dict) or "id" not in payload:
        raise MalformedWebhook("missing X-WC-Webhook-Topic or the resource id")
    version = payload.get("date_modified_gmt") or headers.get("x-wc-webhook-delivery-id", "")
    kind = KINDS.get(topic, IGNORED)
    return WebhookMessage(delivery_id=f"{topic}:{payload['id']}:{version}", topic=topic,
                          kind=kind, external_id=str(payload["id"]))
