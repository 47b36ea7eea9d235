"""The simulator signs notifications as Adyen does: known answers Adyen publishes."""

from decimal import Decimal
from typing import Any

import pytest

from tillflow_simulators.adyen.signing import minor_units, signature, signed_string

# From Adyen's Node library tests (src/__tests__/hmacValidator.spec.ts).
NODE_KEY = "DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00"
NODE_ITEM: dict[str, Any] = {
    "pspReference": "pspReference", "originalReference": "originalReference",
    "merchantAccountCode": "merchantAccount", "merchantReference": "reference",
    "amount": {"currency": "EUR", "value": 1000}, "eventCode": "REPORT_AVAILABLE",
    "success": "true",
}
# From Adyen's Python library tests (test/UtilTest.py): no originalReference at all.
PY_KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"
PY_ITEM: dict[str, Any] = {
    "pspReference": "7914073381342284", "merchantReference": "TestPayment-1407325143704",
    "merchantAccountCode": "TestMerchant", "amount": {"currency": "EUR", "value": 1130},
    "eventCode": "AUTHORISATION", "success": "true",
}


def test_node_library_vector() -> None:
    assert signature(NODE_ITEM, NODE_KEY) == "ZNBPtI+oDyyRrLyD1XirkKnQgIAlFc07Vj27TeHsDRE="


def test_python_library_vector_with_a_missing_field() -> None:
    assert signed_string(PY_ITEM) == (
        "7914073381342284::TestMerchant:TestPayment-1407325143704:1130:EUR:AUTHORISATION:true")
    assert signature(PY_ITEM, PY_KEY) == "coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0="


def test_a_real_notification_signed_by_adyen_with_colons_and_backslashes() -> None:
    item: dict[str, Any] = {
        "amount": {"currency": "EUR", "value": 1000}, "eventCode": "AUTHORISATION",
        "merchantAccountCode": "AntoniStroinski",
        "merchantReference": "\\:/\\/slashes are fun", "pspReference": "ZVWN7D3WSMK2WN82",
        "success": "true",
    }
    key = "74F490DD33F7327BAECC88B2947C011FC02D014A473AAA33A8EC93E4DC069174"

    assert signature(item, key) == "CZErGCNQaSsxbaQfZaJlakqo7KPP+mIa8a+wx3yNs9A="


def test_null_is_empty_and_booleans_are_words() -> None:
    assert signed_string({**PY_ITEM, "originalReference": None, "success": True}) == \
        signed_string(PY_ITEM)


@pytest.mark.parametrize(("amount", "currency", "value"), [
    ("5.50", "EUR", 550), ("1130", "JPY", 1130), ("1.130", "KWD", 1130)])
def test_minor_units(amount: str, currency: str, value: int) -> None:
    assert minor_units(Decimal(amount), currency) == value
