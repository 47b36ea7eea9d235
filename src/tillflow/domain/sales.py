"""Pricing a sale: line amounts, discounts, tax and tenders.

Tax is computed per line on the discounted line amount and rounded per line
(``tillflow.domain.money.ROUNDING``). An order discount is spread over the lines in
proportion to their discounted amounts, exactly to the minor unit, so each line's tax
is computed on what the customer really paid for it. With tax-inclusive prices the
line total is fixed and the tax is the part of it that is tax: total × rate / (1 + rate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tillflow.domain.errors import InvalidInput
from tillflow.domain.money import Currency, allocate

CASH = "cash"
CARD = "card"
TENDER_METHODS = frozenset({CASH, CARD})
ZERO = Decimal(0)


@dataclass(frozen=True)
class LineInput:
    sku: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    tax_rate: Decimal


@dataclass(frozen=True)
class PricedLine:
    sku: str
    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal
    gross: Decimal
    line_discount: Decimal
    order_discount: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal

    @property
    def discount(self) -> Decimal:
        return self.line_discount + self.order_discount


@dataclass(frozen=True)
class PricedSale:
    lines: tuple[PricedLine, ...]
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    total: Decimal


@dataclass(frozen=True)
class TenderInput:
    method: str
    amount: Decimal
    reference: str | None = None


@dataclass(frozen=True)
class Settlement:
    tenders: tuple[TenderInput, ...]
    tendered: Decimal
    change_due: Decimal


def validate_quantity(quantity: Decimal, *, field: str = "quantity") -> Decimal:
    if quantity <= 0:
        raise InvalidInput(f"{field} must be greater than zero", details={"field": field})
    return quantity


def price_sale(
    lines: Sequence[LineInput],
    *,
    order_discount: Decimal,
    tax_inclusive: bool,
    currency: Currency,
) -> PricedSale:
    if not lines:
        raise InvalidInput("a sale needs at least one line", details={"field": "lines"})
    grosses = [currency.round(line.quantity * line.unit_price) for line in lines]
    for index, (line, gross) in enumerate(zip(lines, grosses, strict=True)):
        if line.discount < 0 or line.discount > gross:
            raise InvalidInput(
                f"line {index + 1}: discount must be between 0 and the line amount {gross}",
                details={"field": f"lines[{index}].discount"},
            )
    after_line = [gross - line.discount for line, gross in zip(lines, grosses, strict=True)]
    if order_discount < 0 or order_discount > sum(after_line, ZERO):
        raise InvalidInput(
            "discount must be between 0 and the amount after line discounts",
            details={"field": "discount"},
        )
    shares = allocate(order_discount, after_line, currency)
    priced = tuple(
        _price_line(line, gross, share, tax_inclusive=tax_inclusive, currency=currency)
        for line, gross, share in zip(lines, grosses, shares, strict=True)
    )
    return PricedSale(
        lines=priced,
        subtotal=sum((line.gross for line in priced), ZERO),
        discount_total=sum((line.discount for line in priced), ZERO),
        tax_total=sum((line.tax for line in priced), ZERO),
        total=sum((line.total for line in priced), ZERO),
    )


def _price_line(
    line: LineInput, gross: Decimal, share: Decimal, *, tax_inclusive: bool, currency: Currency
) -> PricedLine:
    discounted = gross - line.discount - share
    if tax_inclusive:
        total = discounted
        tax = currency.round(total * line.tax_rate / (1 + line.tax_rate))
        net = total - tax
    else:
        net = discounted
        tax = currency.round(net * line.tax_rate)
        total = net + tax
    return PricedLine(
        sku=line.sku,
        quantity=line.quantity,
        unit_price=line.unit_price,
        tax_rate=line.tax_rate,
        gross=gross,
        line_discount=line.discount,
        order_discount=share,
        net=net,
        tax=tax,
        total=total,
    )


def settle(total: Decimal, tenders: Sequence[TenderInput]) -> Settlement:
    """Check that the tenders cover ``total``; change is only ever given from cash."""
    for index, tender in enumerate(tenders):
        if tender.method not in TENDER_METHODS:
            raise InvalidInput(
                f"payment {index + 1}: unknown method {tender.method!r}",
                details={"field": f"payments[{index}].method"},
            )
        if tender.amount <= 0:
            raise InvalidInput(
                f"payment {index + 1}: amount must be greater than zero",
                details={"field": f"payments[{index}].amount"},
            )
        if tender.method == CARD and not (tender.reference or "").strip():
            raise InvalidInput(
                f"payment {index + 1}: a card payment needs the terminal's reference",
                details={"field": f"payments[{index}].reference"},
            )
    tendered = sum((t.amount for t in tenders), ZERO)
    if tendered < total:
        raise InvalidInput(
            f"payments of {tendered} do not cover the total of {total}",
            details={"field": "payments", "total": str(total), "tendered": str(tendered)},
        )
    change = tendered - total
    cash = sum((t.amount for t in tenders if t.method == CASH), ZERO)
    if change > cash:
        raise InvalidInput(
            "non-cash payments exceed the amount due; change is only given from cash",
            details={"field": "payments", "total": str(total), "tendered": str(tendered)},
        )
    return Settlement(tenders=tuple(tenders), tendered=tendered, change_due=change)
