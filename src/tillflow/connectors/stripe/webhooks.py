"""Stripe webhooks: ``Stripe-Signature`` checked by the official library over the raw bytes
(HMAC-SHA256, 300 s timestamp tolerance) before the body is parsed."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass

import stripe

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
