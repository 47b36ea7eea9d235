"""Adyen notification webhooks: HMAC signatures of each NotificationRequestItem.

The signed string joins eight fields with ``:``: pspReference, originalReference,
merchantAccountCode, merchantReference, amount.value, amount.currency, eventCode, success.
A missing field and a JSON null are both the empty string and a JSON boolean is
``true``/``false``, as Adyen's Node library joins them (its Python library would write
``None``, which no delivery of Adyen's carries); nothing is escaped. The signature is
base64(HMAC-SHA256) keyed with the hex-decoded HMAC key and travels in
``additionalData.hmacSignature``. Every item of a delivery is checked, not only the first.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from tillflow.ports.payments import (
    REFUND_FAILED_BY,
    REFUND_SETTLED_BY,
    GatewayEvent,
    WebhookRejected,
)

ACKNOWLEDGEMENT = "[accepted]"

_SIGNED_FIELDS = (
    "pspReference",
    "originalReference",
    "merchantAccountCode",
    "merchantReference",
)
_TAIL_FIELDS = ("eventCode", "success")
# ISO 4217 minor digits that differ from the usual two.
_MINOR_DIGITS = {
    "BHD": 3, "CLP": 0, "CVE": 0, "IDR": 0, "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0,
    "KWD": 3, "LYD": 3, "OMR": 3, "PYG": 0, "TND": 3, "UGX": 0, "VND": 0, "XAF": 0,
    "XOF": 0, "XPF": 0,
}  # fmt: skip


class InvalidNotificationError(Exception):
    """A delivery whose body or signature does not verify: answer non-2xx, keep nothing."""


def minor_units(amount: Decimal, currency: str) -> int:
    """Amount in the currency's minor unit, as Adyen's `amount.value` carries it."""
    scaled = amount.scaleb(_MINOR_DIGITS.get(currency.upper(), 2))
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} has more digits than {currency} allows")
    return int(scaled)


def _signed_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def signing_string(item: Mapping[str, Any]) -> str:
    """The string Adyen signs for one NotificationRequestItem."""
    given = item.get("amount")
    amount: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    values = [item.get(name) for name in _SIGNED_FIELDS]
    values += [amount.get("value"), amount.get("currency")]
    values += [item.get(name) for name in _TAIL_FIELDS]
    return ":".join(_signed_text(value) for value in values)


def sign_item(item: Mapping[str, Any], hmac_key_hex: str) -> str:
    """base64 HMAC-SHA256 of the item's signing string under the hex-encoded key."""
    try:
        key = binascii.unhexlify(hmac_key_hex)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("the Adyen HMAC key must be hexadecimal") from exc
    digest = hmac.new(key, signing_string(item).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def item_is_valid(item: Mapping[str, Any], hmac_key_hex: str) -> bool:
    """Whether the item's `additionalData.hmacSignature` matches, compared in constant time."""
    additional = item.get("additionalData") or {}
    received = additional.get("hmacSignature")
    if not isinstance(received, str) or not received:
        return False
    expected = sign_item(item, hmac_key_hex)
    return hmac.compare_digest(expected.encode(), received.encode())


def verify_notification(raw_body: bytes, hmac_key_hex: str) -> list[dict[str, Any]]:
    """Parse a delivery and return its NotificationRequestItems if every one verifies."""
    try:
        body = json.loads(raw_body)
        items = [entry["NotificationRequestItem"] for entry in body["notificationItems"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidNotificationError("not an Adyen notification body") from exc
    if not items or not all(isinstance(item, dict) for item in items):
        raise InvalidNotificationError("no notification items")
    if not all(item_is_valid(item, hmac_key_hex) for item in items):
        raise InvalidNotificationError("HMAC signature does not match")
    return items


def dedupe_key(item: Mapping[str, Any]) -> tuple[str, str, str]:
    """Adyen may deliver an item twice: (pspReference, eventCode, success) identifies it."""
    fields = ("pspReference", "eventCode", "success")
    psp, event, success = (_signed_text(item.get(name)) for name in fields)
    return psp, event, success


class AdyenWebhooks:
    """Adyen's notifications: several items a delivery, each signed with the HMAC key;
    Adyen wants ``[accepted]`` back."""

    acknowledgement: str | None = ACKNOWLEDGEMENT

    def read(self, body: bytes, headers: Mapping[str, str],
             secrets: Mapping[str, str]) -> list[GatewayEvent]:
        key = secrets.get("hmac_key")
        if not key:
            raise WebhookRejected("this connection has no hmac_key")
        try:
            items = verify_notification(body, key)
        except (InvalidNotificationError, ValueError) as exc:
            raise WebhookRejected(f"notification rejected: {exc}") from None
        return [_event(item) for item in items]

    def signed_sample(self, secrets: Mapping[str, str]) -> tuple[bytes, dict[str, str]]:
        key = secrets.get("hmac_key")
        if not key:
            raise WebhookRejected("no hmac_key")
        item: dict[str, Any] = {
            "pspReference": f"CHECK{uuid.uuid4().hex[:12].upper()}",
            "eventCode": "REPORT_AVAILABLE",
            "success": "true", "merchantAccountCode": "check", "merchantReference": "check",
            "amount": {"value": 0, "currency": "EUR"}}
        item["additionalData"] = {"hmacSignature": sign_item(item, key)}
        body = json.dumps({"live": "false", "notificationItems": [
            {"NotificationRequestItem": item}]}).encode()
        return body, {"Content-Type": "application/json"}


def _event(item: Mapping[str, Any]) -> GatewayEvent:
    event_id = ":".join(dedupe_key(item))[:255]
    code = str(item.get("eventCode") or "")
    merchant_reference = str(item.get("merchantReference") or "") or None
    if code in REFUND_SETTLED_BY | REFUND_FAILED_BY:
        # A refund's merchantReference is the refund's idempotency key tillflow sent.
        return GatewayEvent(event_id=event_id, type=code,
                            reference=str(item.get("pspReference") or "") or None,
                            refund_key=merchant_reference,
                            success=str(item.get("success")).lower() == "true")
    # A payment's merchantReference is the TransactionID tillflow sent: its payment id.
    return GatewayEvent(event_id=event_id, type=code, payment_id=merchant_reference)
