"""Returns against an original sale.

A returned quantity is refunded at what the customer paid for it: the line's total
(after discounts, with tax) in proportion to the quantity, rounded per line. The last
return that brings a line to its full quantity refunds exactly what is left of that
line, so partial returns always add up to the original line to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tillflow.domain.errors import InvalidInput
from tillflow.domain.money import Currency
from tillflow.domain.sales import CARD, CASH, ZERO, TenderInput


@dataclass(frozen=True)
class SoldLine:
    """One line of the original sale with what earlier returns already took back."""

    line_no: int
    sku: str
    quantity: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal
    returned_quantity: Decimal
    refunded_net: Decimal
    refunded_tax: Decimal


@dataclass(frozen=True)
class ReturnRequestLine:
    sku: str
    quantity: Decimal


@dataclass(frozen=True)
class ReturnedLine:
    line_no: int
    sku: str
    quantity: Decimal
    net: Decimal
    tax: Decimal

    @property
    def total(self) -> Decimal:
        return self.net + self.tax


@dataclass(frozen=True)
class PricedReturn:
    lines: tuple[ReturnedLine, ...]
    net_total: Decimal
    tax_total: Decimal
    total: Decimal


def price_return(
    sold: Sequence[SoldLine], requested: Sequence[ReturnRequestLine], *, currency: Currency
) -> PricedReturn:
    if not requested:
        raise InvalidInput("a return needs at least one line", details={"field": "lines"})
    remaining = {line.line_no: line.quantity - line.returned_quantity for line in sold}
    taken: dict[int, Decimal] = {}
    for index, request in enumerate(requested):
        if request.quantity <= 0:
            raise InvalidInput(
                f"line {index + 1}: quantity must be greater than zero",
                details={"field": f"lines[{index}].quantity"},
            )
        _take(sold, remaining, taken, request, index)
    lines = tuple(
        _refund_line(line, taken[line.line_no], currency) for line in sold if line.line_no in taken
    )
    net_total = sum((line.net for line in lines), ZERO)
    tax_total = sum((line.tax for line in lines), ZERO)
    return PricedReturn(lines=lines, net_total=net_total, tax_total=tax_total,
                        total=net_total + tax_total)


def _take(
    sold: Sequence[SoldLine],
    remaining: dict[int, Decimal],
    taken: dict[int, Decimal],
    request: ReturnRequestLine,
    index: int,
) -> None:
    """Assign a requested quantity to the sale's lines of that SKU, first line first."""
    matching = [line for line in sold if line.sku == request.sku]
    if not matching:
        raise InvalidInput(
            f"line {index + 1}: SKU {request.sku!r} is not on the original sale",
            details={"field": f"lines[{index}].sku"},
        )
    wanted = request.quantity
    available = sum((remaining[line.line_no] for line in matching), ZERO)
    if wanted > available:
        raise InvalidInput(
            f"line {index + 1}: cannot return {wanted} of {request.sku!r}; "
            f"{available} left to return",
            details={"field": f"lines[{index}].quantity", "returnable": str(available)},
        )
    for line in matching:
        portion = min(wanted, remaining[line.line_no])
        if portion > 0:
            remaining[line.line_no] -= portion
            taken[line.line_no] = taken.get(line.line_no, ZERO) + portion
            wanted -= portion


def _refund_line(line: SoldLine, quantity: Decimal, currency: Currency) -> ReturnedLine:
    if line.returned_quantity + quantity == line.quantity:
        net = line.net - line.refunded_net
        tax = line.tax - line.refunded_tax
    else:
        net = currency.round(line.net * quantity / line.quantity)
        tax = currency.round(line.tax * quantity / line.quantity)
    return ReturnedLine(line_no=line.line_no, sku=line.sku, quantity=quantity, net=net, tax=tax)


def check_refunds(total: Decimal, refunds: Sequence[TenderInput]) -> tuple[TenderInput, ...]:
    """Refund tenders must pay back exactly the return's total; no refund means cash."""
    if not refunds:
        return (TenderInput(method=CASH, amount=total),) if total > 0 else ()
    for index, refund in enumerate(refunds):
        if refund.method not in (CASH, CARD):
            raise InvalidInput(
                f"refund {index + 1}: unknown method {refund.method!r}",
                details={"field": f"refunds[{index}].method"},
            )
        if refund.amount <= 0:
            raise InvalidInput(
                f"refund {index + 1}: amount must be greater than zero",
                details={"field": f"refunds[{index}].amount"},
            )
    refunded = sum((r.amount for r in refunds), ZERO)
    if refunded != total:
        raise InvalidInput(
            f"refunds of {refunded} must equal the return total of {total}",
            details={"field": "refunds", "total": str(total), "refunded": str(refunded)},
        )
    return tuple(refunds)
