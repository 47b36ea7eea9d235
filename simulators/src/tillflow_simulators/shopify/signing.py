"""How Shopify encodes and signs a webhook body.

The signature is base64(HMAC-SHA256(app secret, raw body bytes)). Bodies are serialised
the way Shopify's Rails stack does, escaping ``<``, ``>``, ``&`` and the JavaScript line
separators, so a receiver that re-serialises the JSON before checking fails as it would
against Shopify.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def encode_body(payload: Any) -> bytes:
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _ESCAPES.items():
        text = text.replace(raw, escaped)
    return text.encode("utf-8")


def sign(body: bytes, secret: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify(body: bytes, secret: str, signature: str) -> bool:
    return hmac.compare_digest(sign(body, secret), signature)
