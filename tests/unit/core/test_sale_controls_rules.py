"""What a sale needs a manager's approval for under a role's limits (pure rules)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tillflow.domain.controls import (
    Limits,
    PricedLine,
    acts_needed,
    decode_acts,
    encode_acts,
    parse_acts,
    parse_percent,
)
from tillflow.domain.errors import InvalidInput

D = Decimal


def _line(found: str, sold: str) -> PricedLine:
    return PricedLine(sku="A", found=D(found), sold=D(sold), source="catalog")


def test_a_role_without_limits_needs_no_approval() -> None:
    assert acts_needed(None, [_line("100.00", "0.01")], subtotal=D("0.01"),
                       discount_total=D("0.01"), stock_override=True) == frozenset()


def test_discounts_and_overrides_up_to_the_limits_pass_and_beyond_them_do_not() -> None:
    limits = Limits(discount_percent=D(10), price_override_percent=D("2.5"))
    at_limit = acts_needed(limits, [_line("100.00", "97.50")], subtotal=D("97.50"),
                           discount_total=D("9.75"), stock_override=False)
    assert at_limit == frozenset()
    beyond = acts_needed(limits, [_line("100.00", "97.49")], subtotal=D("97.49"),
                         discount_total=D("9.76"), stock_override=False)
    assert beyond == {"discount", "price"}
    # Selling above the price is never an override.
    assert acts_needed(Limits(), [_line("1.00", "5.00")], subtotal=D("5.00"),
                       discount_total=D(0), stock_override=False) == frozenset()
    assert acts_needed(Limits(), [_line("1.00", "1.00")], subtotal=D("1.00"),
                       discount_total=D(0), stock_override=True) == {"stock"}


def test_percentages_and_acts_are_checked() -> None:
    assert parse_percent("12.50", field="p") == D("12.5")
    assert str(parse_percent(10, field="p")) == "10"
    assert str(parse_percent("100", field="p")) == "100"
    for bad in ("-1", "100.01", "abc", "NaN", 2.5, True):
        with pytest.raises(InvalidInput):
            parse_percent(bad, field="p")
    assert parse_acts(["price", "discount"]) == {"discount", "price"}
    for bad_acts in ([], ["discount", "anything"]):
        with pytest.raises(InvalidInput):
            parse_acts(bad_acts)
    assert decode_acts(encode_acts({"stock", "discount"})) == {"discount", "stock"}
