"""Webhook body encoding and the X-Shopify-Hmac-Sha256 signature."""

from __future__ import annotations

import json

from tillflow_simulators.shopify.signing import encode_body, sign, verify


def test_signature_is_base64_hmac_sha256_of_the_raw_body() -> None:
    # Reference value computed with `openssl dgst -sha256 -hmac hush -binary | base64`.
    assert sign(b'{"id":1}', "hush") == "VnKUjZsLuN5iZWjn5EntcBVCF9kMN43LglzCE1/GSeY="


def test_verify_accepts_only_the_exact_bytes_and_secret() -> None:
    body = encode_body({"title": "Salt & Pepper"})
    signature = sign(body, "secret")
    assert verify(body, "secret", signature)
    assert not verify(body, "other", signature)
    assert not verify(json.dumps(json.loads(body)).encode(), "secret", signature)


def test_html_characters_are_escaped_as_shopify_does() -> None:
    body = encode_body({"note": "<b>fish & chips</b>", "url": "https://x/y"})
    assert (
        body == b'{"note":"\\u003cb\\u003efish \\u0026 chips\\u003c/b\\u003e","url":"https://x/y"}'
    )
    assert json.loads(body)["note"] == "<b>fish & chips</b>"
