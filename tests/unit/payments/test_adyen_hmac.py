import json
from decimal import Decimal
from typing import Any

import pytest

from tillflow.connectors.adyen.notifications import (
    InvalidNotificationError,
    dedupe_key,
    item_is_valid,
    minor_units,
    sign_item,
    signing_string,
    verify_notification,
)

# Test vector published with Adyen's own Python library.
KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"
ITEM: dict[str, Any] = {
    "pspReference": "7914073381342284",
    "merchantReference": "TestPayment-1407325143704",
    "merchantAccountCode": "TestMerchant",
    "amount": {"currency": "EUR", "value": 1130},
    "eventCode": "AUTHORISATION",
    "success": "true",
    "eventDate": "2019-05-06T17:15:34.121+02:00",
    "paymentMethod": "visa",
}
EXPECTED = "coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0="


def _body(*items: dict[str, Any]) -> bytes:
    return json.dumps(
        {"live": "false", "notificationItems": [{"NotificationRequestItem": i} for i in items]}
    ).encode()


def _signed(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, "additionalData": {"hmacSignature": sign_item(item, KEY)}}


def test_signing_string_has_empty_fields_for_missing_values() -> None:
    assert signing_string(ITEM) == (
        "7914073381342284::TestMerchant:TestPayment-1407325143704:1130:EUR:AUTHORISATION:true"
    )


def test_signature_matches_adyen_published_vector() -> None:
    assert sign_item(ITEM, KEY) == EXPECTED
    assert item_is_valid({**ITEM, "additionalData": {"hmacSignature": EXPECTED}}, KEY)


def test_tampered_amount_fails() -> None:
    tampered = {**_signed(ITEM), "amount": {"currency": "EUR", "value": 11300}}
    assert not item_is_valid(tampered, KEY)


def test_missing_signature_fails() -> None:
    assert not item_is_valid(ITEM, KEY)


def test_every_item_of_a_delivery_is_checked() -> None:
    second = {**ITEM, "pspReference": "8814073381342285"}
    forged = {**second, "additionalData": {"hmacSignature": EXPECTED}}

    assert len(verify_notification(_body(_signed(ITEM), _signed(second)), KEY)) == 2
    with pytest.raises(InvalidNotificationError, match="HMAC"):
        verify_notification(_body(_signed(ITEM), forged), KEY)


@pytest.mark.parametrize("raw", [b"not json", b"{}", b'{"notificationItems": []}'])
def test_malformed_deliveries_are_refused(raw: bytes) -> None:
    with pytest.raises(InvalidNotificationError):
        verify_notification(raw, KEY)


def test_key_must_be_hex() -> None:
    with pytest.raises(ValueError, match="hexadecimal"):
        sign_item(ITEM, "not-hex")


def test_dedupe_key_and_minor_units() -> None:
    assert dedupe_key(ITEM) == ("7914073381342284", "AUTHORISATION", "true")
    assert minor_units(Decimal("11.30"), "EUR") == 1130
    assert minor_units(Decimal("1130"), "JPY") == 1130
    assert minor_units(Decimal("1.130"), "KWD") == 1130
    with pytest.raises(ValueError, match="digits"):
        minor_units(Decimal("1.005"), "EUR")


# Known answers published with Adyen's Node library (src/__tests__/hmacValidator.spec.ts).
NODE_KEY = "DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00"
NODE_ITEM: dict[str, Any] = {
    "pspReference": "pspReference", "originalReference": "originalReference",
    "merchantAccountCode": "merchantAccount", "merchantReference": "reference",
    "amount": {"currency": "EUR", "value": 1000}, "eventCode": "REPORT_AVAILABLE",
    "success": "true",
}


@pytest.mark.parametrize(("event_code", "expected"), [
    ("REPORT_AVAILABLE", "ZNBPtI+oDyyRrLyD1XirkKnQgIAlFc07Vj27TeHsDRE="),
    ("EVENT", "ipnxGCaUZ4l8TUW75a71/ghd2Fe5ffvX0pV4TLTntIc="),
])
def test_signature_matches_adyen_node_library_vectors(event_code: str, expected: str) -> None:
    item = {**NODE_ITEM, "eventCode": event_code}

    assert signing_string(item) == (
        f"pspReference:originalReference:merchantAccount:reference:1000:EUR:{event_code}:true")
    assert sign_item(item, NODE_KEY) == expected


def test_a_real_notification_with_colons_and_backslashes_verifies_unescaped() -> None:
    """Signed by Adyen's test platform, published with Adyen's Python library
    (test/mocks/util/mixed_notification.json): nothing in the values is escaped."""
    item: dict[str, Any] = {
        "amount": {"currency": "EUR", "value": 1000}, "eventCode": "AUTHORISATION",
        "merchantAccountCode": "AntoniStroinski",
        "merchantReference": "\\:/\\/slashes are fun", "pspReference": "ZVWN7D3WSMK2WN82",
        "success": "true",
        "additionalData": {"hmacSignature": "CZErGCNQaSsxbaQfZaJlakqo7KPP+mIa8a+wx3yNs9A="},
    }

    assert item_is_valid(item, "74F490DD33F7327BAECC88B2947C011FC02D014A473AAA33A8EC93E4DC069174")


def test_a_json_null_signs_as_an_absent_field_and_booleans_as_words() -> None:
    nulled = {**ITEM, "originalReference": None}
    booleans = {**ITEM, "success": True}

    assert signing_string(nulled) == signing_string(ITEM)
    assert sign_item(nulled, KEY) == EXPECTED
    assert sign_item(booleans, KEY) == EXPECTED
    assert dedupe_key(booleans) == dedupe_key(ITEM)
