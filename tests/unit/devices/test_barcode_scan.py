"""parse_scan over every barcode family, with the faults a till meets."""

from datetime import date
from decimal import Decimal

import pytest

from tillflow.domain.barcodes import (
    GS,
    BarcodeError,
    RcnRule,
    parse_element_string,
    parse_scan,
    price_check_digit,
    upca_to_upce,
    upce_to_upca,
)
from tillflow.domain.gtin import with_check_digit


def test_ean13_is_normalised_to_gtin14() -> None:
    result = parse_scan("5901234123457")
    assert result.symbology == "ean13"
    assert result.gtin14 == result.lookup_gtin14 == "05901234123457"
    assert result.quantity is None
    assert result.unit_price is None


def test_upca_finds_the_same_key_as_its_ean13() -> None:
    assert parse_scan("036000291452").lookup_gtin14 == parse_scan("0036000291452").lookup_gtin14


def test_ean8_with_symbology_identifier() -> None:
    result = parse_scan("]E496385074")
    assert result.symbology == "ean8"
    assert result.lookup_gtin14 == "00000096385074"


def test_upce_expands_to_upca() -> None:
    assert upce_to_upca("04252614") == "042100005264"
    result = parse_scan("]E004252614")
    assert result.symbology == "upce"
    assert result.lookup_gtin14 == "00042100005264"
    assert upca_to_upce("042100005264") == "04252614"


def test_upca_without_enough_zeros_has_no_upce() -> None:
    assert upca_to_upce("036000291452") is None


def test_weight_barcode_default_rule() -> None:
    # 21 + item 01234 + 1.275 kg + check digit
    result = parse_scan(with_check_digit("210123401275"))
    assert result.quantity == Decimal("1.275")
    assert result.amount is None
    assert result.lookup_gtin14 == "0" + with_check_digit("210123400000")


def test_price_barcode_default_rule() -> None:
    # 23 + item 00042 + 123.47 + check digit
    result = parse_scan(with_check_digit("230004212347"))
    assert result.amount == Decimal("123.47")
    assert result.unit_price == result.amount
    assert result.quantity is None
    assert result.lookup_gtin14 == "0" + with_check_digit("230004200000")


def test_country_rule_with_price_check_digit() -> None:
    # A German-style layout: 22 + 4-digit item + price check digit + 5-digit price.
    rule = RcnRule(prefix="22", measure="price", value_digits=5, decimals=2, price_check=True)
    code = rule.build(item="1234", value="14685")
    assert code[6] == "6"
    result = parse_scan(code, [rule])
    assert result.amount == Decimal("146.85")
    assert result.lookup_gtin14 == "0" + rule.build(item="1234", value="00000")


def test_wrong_price_check_digit_is_rejected() -> None:
    rule = RcnRule(prefix="22", measure="price", value_digits=5, decimals=2, price_check=True)
    good = rule.build(item="1234", value="14685")
    bad_payload = good[:6] + "7" + good[7:12]
    with pytest.raises(BarcodeError, match="price check digit"):
        parse_scan(with_check_digit(bad_payload), [rule])


def test_prefix_without_rule_is_a_plain_ean13() -> None:
    result = parse_scan("2001234567893", [])
    assert result.quantity is None
    assert result.lookup_gtin14 == "02001234567893"


def test_price_check_digit_reference_values() -> None:
    assert price_check_digit("2875") == 9
    assert price_check_digit("14685") == 6


def test_gs1_128_with_symbology_identifier_and_fnc1() -> None:
    code = f"]C10109501101530003172512311012AB{GS}3103001250"
    result = parse_scan(code)
    assert result.symbology == "gs1"
    assert result.lookup_gtin14 == "09501101530003"
    assert result.expiry == date(2025, 12, 31)
    assert result.batch == "12AB"
    assert result.quantity == Decimal("1.250")
    assert result.elements["3103"] == "001250"


def test_gs1_datamatrix_with_leading_fnc1_serial_and_price() -> None:
    code = f"]d2{GS}0109501101530003{GS}21SN-42{GS}39221299"
    result = parse_scan(code)
    assert result.serial == "SN-42"
    assert result.amount == Decimal("12.99")
    assert result.unit_price == Decimal("12.99")


def test_gs1_expiry_day_zero_means_end_of_month() -> None:
    assert parse_scan("]Q3010950110153000317240200").expiry == date(2024, 2, 29)


def test_gs1_human_readable_form() -> None:
    result = parse_scan("(01)09501101530003(10)LOT7")
    assert result.batch == "LOT7"


def test_gs1_fixed_field_without_fnc1_between_predefined_ais() -> None:
    assert parse_element_string("0109501101530003" + "11250101" + "17260101") == {
        "01": "09501101530003",
        "11": "250101",
        "17": "260101",
    }


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("5901234123458", "check digit"),
        ("59012341234", "EAN/UPC"),
        ("]C10109501101530004", "check digit"),
        ("]C1990000", "unknown GS1 application identifier"),
        ("]C110ABC", "no GTIN"),
        (f"]C10109501101530003{GS}10" + "X" * 21, "1 to 20"),
        ("]C10109501101530003172513" + "01", "no month"),
        ("]C1010950110153000310a b", "GS1 set"),
        ("]Z0123", "symbology identifier"),
        ("", "empty"),
        ("]E0ABCDEFGH", "8 digits"),
        ("]E024252614", "number system"),
        ("]E004252615", "check digit"),
        ("(01)09501101530003(99)x", "unknown GS1"),
        ("]C1010950110153000301", "needs 14"),
        (f"]C10109501101530003{GS}3103001250{GS}3102012500", "more than one"),
        ("]C10109501101530003" + "0109501101530003", "twice"),
    ],
)
def test_malformed_codes_raise_one_error_type(code: str, message: str) -> None:
    with pytest.raises(BarcodeError, match=message):
        parse_scan(code)
    assert issubclass(BarcodeError, ValueError)


def test_rule_must_leave_item_digits() -> None:
    with pytest.raises(ValueError, match="no item digits"):
        RcnRule(prefix="21", measure="weight", value_digits=10)
