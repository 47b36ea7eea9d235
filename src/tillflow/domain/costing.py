"""What a unit of a variant costs the store: set by hand, or averaged over goods received.

A cost is kept to ``COST_PLACES`` decimal places (more than any currency's minor unit),
so an average of many receipts does not drift by a rounding at each one; it is rounded
half up to that many places.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from tillflow.domain.errors import InvalidInput

COST_PLACES = 4
_QUANTUM = Decimal(1).scaleb(-COST_PLACES)


def round_cost(value: Decimal) -> Decimal:
    return value.quantize(_QUANTUM, rounding=ROUND_HALF_UP)


def check_cost(cost: Decimal, *, field: str = "cost") -> Decimal:
    if cost < 0:
        raise InvalidInput("cost must not be negative", details={"field": field})
    if -cost.as_tuple().exponent > COST_PLACES:  # type: ignore[operator]
        raise InvalidInput(f"cost has more than {COST_PLACES} decimal places",
                           details={"field": field})
    return cost


def moving_average(*, on_hand: Decimal, cost: Decimal | None, quantity: Decimal,
                   unit_cost: Decimal) -> Decimal:
    """The cost after ``quantity`` units arrive at ``unit_cost`` while ``on_hand`` units
    (across every location) were held at ``cost``: the units' weighted average. With
    nothing (or less than nothing) on hand, or no cost known yet, the receipt's cost."""
    if cost is None or on_hand <= 0:
        return round_cost(unit_cost)
    return round_cost((on_hand * cost + quantity * unit_cost) / (on_hand + quantity))
