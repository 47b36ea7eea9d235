"""What a sale at the till needs a manager's approval for.

A line sold below the price the server finds for it is a price override; a discount is
an amount off a line or the order. A role with limits (a cashier) may do either up to
its store-set percentage without approval; beyond it, and for selling past the stock
the ledger shows, a manager approves. Other roles keep their freedom.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from tillflow.domain.errors import InvalidInput

DISCOUNT = "discount"
PRICE = "price"
STOCK = "stock"
VOID = "void"
REFUND = "refund"
DISMISS_SALE = "dismiss_sale"
# What a manager's approval may name. One approval may name several acts of one sale.
ACTS = frozenset({DISCOUNT, PRICE, STOCK, VOID, REFUND, DISMISS_SALE})
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Limits:
    """Percentages a role may give without approval: off the sale's subtotal as
    discounts, and off a line's price as a price override."""

    discount_percent: Decimal = Decimal(0)
    price_override_percent: Decimal = Decimal(0)


@dataclass(frozen=True)
class PricedLine:
    """A line's price as the server finds it and as it is sold."""

    sku: str
    found: Decimal
    sold: Decimal
    source: str  # where the found price comes from: catalog, barcode or synced

    @property
    def overridden(self) -> bool:
        return self.sold < self.found


def parse_percent(raw: object, *, field: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except ArithmeticError:
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value <= HUNDRED or isinstance(raw, float):
        raise InvalidInput(f"{field} must be a percentage from 0 to 100, as a string",
                           details={"field": field})
    # Plain digits ("10", "2.5"), never an exponent: the register reads them too.
    return Decimal(format(value.normalize(), "f"))


def parse_acts(raw: Iterable[str]) -> frozenset[str]:
    acts = frozenset(raw)
    unknown = acts - ACTS
    if not acts or unknown:
        raise InvalidInput(f"acts must be some of {', '.join(sorted(ACTS))}",
                           details={"field": "acts", "unknown": sorted(unknown)})
    return acts


def acts_needed(limits: Limits | None, lines: Sequence[PricedLine], *, subtotal: Decimal,
                discount_total: Decimal, stock_override: bool) -> frozenset[str]:
    """The acts of this sale that need a manager's approval under ``limits`` (none for a
    role without limits)."""
    if limits is None:
        return frozenset()
    acts = set()
    if discount_total * HUNDRED > limits.discount_percent * subtotal:
        acts.add(DISCOUNT)
    if any((line.found - line.sold) * HUNDRED > limits.price_override_percent * line.found
           for line in lines if line.overridden):
        acts.add(PRICE)
    if stock_override:
        acts.add(STOCK)
    return frozenset(acts)


def encode_acts(acts: Iterable[str]) -> str:
    return ",".join(sorted(acts))


def decode_acts(stored: str) -> frozenset[str]:
    return frozenset(a for a in stored.split(",") if a)


def limits_for(role: str, by_role: Mapping[str, Limits]) -> Limits | None:
    return by_role.get(role)
