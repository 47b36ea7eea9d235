"""The moving weighted average cost, with no I/O."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tillflow.domain.costing import check_cost, moving_average
from tillflow.domain.errors import InvalidInput

D = Decimal
units = st.integers(min_value=1, max_value=10_000).map(Decimal)
costs = st.integers(min_value=0, max_value=10_000_000).map(lambda n: Decimal(n).scaleb(-4))


def test_the_average_weighs_what_was_held_and_what_arrived() -> None:
    assert moving_average(on_hand=D(10), cost=D(4), quantity=D(30), unit_cost=D(6)) == D("5.5")
    assert moving_average(on_hand=D(2), cost=D(1), quantity=D(1), unit_cost=D(2)) == \
        D("1.3333")


@pytest.mark.parametrize(("on_hand", "cost"), [(D(0), D(9)), (D(-4), D(9)), (D(5), None)])
def test_with_nothing_held_or_no_cost_yet_the_receipt_sets_the_cost(
        on_hand: Decimal, cost: Decimal | None) -> None:
    assert moving_average(on_hand=on_hand, cost=cost, quantity=D(3), unit_cost=D("2.5")) == \
        D("2.5")


@given(on_hand=units, cost=costs, quantity=units, unit_cost=costs)
def test_the_average_lies_between_the_two_costs(on_hand: Decimal, cost: Decimal,
                                                quantity: Decimal, unit_cost: Decimal) -> None:
    average = moving_average(on_hand=on_hand, cost=cost, quantity=quantity,
                             unit_cost=unit_cost)
    assert min(cost, unit_cost) <= average <= max(cost, unit_cost)
    assert average == average.quantize(D("0.0001"))
    exact = (on_hand * cost + quantity * unit_cost) / (on_hand + quantity)
    assert abs(average - exact) <= D("0.00005")


def test_a_cost_has_at_most_four_places_and_is_never_negative() -> None:
    assert check_cost(D("1.2345")) == D("1.2345")
    for bad in (D("1.23456"), D("-0.01")):
        with pytest.raises(InvalidInput):
            check_cost(bad)
