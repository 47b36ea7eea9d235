"""Catalog and customer rules that need no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tillflow.domain.catalog import parse_barcodes, validate_code, validate_sku
from tillflow.domain.customers import normalise_email
from tillflow.domain.errors import InvalidInput
from tillflow.domain.gtin import is_valid_gtin, to_gtin14, with_check_digit


@given(st.text(alphabet="0123456789", min_size=7, max_size=13))
def test_a_computed_check_digit_always_validates(payload: str) -> None:
    code = with_check_digit(payload)
    assert is_valid_gtin(code) == (len(code) in (8, 12, 13, 14))


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(0, 11),
       st.integers(1, 9))
def test_any_single_wrong_digit_is_caught(payload: str, position: int, shift: int) -> None:
    code = with_check_digit(payload)
    digits = list(code)
    digits[position] = str((int(digits[position]) + shift) % 10)
    assert not is_valid_gtin("".join(digits))


def test_upc_a_and_ean_13_are_the_same_article() -> None:
    assert to_gtin14("036000291452") == to_gtin14("0036000291452") == "00036000291452"
    with pytest.raises(InvalidInput):
        parse_barcodes(["036000291452", "0036000291452"])
    with pytest.raises(InvalidInput):
        parse_barcodes(["4006381333932"])


@pytest.mark.parametrize("sku", ["", " A", "A B", "x" * 65, "ÄBC"])
def test_bad_skus(sku: str) -> None:
    with pytest.raises(InvalidInput):
        validate_sku(sku)


def test_codes_and_emails() -> None:
    assert validate_code("S-1", field="code") == "S-1"
    with pytest.raises(InvalidInput):
        validate_code("S/1", field="code")
    assert normalise_email(" Ada@Example.COM ") == "ada@example.com"
    for bad in ("ada", "ada@", "@x.com", "a b@x.com"):
        with pytest.raises(InvalidInput):
            normalise_email(bad)
