"""Variant prices as Odoo holds them: a template price plus an extra per option value."""

from __future__ import annotations

from decimal import Decimal

from tillflow.connectors.odoo.variant_prices import PriceSplit, split_prices

D = Decimal


def test_prices_that_add_up_are_a_base_and_an_extra_per_value() -> None:
    prices = {("S", "Red"): D("10"), ("M", "Red"): D("12"), ("S", "Blue"): D("10.50"),
              ("M", "Blue"): D("12.50")}
    split = split_prices(list(prices.items()))
    assert split == PriceSplit(D("10"), {(0, "M"): D("2"), (1, "Blue"): D("0.50")})
    for (size, colour), price in prices.items():
        assert split.base + split.extra(0, size) + split.extra(1, colour) == price


def test_a_value_known_only_with_another_new_one_is_solved_through_a_third() -> None:
    # (M, Blue) alone leaves both M and Blue open; (M, Red) and (S, Blue) pin them.
    prices = [(("M", "Blue"), D("7")), (("S", "Red"), D("4")), (("M", "Red"), D("6")),
              (("S", "Blue"), D("5"))]
    assert split_prices(prices) == PriceSplit(D("4"), {(0, "M"): D("2"), (1, "Blue"): D("1")})


def test_one_option_holds_any_prices() -> None:
    prices = [(("S",), D("3")), (("M",), D("9.99")), (("L",), D("4"))]
    assert split_prices(prices) == PriceSplit(D("3"), {(0, "M"): D("6.99"), (0, "L"): D("1")})


def test_prices_that_do_not_add_up_are_the_lowest_without_extras() -> None:
    prices = [(("S", "Red"), D("10")), (("M", "Red"), D("12")), (("S", "Blue"), D("11")),
              (("M", "Blue"), D("99"))]
    assert split_prices(prices) == PriceSplit(D("10"), exact=False)


def test_one_price_for_all_needs_no_extra() -> None:
    assert split_prices([(("S", "Red"), D("5")), (("M", "Blue"), D("5"))]) == PriceSplit(D("5"))
    assert split_prices([]) == PriceSplit(D("0"))
