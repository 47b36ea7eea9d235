"""Rules of the back office's stock documents: goods receipts, counting sessions and
transfers between locations, and when a product is low.

A transfer is *sent* (its units leave the source) and later *received* (they reach the
destination); in between they are in transit, at neither location, so what the shops
and the ERP are told of each location is what is really there. Cancelling a sent
transfer puts the units back at the source.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from tillflow.domain.errors import InvalidInput

OPEN = "open"
POSTED = "posted"
CANCELLED = "cancelled"
SENT = "sent"
RECEIVED = "received"
# How a scanned or typed count changes a line: add to what was counted, or replace it.
ADD = "add"
SET = "set"
MAX_LINES = 500


def is_low(on_hand: Decimal, reorder_point: Decimal | None) -> bool:
    return reorder_point is not None and on_hand <= reorder_point


def check_reorder_point(value: Decimal) -> Decimal:
    if value < 0:
        raise InvalidInput("reorder_point must not be negative",
                           details={"field": "reorder_point"})
    return value


def check_lines(skus: Sequence[str], quantities: Sequence[Decimal]) -> None:
    """Lines of a receipt or a transfer: some, each SKU once, each quantity above zero."""
    if not skus:
        raise InvalidInput("a document needs at least one line", details={"field": "lines"})
    if len(skus) > MAX_LINES:
        raise InvalidInput(f"at most {MAX_LINES} lines", details={"field": "lines"})
    seen: set[str] = set()
    for n, (sku, quantity) in enumerate(zip(skus, quantities, strict=True)):
        if quantity <= 0:
            raise InvalidInput("quantity must be greater than zero",
                               details={"field": f"lines.{n}.quantity"})
        if sku in seen:
            raise InvalidInput(f"{sku!r} is on two lines: put it on one",
                               details={"field": f"lines.{n}.sku"})
        seen.add(sku)


def check_unit_cost(cost: Decimal, *, field: str) -> Decimal:
    if cost < 0:
        raise InvalidInput("unit_cost must not be negative", details={"field": field})
    return cost


def check_route(from_location: str, to_location: str) -> None:
    if from_location == to_location:
        raise InvalidInput("from_location and to_location must differ",
                           details={"field": "to_location"})


def counted_after(current: Decimal | None, quantity: Decimal, mode: str) -> Decimal:
    """A line's count after a scan (``add``) or a typed figure (``set``)."""
    if mode not in (ADD, SET):
        raise InvalidInput("mode must be \"add\" or \"set\"", details={"field": "mode"})
    counted = quantity if mode == SET or current is None else current + quantity
    if counted < 0:
        raise InvalidInput("a count cannot go below zero", details={"field": "quantity"})
    return counted
