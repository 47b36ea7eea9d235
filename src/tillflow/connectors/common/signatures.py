"""The webhook signature most shops use: base64 of HMAC-SHA256 over the raw body."""

from __future__ import annotations

import base64
import hashlib
import hmac


def signature(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def signed(secret: str, body: bytes, sent: str | None) -> bool:
    """Whether ``sent`` is the body's signature; compared in constant time."""
    return hmac.compare_digest((sent or "").encode(), signature(secret, body).encode())
