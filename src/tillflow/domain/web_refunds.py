"""Refunds and cancellations made in a web shop, booked as the shop refunded them.

A till return refunds a line pro rata (``domain.returns``); a shop's refund already says
what it gave back, so its return carries the shop's figures: each refunded line's amount
and tax as the shop refunded them, the shipping and fees it refunded, and, when the money
refunded differs from those (a refund of money alone, a restocking fee kept), the
difference as a fee adjustment, so that the return's total is the money the shop refunded.
A cancelled order gives back whatever is left of the sale after its refunds.

Refunds go first against what the buyer still owes (an unsettled ``pay_later``), then to
the method the order was paid with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tillflow.domain.errors import InvalidInput
from tillflow.domain.money import Currency, allocate
from tillflow.domain.returns import ReturnedLine, SoldLine
from tillflow.domain.sales import ZERO, TenderInput
from tillflow.domain.web_orders import FEE, PAY_LATER, SHIPPING, PricedCharge

ADJUSTMENT = "refund adjustment"


@dataclass(frozen=True)
class ShopRefundLine:
    sku: str
    quantity: Decimal
    amount: Decimal
    tax: Decimal


@dataclass(frozen=True)
class ShopRefund:
    """What the shop refunded, tax included: lines, shipping and fees, and the money."""

    lines: tuple[ShopRefundLine, ...]
    charges: Decimal
    charges_tax: Decimal
    total: Decimal


@dataclass(frozen=True)
class SoldCharge:
    """A charge of the sale (or, negative, one given back by a return)."""

    kind: str
    tax_rate: Decimal
    net: Decimal
    tax: Decimal


@dataclass(frozen=True)
class WebReturn:
    lines: tuple[ReturnedLine, ...]
    charges: tuple[PricedCharge, ...]
    net_total: Decimal
    tax_total: Decimal
    total: Decimal


def price_shop_refund(sold: Sequence[SoldLine], charges: Sequence[SoldCharge],
                      refund: ShopRefund, *, currency: Currency) -> WebReturn:
    remaining = {line.line_no: line.quantity - line.returned_quantity for line in sold}
    lines: list[ReturnedLine] = []
    for index, item in enumerate(refund.lines):
        lines.extend(_refund_line(sold, remaining, item, index, currency))
    refunded = [_charge(_kind(charges), _rate(charges), currency.round(refund.charges),
                        currency.round(refund.charges_tax))] if refund.charges else []
    total = currency.round(refund.total)
    if total < 0:
        raise InvalidInput(f"the shop refunded {total}", details={"field": "total"})
    found = sum((x.total for x in lines), ZERO) + sum((c.total for c in refunded), ZERO)
    if total != found:
        refunded.append(_charge(FEE, ZERO, total - found, ZERO, title=ADJUSTMENT))
    return _web_return(lines, refunded)


def price_cancellation(sold: Sequence[SoldLine], charges: Sequence[SoldCharge],
                       returned: Sequence[SoldCharge]) -> WebReturn | None:
    """What is left of the sale after its returns (``returned`` are the charges they gave
    back), given back whole; None when nothing is left."""
    lines = [
        ReturnedLine(line_no=line.line_no, sku=line.sku,
                     quantity=line.quantity - line.returned_quantity,
                     net=line.net - line.refunded_net, tax=line.tax - line.refunded_tax)
        for line in sold
        if line.quantity > line.returned_quantity or line.net > line.refunded_net
        or line.tax > line.refunded_tax
    ]
    left: list[PricedCharge] = []
    for kind in (SHIPPING, FEE):
        net = (sum((c.net for c in charges if c.kind == kind), ZERO)
               - sum((c.net for c in returned if c.kind == kind), ZERO))
        tax = (sum((c.tax for c in charges if c.kind == kind), ZERO)
               - sum((c.tax for c in returned if c.kind == kind), ZERO))
        if net or tax:
            rate = next((c.tax_rate for c in charges if c.kind == kind), ZERO)
            left.append(PricedCharge(kind=kind, title=kind, tax_rate=rate, net=net, tax=tax,
                                     total=net + tax))
    if not lines and not left:
        return None
    return _web_return(lines, left)


def refund_tenders(total: Decimal, *, outstanding: Decimal, method: str,
                   reference: str) -> tuple[TenderInput, ...]:
    """What the buyer still owes is cancelled first; the rest goes back the way it came."""
    owed = min(max(outstanding, ZERO), max(total, ZERO))
    paid_back = total - owed
    tenders = []
    if owed:
        tenders.append(TenderInput(PAY_LATER, owed, reference))
    if paid_back:
        tenders.append(TenderInput(method, paid_back, reference))
    return tuple(tenders)


def _refund_line(sold: Sequence[SoldLine], remaining: dict[int, Decimal],
                 item: ShopRefundLine, index: int, currency: Currency) -> list[ReturnedLine]:
    field = f"refund.lines[{index}]"
    matching = [line for line in sold if line.sku == item.sku]
    if not matching:
        raise InvalidInput(f"the refund gives back {item.sku!r}, which the sale does not have",
                           details={"field": f"{field}.sku"})
    amount, tax = currency.round(item.amount), currency.round(item.tax)
    if item.quantity < 0 or amount < 0 or tax < 0 or tax > amount:
        raise InvalidInput(f"refund of {item.quantity} {item.sku!r} for {amount} with tax "
                           f"{tax} is not a refund", details={"field": field})
    left = sum((remaining[line.line_no] for line in matching), ZERO)
    if item.quantity > left:
        raise InvalidInput(f"the refund gives back {item.quantity} {item.sku!r}; "
                           f"{left} left on the sale", details={"field": f"{field}.quantity"})
    if not item.quantity:
        return [ReturnedLine(line_no=matching[0].line_no, sku=item.sku, quantity=ZERO,
                             net=amount - tax, tax=tax)]
    pieces = []
    wanted = item.quantity
    for line in matching:
        portion = min(wanted, remaining[line.line_no])
        if portion > 0:
            remaining[line.line_no] -= portion
            wanted -= portion
            pieces.append((line, portion))
    weights = [portion for _, portion in pieces]
    amounts = allocate(amount, weights, currency)
    taxes = allocate(tax, weights, currency)
    return [ReturnedLine(line_no=line.line_no, sku=item.sku, quantity=portion,
                         net=part - part_tax, tax=part_tax)
            for (line, portion), part, part_tax in zip(pieces, amounts, taxes, strict=True)]


def _kind(charges: Sequence[SoldCharge]) -> str:
    return SHIPPING if any(c.kind == SHIPPING for c in charges) or not charges else FEE


def _rate(charges: Sequence[SoldCharge]) -> Decimal:
    return next((c.tax_rate for c in charges if c.kind == _kind(charges)), ZERO)


def _charge(kind: str, rate: Decimal, amount: Decimal, tax: Decimal, *,
            title: str | None = None) -> PricedCharge:
    if tax < 0 or (kind == SHIPPING and tax > amount):
        raise InvalidInput(f"refunded {kind} {amount} with tax {tax} is not a refund",
                           details={"field": "refund.charges"})
    return PricedCharge(kind=kind, title=title or kind, tax_rate=rate, net=amount - tax,
                        tax=tax, total=amount)


def _web_return(pieces: Sequence[ReturnedLine], charges: Sequence[PricedCharge]) -> WebReturn:
    merged: dict[int, ReturnedLine] = {}
    for piece in pieces:  # one return line per sale line
        found = merged.get(piece.line_no)
        merged[piece.line_no] = piece if found is None else ReturnedLine(
            line_no=piece.line_no, sku=piece.sku, quantity=found.quantity + piece.quantity,
            net=found.net + piece.net, tax=found.tax + piece.tax)
    lines = sorted(merged.values(), key=lambda x: x.line_no)
    net = sum((x.net for x in lines), ZERO) + sum((c.net for c in charges), ZERO)
    tax = sum((x.tax for x in lines), ZERO) + sum((c.tax for c in charges), ZERO)
    return WebReturn(lines=tuple(lines), charges=tuple(charges), net_total=net, tax_total=tax,
                     total=net + tax)
