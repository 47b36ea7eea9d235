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
