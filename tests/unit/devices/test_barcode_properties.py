"""Property-based checks: check digits catch single-digit errors, codes round-trip."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tillflow.domain.barcodes import (
    GS,
    BarcodeError,
    RcnRule,
    parse_scan,
    price_check_digit,
    upca_to_upce,
    upce_to_upca,
)
from tillflow.domain.gtin import gs1_check_digit, with_check_digit

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
gs1_text = st.text(
    alphabet="!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz",
    min_size=1,
    max_size=20,
)


def _numeric(size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=size, max_size=size)


def _replace(code: str, position: int, digit: str) -> str:
    return code[:position] + digit + code[position + 1 :]


@given(payload=_numeric(12), position=st.integers(0, 12), digit=digits)
def test_ean13_check_digit_catches_any_single_digit_error(
    payload: str, position: int, digit: str
) -> None:
    code = with_check_digit(payload)
    assert parse_scan(code).gtin14 == code.zfill(14)
    damaged = _replace(code, position, digit)
    if damaged != code:
        try:
            parse_scan(damaged)
        except BarcodeError:
            return
        raise AssertionError(f"{damaged} passed its check digit")


@given(value=st.one_of(_numeric(4), _numeric(5)), data=st.data())
def test_price_check_digit_catches_any_single_digit_error(value: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(value) - 1))
    digit = data.draw(digits)
    if value[position] != digit:
        assert price_check_digit(value) != price_check_digit(_replace(value, position, digit))


@given(system=st.sampled_from("01"), body=_numeric(6))
def test_upce_round_trips_through_upca(system: str, body: str) -> None:
    valid = [system + body + check for check in "0123456789" if _valid_upce(system + body + check)]
    assert len(valid) == 1
    upca = upce_to_upca(valid[0])
    shortest = upca_to_upce(upca)
    assert shortest is not None
    assert upce_to_upca(shortest) == upca
    assert parse_scan("]E0" + valid[0]).lookup_gtin14 == upca.zfill(14)


def _valid_upce(code: str) -> bool:
    try:
        upce_to_upca(code)
    except BarcodeError:
        return False
    return True


@given(
    prefix=st.sampled_from(["20", "21", "23", "28"]),
    measure=st.sampled_from(["weight", "price"]),
    value_digits=st.sampled_from([4, 5]),
    decimals=st.integers(0, 3),
    price_check=st.booleans(),
    data=st.data(),
)
def test_rcn_round_trips(
    prefix: str,
    measure: str,
    value_digits: int,
    decimals: int,
    price_check: bool,
    data: st.DataObject,
) -> None:
    rule = RcnRule(
        prefix=prefix,
        measure="weight" if measure == "weight" else "price",
        value_digits=value_digits,
        decimals=decimals,
        price_check=price_check,
    )
    item = data.draw(_numeric(rule.item_digits))
    value = data.draw(_numeric(value_digits))
    result = parse_scan(rule.build(item=item, value=value), [rule])
    embedded = result.quantity if measure == "weight" else result.amount
    assert embedded == Decimal(value).scaleb(-decimals)
    assert result.lookup_gtin14 == "0" + rule.build(item=item, value="0" * value_digits)
    assert int(result.lookup_gtin14[-1]) == gs1_check_digit(result.lookup_gtin14[:-1])


@given(
    gtin=_numeric(13).map(with_check_digit),
    batch=gs1_text,
    serial=gs1_text,
    expiry=st.dates(min_value=date(2000, 1, 1), max_value=date(2049, 12, 31)),
    grams=st.integers(0, 999_999),
    cents=st.integers(0, 10**15 - 1),
)
def test_gs1_element_string_round_trips(
    gtin: str, batch: str, serial: str, expiry: date, grams: int, cents: int
) -> None:
    code = f"]C1{GS}01{gtin}17{expiry:%y%m%d}3103{grams:06d}10{batch}{GS}21{serial}{GS}3922{cents}"
    result = parse_scan(code, [])
    assert result.lookup_gtin14 == gtin
    assert (result.batch, result.serial, result.expiry) == (batch, serial, expiry)
    assert result.quantity == Decimal(grams).scaleb(-3)
    assert result.amount == Decimal(cents).scaleb(-2)
