"""Money parsing, rounding and exact allocation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tillflow.domain.errors import InvalidInput
from tillflow.domain.money import Currency, allocate

USD = Currency.of("usd")
JPY = Currency.of("JPY")
KWD = Currency.of("KWD")


def test_currencies_know_their_minor_unit() -> None:
    assert (USD.code, USD.exponent, JPY.exponent, KWD.exponent) == ("USD", 2, 0, 3)
    with pytest.raises(InvalidInput):
        Currency.of("dollars")


@pytest.mark.parametrize("raw", ["1.234", "abc", "1,00", "1e3", "", " ", "--1", "1.", 1.5,
                                 None, True, "NaN", "Infinity"])
def test_malformed_amounts_are_refused(raw: object) -> None:
    with pytest.raises(InvalidInput):
        USD.parse(raw)


@pytest.mark.parametrize(("raw", "expected"), [("12.3", "12.30"), ("12", "12.00"), (7, "7.00"),
                                               ("-0.50", "-0.50"), (" 1.05 ", "1.05")])
def test_amounts_are_parsed_exactly(raw: object, expected: str) -> None:
    assert USD.format(USD.parse(raw)) == expected


def test_yen_has_no_minor_digits() -> None:
    assert JPY.format(JPY.parse("120")) == "120"
    with pytest.raises(InvalidInput):
        JPY.parse("120.5")


def test_rounding_is_half_up() -> None:
    assert USD.round(Decimal("0.125")) == Decimal("0.13")
    assert USD.round(Decimal("0.135")) == Decimal("0.14")
    assert USD.round(Decimal("-0.125")) == Decimal("-0.13")
    assert USD.round(Decimal("0.1249")) == Decimal("0.12")


minor = st.integers(min_value=-10**9, max_value=10**9)


@given(minor)
def test_minor_units_round_trip(units: int) -> None:
    assert USD.to_minor(USD.from_minor(units)) == units


@given(st.integers(min_value=-10**7, max_value=10**7),
       st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30))
def test_allocation_is_exact_and_proportional(total_units: int, weights: list[int]) -> None:
    total = USD.from_minor(total_units)
    parts = allocate(total, [Decimal(w) for w in weights], USD)
    assert sum(parts, Decimal(0)) == total
    assert len(parts) == len(weights)
    weight_sum = sum(weights) or len(weights)
    for part, weight in zip(parts, weights, strict=True):
        share = abs(total_units) * (weight if sum(weights) else 1) / weight_sum
        assert abs(abs(USD.to_minor(part)) - share) < 1
