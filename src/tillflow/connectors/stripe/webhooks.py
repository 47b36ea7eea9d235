"""Stripe webhooks: ``Stripe-Signature`` checked by the official library over the raw bytes
(HMAC-SHA256, 300 s timestamp tolerance) before the body is parsed."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

import stripe

from tillflow.ports.payments import GatewayEvent, WebhookRejected

TOLERANCE_SECONDS = 300


class BadSignatureError(Exception):
    """Not signed with this endpoint's secret, or too old: nothing may be stored."""


@dataclass(frozen=True)
class StripeWebhook:
    event_id: str
    type: str
    object_id: str | None


def verify(body: bytes, signature: str | None, secret: str) -> StripeWebhook:
    try:
        stripe.WebhookSignature.verify_header(body, signature, secret,
                                              tolerance=TOLERANCE_SECONDS)
        event = json.loads(body)
        obj = event["data"]["object"]
        return StripeWebhook(event_id=str(event["id"]), type=str(event["type"]),
                             object_id=str(obj["id"]) if "id" in obj else None)
    except stripe.SignatureVerificationError as exc:
        raise BadSignatureError("Stripe-Signature does not match") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise BadSignatureError("not a Stripe event") from exc


def sign(body: bytes, secret: str, *, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header Stripe would send (connection checks, tests)."""
    moment = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{moment}.".encode() + body, hashlib.sha256)
    return f"t={moment},v1={digest.hexdigest()}"


class StripeWebhooks:
    """Stripe's webhooks: one event per delivery, signed with the endpoint's secret."""

    acknowledgement: str | None = None

    def read(self, body: bytes, headers: Mapping[str, str],
             secrets: Mapping[str, str]) -> list[GatewayEvent]:
        secret = secrets.get("webhook_secret")
        if not secret:
            raise WebhookRejected("this connection has no webhook_secret")
        try:
            hook = verify(body, headers.get("stripe-signature"), secret)
        except BadSignatureError as exc:
            raise WebhookRejected(f"webhook rejected: {exc}") from None
        return [GatewayEvent(event_id=hook.event_id, type=hook.type, reference=hook.object_id)]

    def signed_sample(self, secrets: Mapping[str, str]) -> tuple[bytes, dict[str, str]]:
        secret = secrets.get("webhook_secret")
        if not secret:
            raise WebhookRejected("no webhook_secret")
        body = json.dumps({"id": f"evt_check_{uuid.uuid4().hex}", "type": "tillflow.check",
                           "data": {"object": {"object": "check"}}}).encode()
        return body, {"Stripe-Signature": sign(body, secret),
                      "Content-Type": "application/json"}
