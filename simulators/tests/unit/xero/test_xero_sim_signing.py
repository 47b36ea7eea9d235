"""Webhook signatures as Xero makes them: base64 HMAC-SHA256 of the raw body."""

from __future__ import annotations

from tillflow_simulators.xero import sign, verify

# Xero's intent-to-receive payload as its webhook documentation shows it, signed with the
# documentation's example key; the answer was computed with
# `openssl dgst -sha256 -hmac ABC123 -binary | base64`.
INTENT_BODY = (b'{"events":[],"lastEventSequence":0,"firstEventSequence":0,'
               b'"entropy":"S0m3r4Nd0mt3xt"}')
INTENT_SIGNATURE = "BliCoqBVe1yagQ1XkGYaIdLyTq+hRS0vVpVeoBQyu7A="


def test_signature_is_base64_hmac_sha256_of_the_raw_body() -> None:
    assert sign(INTENT_BODY, "ABC123") == INTENT_SIGNATURE


def test_verify_refuses_another_key_or_a_reserialised_body() -> None:
    assert verify(INTENT_BODY, "ABC123", INTENT_SIGNATURE)
    assert not verify(INTENT_BODY, "ABC124", INTENT_SIGNATURE)
    reserialised = INTENT_BODY.replace(b",", b", ")
    assert not verify(reserialised, "ABC123", INTENT_SIGNATURE)
