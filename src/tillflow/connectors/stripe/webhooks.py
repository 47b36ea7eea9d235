"""Stripe webhooks: ``Stripe-Signature`` checked by the official library over the raw bytes
(HMAC-SHA256, 300 s timestamp tolerance either way) before the body is parsed."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

import stripe

from tillflow.ports.payments import GatewayEvent, WebhookRejected

TOLERANCE_SECONDS = 300
# Stripe's ids and event types: short, of letters, digits and . _ - (its ids are < 255).
_ID = re.compile(r"^[A-Za-z0-9._-]{1,255}$")


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
    except stripe.SignatureVerificationError as exc:
        raise BadSignatureError("Stripe-Signature does not match") from exc
    _not_from_the_future(signature or "")
    try:
        event = json.loads(body)
        obj = event["data"]["object"]
        hook = StripeWebhook(event_id=str(event["id"]), type=str(event["type"]),
                             object_id=str(obj["id"]) if "id" in obj else None)
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise BadSignatureError("not a Stripe event") from exc
    if not all(_ID.match(v) for v in (hook.event_id, hook.type, hook.object_id or "-")):
        raise BadSignatureError("not a Stripe event: an id is not one Stripe makes")
    return hook


def _not_from_the_future(signature: str) -> None:
    """Stripe's library refuses a timestamp older than the tolerance; one as far ahead is
    refused here: a signature made for later could be replayed for that long."""
    stamps = [part[2:] for part in signature.split(",") if part.startswith("t=")]
    if not stamps or not stamps[0].isdigit():
        raise BadSignatureError("Stripe-Signature has no timestamp")
    if int(stamps[0]) > time.time() + TOLERANCE_SECONDS:
        raise BadSignatureError("Stripe-Signature is dated in the future")


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
