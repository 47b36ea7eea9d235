"""Posting rules: the balanced entry each shop-floor document produces.

A sale credits revenue and tax payable per tax rate and debits the clearing account of
each tender (cash net of the change given back); a return does the reverse; cost of
goods moves from inventory to COGS for every line whose unit cost is known. A web
order's shipping and fees are credited to their own roles (their tax with the rest), and
its ``pay_later`` tender is a receivable, moved to the tender that paid it when the shop
marks the order paid (a settlement). What the card gateway kept of a payment (its
fee, once the gateway reports it) is an expense, out of the tender's clearing account,
where the payment's full amount was booked. A cash movement moves cash between the drawer and
the safe or bank; a shift close books the counted difference as cash over or short.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal

from tillflow.domain.accounting.chart import Chart
from tillflow.domain.accounting.entries import (
    PAY_LATER,
    ZERO,
    Buyer,
    Document,
    JournalEntry,
    JournalLine,
    balanced,
    line,
)
from tillflow.domain.money import Currency

CASH = "cash"
RECEIVABLE = "receivable"
CARD_FEES = "card_fees"
CHARGE_ROLES = {"shipping": "shipping", "fee": "fees"}


def tender_role(method: str) -> str:
    """A tender's role: a payment still owed is a receivable, not a clearing account."""
    return RECEIVABLE if method == PAY_LATER else f"tender:{method}"


def _rate_key(rate: Decimal) -> str:
    return format(rate.normalize(), "f")


class _Lines:
    """Collects signed amounts per role; debits positive, credits negative."""

    def __init__(self, chart: Chart) -> None:
        self.chart = chart
        self.amounts: dict[str, Decimal] = defaultdict(lambda: ZERO)

    def add(self, role: str, amount: Decimal) -> None:
        self.amounts[role] += amount

    def lines(self) -> tuple[JournalLine, ...]:
        return balanced(line(role, self.chart.account(role), amount)
                        for role, amount in self.amounts.items())


def _goods_and_tenders(target: _Lines, document: Document, *, sign: int,
                       costs: Mapping[str, Decimal], currency: Currency,
                       move_stock: bool) -> None:
    for item in document.lines:
        rate = _rate_key(item.tax_rate)
        target.add(f"revenue:{rate}", -sign * item.net)
        target.add(f"tax:{rate}", -sign * item.tax)
        cost = costs.get(item.sku)
        if cost is not None and move_stock:
            value = currency.round(cost * item.quantity)
            target.add("cogs", sign * value)
            target.add("inventory", -sign * value)
    for charge in document.charges:
        target.add(CHARGE_ROLES[charge.kind], -sign * charge.net)
        target.add(f"tax:{_rate_key(charge.tax_rate)}", -sign * charge.tax)
    for tender in document.tenders:
        target.add(tender_role(tender.method), sign * tender.amount)
    target.add(f"tender:{CASH}", -sign * document.change_due)


def sale_entry(document: Document, *, chart: Chart, costs: Mapping[str, Decimal],
               currency: Currency) -> JournalEntry:
    target = _Lines(chart)
    _goods_and_tenders(target, document, sign=1, costs=costs, currency=currency,
                       move_stock=True)
    return JournalEntry(reference=f"sale:{document.number}", kind="sale",
                        document_number=document.number, occurred_at=document.occurred_at,
                        description=f"tillflow sale {document.number}",
                        lines=target.lines(), shift_id=document.shift_id, source=document)


def return_entry(document: Document, *, chart: Chart, costs: Mapping[str, Decimal],
                 currency: Currency) -> JournalEntry:
    target = _Lines(chart)
    _goods_and_tenders(target, document, sign=-1, costs=costs, currency=currency,
                       move_stock=document.restock)
    return JournalEntry(reference=f"return:{document.number}", kind="return",
                        document_number=document.number, occurred_at=document.occurred_at,
                        description=f"tillflow return {document.number}",
                        lines=target.lines(), shift_id=document.shift_id, source=document)


def settlement_entry(*, number: str, reference: str, method: str, amount: Decimal,
                     occurred_at: datetime, chart: Chart,
                     party: Buyer | None = None) -> JournalEntry:
    """Money for a sale paid later came in through ``method``: the receivable ``party``
    owed is cleared."""
    target = _Lines(chart)
    target.add(tender_role(method), amount)
    target.add(RECEIVABLE, -amount)
    return JournalEntry(reference=reference, kind="settlement", document_number=number,
                        occurred_at=occurred_at,
                        description=f"tillflow sale {number} paid by {method}",
                        lines=target.lines(), party=party)


def card_fee_entry(*, payment_id: str, method: str, fee: Decimal, occurred_at: datetime,
                   chart: Chart) -> JournalEntry:
    """The gateway kept ``fee`` of payment ``payment_id``: settled short of what the
    tender's clearing account holds."""
    target = _Lines(chart)
    target.add(CARD_FEES, fee)
    target.add(tender_role(method), -fee)
    return JournalEntry(reference=f"card-fee:{payment_id}", kind="card_fee",
                        document_number=payment_id, occurred_at=occurred_at,
                        description=f"tillflow card fee of payment {payment_id}",
                        lines=target.lines())


def cash_movement_entry(*, number: str, shift_id: str, amount: Decimal, reason: str,
                        occurred_at: datetime, chart: Chart) -> JournalEntry:
    """``amount`` > 0 puts cash into the drawer (from the safe), < 0 takes it out."""
    target = _Lines(chart)
    target.add(f"tender:{CASH}", amount)
    target.add("cash_transfer", -amount)
    return JournalEntry(reference=f"cash:{number}", kind="cash_movement",
                        document_number=number, occurred_at=occurred_at,
                        description=f"tillflow cash movement {number}: {reason}",
                        lines=target.lines(), shift_id=shift_id)


def shift_close_entry(*, shift_id: str, over_short: Decimal, occurred_at: datetime,
                      chart: Chart) -> JournalEntry:
    """More cash counted than expected (``over_short`` > 0) is a gain, less is a loss."""
    target = _Lines(chart)
    target.add(f"tender:{CASH}", over_short)
    target.add("over_short", -over_short)
    return JournalEntry(reference=f"shift:{shift_id}", kind="shift_close",
                        document_number=shift_id, occurred_at=occurred_at,
                        description=f"tillflow shift {shift_id} close",
                        lines=target.lines(), shift_id=shift_id)


def trial_balance(lines: Iterable[JournalLine]) -> list[tuple[str, Decimal, Decimal]]:
    """Per account: total debits and total credits, sorted by account."""
    debits: dict[str, Decimal] = defaultdict(lambda: ZERO)
    credits: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for item in lines:
        debits[item.account] += item.debit
        credits[item.account] += item.credit
    return [(account, debits[account], credits[account]) for account in sorted(debits)]
