"""Journal entries: lines of debits and credits that always balance.

A line names the *role* it plays (``revenue:0.08``, ``tender:cash``, ...) and the account
the store's chart gives that role; an ERP maps roles to its own accounts when posting.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
PAY_LATER = "pay_later"


class UnbalancedEntry(ValueError):
    """Debits and credits differ: a bug in the posting rules, never a user error."""


@dataclass(frozen=True)
class JournalLine:
    role: str
    account: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    memo: str = ""

    @property
    def balance(self) -> Decimal:
        return self.debit - self.credit


PRICE = Decimal("0.0001")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class TaxedLine:
    sku: str
    quantity: Decimal
    tax_rate: Decimal
    net: Decimal
    tax: Decimal

    def invoiced(self, *, money: Decimal = CENT,
                 price: Decimal = PRICE) -> tuple[Decimal, Decimal]:
        """Quantity and a unit price (to ``price``, the ERP's price precision) whose product
        rounds to the net at ``money`` (the currency's minor unit); else 1 at the net (a
        weight, or a net no such price reaches), so an invoice adds up to the minor unit.
        The product must round to the net half up (Odoo) and half even (Tryton) alike."""
        quantity = self.quantity
        if quantity and quantity == quantity.to_integral_value():
            unit = (self.net / quantity).quantize(price, rounding=ROUND_HALF_UP)
            line = unit * quantity
            if all(line.quantize(money, rounding=mode) == self.net
                   for mode in (ROUND_HALF_UP, ROUND_HALF_EVEN)):
                return quantity, unit
        return Decimal(1), self.net


@dataclass(frozen=True)
class TaxedCharge:
    """Shipping or a fee a web order charged (``kind`` ``shipping`` or ``fee``)."""

    kind: str
    tax_rate: Decimal
    net: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Tender:
    method: str
    amount: Decimal


@dataclass(frozen=True)
class Buyer:
    """The tillflow customer a sale or return names (an ERP invoices their party)."""

    id: str
    name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Document:
    """A sale or a return, as far as the books are concerned."""

    number: str
    occurred_at: datetime
    lines: tuple[TaxedLine, ...]
    tenders: tuple[Tender, ...]
    change_due: Decimal = ZERO
    shift_id: str | None = None
    restock: bool = True
    location: str | None = None
    customer: Buyer | None = None
    charges: tuple[TaxedCharge, ...] = ()

    def payments(self) -> dict[str, Decimal]:
        """What each tender method kept, cash net of the change given back. What a buyer
        still owes (``pay_later``) is no payment: it stays on the invoice, a receivable."""
        kept: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for tender in self.tenders:
            if tender.method != PAY_LATER:
                kept[tender.method] += tender.amount
        if self.change_due:
            kept["cash"] -= self.change_due
        return {method: amount for method, amount in kept.items() if amount}


@dataclass(frozen=True)
class JournalEntry:
    """``reference`` is the document's own key (``sale:S-0001``): one entry per document.

    ``source`` is the sale or return it books, for an ERP that posts documents (invoices
    with their payments) rather than bare entries.
    """

    reference: str
    kind: str
    document_number: str
    occurred_at: datetime
    description: str
    lines: tuple[JournalLine, ...]
    shift_id: str | None = None
    source: Document | None = None
    # Who owes the ``receivable`` lines of an entry without a source (a settlement).
    party: Buyer | None = None

    @property
    def total(self) -> Decimal:
        return sum((line.debit for line in self.lines), ZERO)


def line(role: str, account: str, amount: Decimal, *, memo: str = "") -> JournalLine:
    """A debit for a positive ``amount``, a credit for a negative one."""
    if amount >= 0:
        return JournalLine(role, account, debit=amount, memo=memo)
    return JournalLine(role, account, credit=-amount, memo=memo)


def balanced(lines: Iterable[JournalLine]) -> tuple[JournalLine, ...]:
    """The non-zero lines, after checking that they balance exactly."""
    kept = tuple(item for item in lines if item.debit or item.credit)
    difference = sum((item.balance for item in kept), ZERO)
    if difference != 0:
        raise UnbalancedEntry(f"debits and credits differ by {difference}")
    return kept


def net_by_account(lines: Sequence[JournalLine]) -> tuple[JournalLine, ...]:
    """One line per (role, account), netted to a debit or a credit, in first-seen order."""
    totals: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for item in lines:
        totals[(item.role, item.account)] += item.balance
    return balanced(line(role, account, amount) for (role, account), amount in totals.items())


def summarise(entries: Sequence[JournalEntry], *, reference: str, document_number: str,
              occurred_at: datetime, description: str,
              shift_id: str | None = None) -> JournalEntry:
    """One entry standing for many, e.g. a whole shift posted at its close."""
    lines = [item for entry in entries for item in entry.lines]
    return JournalEntry(reference=reference, kind="shift_summary",
                        document_number=document_number, occurred_at=occurred_at,
                        description=description, lines=net_by_account(lines),
                        shift_id=shift_id)
