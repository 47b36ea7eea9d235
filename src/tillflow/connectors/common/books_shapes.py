"""What a journal entry becomes in SaaS books (Xero, QuickBooks Online), before any call.

A sale or a return (an entry with its ``source``) becomes a sales document with one line
per sold line (its SKU, quantity, net and the till's tax) and one payment per tender. A
summary (a shift's or a day's entries netted per account) becomes one sales document
with one line per revenue account and tax rate, carrying the net and the till's tax of
that rate to the cent, and a journal for the rest: the tenders, cash movements, over or
short and cost of goods. The summary's takings pass through the ``tender`` account (a
clearing account): the document is paid into it in full, and the journal moves them out
to each tender's account, so the document is settled and every account ends where
tillflow's journal puts it. Every other entry is a journal of its lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from tillflow.domain.accounting.chart import invoiced
from tillflow.domain.accounting.entries import JournalEntry, JournalLine
from tillflow.domain.accounting.rules import CHARGE_ROLES
from tillflow.ports.accounting import ErpRejected

ZERO = Decimal(0)
CLEARING = "tender"
RATED = ("revenue", "tax")


@dataclass(frozen=True)
class RatedLine:
    """A line of a sales document: ``role`` names its account; ``sku`` its item."""

    role: str
    rate: Decimal
    net: Decimal
    tax: Decimal
    description: str
    sku: str | None = None
    quantity: Decimal = Decimal(1)


@dataclass(frozen=True)
class SalesDocument:
    """``refund``: a credit note or refund receipt (amounts as positive as the sale's)."""

    refund: bool
    lines: tuple[RatedLine, ...]
    payments: tuple[tuple[str, Decimal], ...]  # (account role, amount)

    @property
    def total(self) -> Decimal:
        return sum((line.net + line.tax for line in self.lines), ZERO)


@dataclass(frozen=True)
class Shaped:
    document: SalesDocument | None
    journal: tuple[JournalLine, ...]  # the rest, balanced on its own


def shape(entry: JournalEntry) -> Shaped:
    if entry.source is not None:
        return _document(entry)
    if any(item.role.split(":", 1)[0] in (*RATED, *CHARGE_ROLES.values())
           for item in entry.lines):
        return _summary(entry)
    return Shaped(None, entry.lines)


def _document(entry: JournalEntry) -> Shaped:
    source = entry.source
    assert source is not None
    lines = [RatedLine(f"revenue:{_key(x.tax_rate)}", x.tax_rate, x.net, x.tax,
                       f"{source.number} {x.sku}", sku=x.sku, quantity=x.quantity)
             for x in source.lines]
    lines += [RatedLine(CHARGE_ROLES[c.kind], c.tax_rate, c.net, c.tax,
                        f"{source.number} {c.kind}") for c in source.charges]
    payments = tuple((f"tender:{method}", amount)
                     for method, amount in source.payments().items())
    rest = tuple(item for item in entry.lines if not invoiced(item.role))
    return Shaped(SalesDocument(entry.kind == "return", tuple(lines), payments), rest)


def _summary(entry: JournalEntry) -> Shaped:
    nets: dict[str, Decimal] = {}
    taxes: dict[Decimal, Decimal] = {}
    rest: list[JournalLine] = []
    for item in entry.lines:
        base, _, qualifier = item.role.partition(":")
        if base == "revenue" or base in CHARGE_ROLES.values():
            nets[item.role] = nets.get(item.role, ZERO) + item.credit - item.debit
        elif base == "tax":
            rate = Decimal(qualifier or "0")
            taxes[rate] = taxes.get(rate, ZERO) + item.credit - item.debit
        else:
            rest.append(item)
    lines = [RatedLine(role, _rate(role), net, taxes.pop(_rate(role), ZERO),
                       f"{entry.document_number} {role}") for role, net in nets.items()]
    # Tax of a rate no revenue line carries (a charge's): a line of its own, no net.
    lines += [RatedLine(f"revenue:{_key(rate)}", rate, ZERO, tax,
                        f"{entry.document_number} tax {_key(rate)}")
              for rate, tax in taxes.items() if tax]
    total = sum((x.net + x.tax for x in lines), ZERO)
    refund = total < 0
    if refund:
        lines = [RatedLine(x.role, x.rate, -x.net, -x.tax, x.description) for x in lines]
    rest.append(JournalLine(CLEARING, "", debit=max(-total, ZERO), credit=max(total, ZERO)))
    document = SalesDocument(refund, tuple(lines), ((CLEARING, abs(total)),)) if lines \
        else None
    return Shaped(document, tuple(item for item in rest if item.debit or item.credit))


def _rate(role: str) -> Decimal:
    base, _, qualifier = role.partition(":")
    return Decimal(qualifier) if base == "revenue" and qualifier else ZERO


def _key(rate: Decimal) -> str:
    return format(rate.normalize(), "f")


def tax_code_of(codes: Mapping[Decimal, str], rate: Decimal) -> str:
    found = codes.get(rate)
    if found is None:
        raise ErpRejected(f"no tax code for {format((rate * 100).normalize(), 'f')} %: map "
                          f"it in settings.tax_codes")
    return found


def tax_codes(raw: Mapping[str, str]) -> dict[Decimal, str]:
    return {Decimal(rate): code for rate, code in raw.items()}


def account_of(accounts: Mapping[str, str], role: str) -> str:
    """The books' account code of ``role``: its own mapping, else its base role's."""
    code = accounts.get(role) or accounts.get(role.split(":", 1)[0])
    if not code:
        raise ErpRejected(f"no account for {role!r}: map it in settings.accounts")
    return code
