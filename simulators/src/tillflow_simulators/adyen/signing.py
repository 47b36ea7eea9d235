"""Adyen's HMAC signature of a standard notification item, as Adyen documents it.

Eight values joined with ``:`` — pspReference, originalReference, merchantAccountCode,
merchantReference, amount.value, amount.currency, eventCode, success — an absent or null
value as the empty string, a boolean as ``true``/``false``, nothing escaped; HMAC-SHA256
under the hex-decoded key, base64-encoded, in ``additionalData.hmacSignature``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

# ISO 4217 currencies whose minor unit is not the hundredth.
_EXPONENTS = {
    "BHD": 3, "CLP": 0, "CVE": 0, "IDR": 0, "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0,
    "KWD": 3, "LYD": 3, "OMR": 3, "PYG": 0, "TND": 3, "UGX": 0, "VND": 0, "XAF": 0,
    "XOF": 0, "XPF": 0,
}  # fmt: skip


def minor_units(amount: Decimal, currency: str) -> int:
    """``amount.value`` of a notification: the amount in the currency's minor unit."""
    return int(amount.scaleb(_EXPONENTS.get(currency.upper(), 2)))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def signed_string(item: Mapping[str, Any]) -> str:
    given = item.get("amount")
    amount: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    values = [item.get("pspReference"), item.get("originalReference"),
              item.get("merchantAccountCode"), item.get("merchantReference"),
              amount.get("value"), amount.get("currency"), item.get("eventCode"),
              item.get("success")]
    return ":".join(_text(value) for value in values)


def signature(item: Mapping[str, Any], hmac_key_hex: str) -> str:
    key = binascii.unhexlify(hmac_key_hex)
    digest = hmac.new(key, signed_string(item).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()
