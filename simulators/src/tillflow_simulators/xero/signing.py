"""How Xero signs a webhook: ``x-xero-signature`` is the base64 HMAC-SHA256 of the raw
body bytes, keyed with the app's webhook key."""

from __future__ import annotations

import base64
import hashlib
import hmac


def sign(body: bytes, key: str) -> str:
    digest = hmac.new(key.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify(body: bytes, key: str, signature: str) -> bool:
    return hmac.compare_digest(sign(body, key), signature)
