"""Intuit's webhook signature: base64 HMAC-SHA256 of the raw body with the verifier token."""

from __future__ import annotations

from tillflow_simulators.quickbooks import sign, verify

# The known answer of the .NET SDK's own test (Intuit.Ipp.WebhooksService.Test,
# WebhooksServiceTest.ExecuteverifyToken, with the verifier token of its AppSettings.json).
SDK_TOKEN = "00faeec4-08d0-4996-bb37-698ae19f0149"
SDK_PAYLOAD = (b'{"eventNotifications":[{"realmId":"1269959970","dataChangeEvent":{"entities":'
               b'[{"name":"Vendor","id":"40","operation":"Update","lastUpdated":'
               b'"2016-10-05T03:09:04.000Z"},{"name":"Customer","id":"43","operation":"Create",'
               b'"lastUpdated":"2016-10-05T03:07:04.000Z"}]}}]}')
SDK_SIGNATURE = "6q+xGyMirJupwKTh2/WBl2NcdxzxqdIbk3sneKTxLWM="


def test_the_sdk_known_answer() -> None:
    assert sign(SDK_PAYLOAD, SDK_TOKEN) == SDK_SIGNATURE
    assert verify(SDK_PAYLOAD, SDK_TOKEN, SDK_SIGNATURE)


def test_another_token_or_body_does_not_verify() -> None:
    assert not verify(SDK_PAYLOAD, SDK_TOKEN[:-1] + "0", SDK_SIGNATURE)
    assert not verify(SDK_PAYLOAD + b" ", SDK_TOKEN, SDK_SIGNATURE)
