"""How the prices of a product's variants fit Odoo, where a variant's price is its
template's ``list_price`` plus the ``price_extra`` of each of its values on that template.

Prices that are a base plus one amount per option value (M costs 2.00 more than S, Blue
0.50 more than Red, whatever the rest) are held exactly: the base is the cheapest
variant's price and each value's extra what it adds to it. Other prices Odoo cannot hold
on a template; then the template takes the lowest price and no value adds anything, and
``exact`` says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

Value = tuple[int, str]  # an option's position and one of its values


@dataclass(frozen=True)
class PriceSplit:
    base: Decimal
    extras: dict[Value, Decimal] = field(default_factory=dict)
    exact: bool = True

    def extra(self, option: int, value: str) -> Decimal:
        return self.extras.get((option, value), Decimal(0))


def split_prices(variants: Sequence[tuple[tuple[str, ...], Decimal]]) -> PriceSplit:
    """The base and per-value extras reproducing each ``(values, price)``, if any do."""
    if not variants:
        return PriceSplit(Decimal(0))
    cheapest, base = min(variants, key=lambda variant: variant[1])
    extras: dict[Value, Decimal] = {(i, value): Decimal(0) for i, value in enumerate(cheapest)}
    while True:
        unknown = [[key for key in enumerate(values) if key not in extras]
                   for values, _ in variants]
        solvable = [(values, price, keys[0]) for (values, price), keys
                    in zip(variants, unknown, strict=True) if len(keys) == 1]
        if solvable:
            values, price, key = solvable[0]
            extras[key] = price - base - sum(
                (extras[other] for other in enumerate(values) if other != key), Decimal(0))
        elif any(unknown):
            # No variant pins the value down alone: it adds nothing, and the check below
            # says whether that holds.
            extras[next(keys for keys in unknown if keys)[0]] = Decimal(0)
        else:
            break
    if all(base + sum((extras[key] for key in enumerate(values)), Decimal(0)) == price
           for values, price in variants):
        return PriceSplit(base, {key: extra for key, extra in extras.items() if extra})
    return PriceSplit(base, exact=False)
