"""How Intuit signs a webhook: ``intuit-signature`` is the base64 HMAC-SHA256 of the raw
body bytes, keyed with the app's verifier token."""

from __future__ import annotations

import base64
import hashlib
import hmac


def sign(body: bytes, verifier_token: str) -> str:
    digest = hmac.new(verifier_token.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify(body: bytes, verifier_token: str, signature: str) -> bool:
    return hmac.compare_digest(sign(body, verifier_token), signature)
