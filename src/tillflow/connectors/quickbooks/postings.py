"""Journal entries posted to a QuickBooks Online company, found again by tillflow's
reference.

A sale is a sales receipt and a return a refund receipt: ``DocNumber`` the document's
number and ``PrivateNote`` tillflow's reference (``sale:R1-000001``). Paid by one tender,
it is deposited to that tender's account; paid by several, it is deposited to the
``tender`` clearing account and a journal entry moves each tender's share out of it. A
sale still owed (paid later) is an invoice, and its settlement a payment against it
(``invoices``). A summary is one receipt per shift or day deposited to the clearing
account (see ``books_shapes``). Each line carries the tax code of its rate
(``settings.tax_codes``) and the receipt the till's total tax (``TxnTaxDetail.TotalTax``),
which QuickBooks keeps. The rest of an entry (cost of goods, cash movements, over and
short, a summary's tenders) is a journal entry noted with the reference.

What is not a sale's own number is numbered ``TF`` and a digest of its key
(``numbers``), so before anything is created again (a retry, a
replay) every reference is looked up by its ``DocNumber``; only what is missing is made.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from tillflow.connectors.common.books_shapes import (
    CLEARING,
    RatedLine,
    SalesDocument,
    account_of,
    shape,
    tax_code_of,
)
from tillflow.connectors.common.erp_money import wire_amount, wire_decimal
from tillflow.connectors.quickbooks.client import QuickBooksClient
from tillflow.connectors.quickbooks.invoices import PayLater, owed, payment_key
from tillflow.connectors.quickbooks.names import QuickBooksNames, quoted
from tillflow.connectors.quickbooks.numbers import RECEIVABLE, doc_number, number_of
from tillflow.domain.accounting.entries import JournalEntry, JournalLine, TaxedLine
from tillflow.ports.accounting import StockCount

DIGITS = 2
PRICE_PLACES = 4
ZERO = Decimal(0)
SETTLEMENT = "settlement"
FOUND_KINDS = ("SalesReceipt", "RefundReceipt", "Invoice", "Payment", "JournalEntry")


class QuickBooksPostings:
    def __init__(self, client: QuickBooksClient, *, accounts: Mapping[str, str],
                 tax_codes: Mapping[Decimal, str], party: str | None = None) -> None:
        self.client = client
        self.accounts = dict(accounts)
        self.tax_codes = dict(tax_codes)
        self.names = QuickBooksNames(client, walk_in=party)
        self.pay_later = PayLater(client, self.names, accounts=self.accounts)

    def close(self) -> None:
        self.client.close()

    def count_stock(self, counts: Sequence[StockCount], *, maybe_there: bool) -> list[str]:
        """QuickBooks keeps no stock per location for a till: nothing to record."""
        return ["-"] * len(counts)

    def post_entries(self, entries: Sequence[JournalEntry], *,
                     maybe_there: bool) -> list[str]:
        shaped = [(entry, shape(entry)) for entry in entries]
        for _entry, found in shaped:  # what the mapping lacks is refused before any write
            self._check_mapping(found.document, found.journal)
        done = self._existing([e for e, _ in shaped]) if maybe_there else {}
        return [self._post(entry, found.document, found.journal, done)
                for entry, found in shaped]

    def _post(self, entry: JournalEntry, document: SalesDocument | None,
              rest: tuple[JournalLine, ...], done: dict[tuple[str, str], str]) -> str:
        number = doc_number(entry)
        if entry.kind == SETTLEMENT:
            paid = self.pay_later.settle(entry, day=_day(entry), done=done)
            if paid is not None:
                return paid
        kept = ""
        lines = list(rest)
        if document is not None and owed(document) > 0:
            kept = self.pay_later.invoice(entry, self._sales(entry, document, number),
                                          document, done)
        elif document is not None:
            kind = "RefundReceipt" if document.refund else "SalesReceipt"
            deposit, split = _deposit(document)
            lines += split
            kept = done.get((kind, number)) or str(self.client.create(kind, {
                **self._sales(entry, document, number),
                "DepositToAccountRef": {"value": self.names.account_id(
                    account_of(self.accounts, deposit))}})["Id"])
        if lines:
            journal = done.get(("JournalEntry", number)) or str(self.client.create(
                "JournalEntry", self._journal(entry, number, lines))["Id"])
            kept = kept or journal
        return kept or "-"

    def _sales(self, entry: JournalEntry, document: SalesDocument,
               number: str) -> dict[str, Any]:
        """What a receipt and an invoice share: the customer, the lines and the tax."""
        source = entry.source
        skus = {x.sku for x in document.lines if x.sku is not None}
        items = self.names.items_by_sku(skus) if skus else {}
        return {"DocNumber": number, "PrivateNote": entry.reference, "TxnDate": _day(entry),
                "CustomerRef": self.names.customer(None if source is None else source.customer),
                "GlobalTaxCalculation": "TaxExcluded",
                "TxnTaxDetail": {"TotalTax": wire_amount(
                    sum((x.tax for x in document.lines), ZERO), DIGITS)},
                "Line": [self._line(x, items) for x in document.lines]}

    def _line(self, item: RatedLine, items: dict[str, str]) -> dict[str, Any]:
        if item.sku is not None:
            quantity, price = TaxedLine(item.sku, item.quantity, item.rate, item.net,
                                        item.tax).invoiced()
        else:
            quantity, price = Decimal(1), item.net
        item_id = items.get(item.sku or "") or self.names.sales_item(
            account_of(self.accounts, item.role))
        return {"DetailType": "SalesItemLineDetail", "Description": item.description,
                "Amount": wire_amount(item.net, DIGITS),
                "SalesItemLineDetail": {
                    "ItemRef": {"value": item_id}, "Qty": wire_decimal(quantity, 3),
                    "UnitPrice": wire_decimal(price, PRICE_PLACES),
                    "TaxCodeRef": {"value": self.names.tax_code_id(
                        tax_code_of(self.tax_codes, item.rate))}}}

    def _journal(self, entry: JournalEntry, number: str,
                 lines: list[JournalLine]) -> dict[str, Any]:
        return {"DocNumber": number, "PrivateNote": entry.reference, "TxnDate": _day(entry),
                "Line": [self._journal_line(entry, x) for x in lines]}

    def _journal_line(self, entry: JournalEntry, item: JournalLine) -> dict[str, Any]:
        debit = item.debit - item.credit
        detail: dict[str, Any] = {"PostingType": "Debit" if debit > 0 else "Credit",
                                  "AccountRef": {"value": self.names.account_id(
                                      account_of(self.accounts, item.role))}}
        if item.role == RECEIVABLE:  # QuickBooks wants the customer on receivable lines
            buyer = entry.source.customer if entry.source is not None else entry.party
            detail["Entity"] = {"Type": "Customer",
                                "EntityRef": self.names.customer(buyer)}
        return {"DetailType": "JournalEntryLineDetail", "Amount": wire_amount(abs(debit), DIGITS),
                "Description": f"{entry.document_number} {item.role}",
                "JournalEntryLineDetail": detail}

    def _existing(self, entries: list[JournalEntry]) -> dict[tuple[str, str], str]:
        """(entity, DocNumber) → Id of what the books hold for these entries already."""
        numbers = {doc_number(e): e.reference for e in entries}
        for entry in entries:  # an invoiced sale's tenders paid at once: payments
            for method in (entry.source.payments() if entry.source is not None else ()):
                numbers[number_of(payment_key(entry.reference, f"tender:{method}"))] = \
                    entry.reference
        found: dict[tuple[str, str], str] = {}
        listed = ", ".join(quoted(n) for n in sorted(numbers))
        for kind in FOUND_KINDS:
            for record in self.client.query(
                    f"select * from {kind} where DocNumber in ({listed})"):
                if record.get("PrivateNote") == numbers.get(str(record.get("DocNumber"))):
                    found[(kind, str(record["DocNumber"]))] = str(record["Id"])
        return found

    def _check_mapping(self, document: SalesDocument | None,
                       journal: tuple[JournalLine, ...]) -> None:
        for item in journal:
            account_of(self.accounts, item.role)
        if document is not None:
            account_of(self.accounts, CLEARING if owed(document) <= 0 else RECEIVABLE)
            for line in document.lines:
                account_of(self.accounts, line.role)
                tax_code_of(self.tax_codes, line.rate)
            for role, _amount in document.payments:
                account_of(self.accounts, role)


def _deposit(document: SalesDocument) -> tuple[str, list[JournalLine]]:
    """The role a receipt is deposited to, and the journal lines that share it out when
    it is not one tender's whole: each tender's part, and what is still owed."""
    total = document.total
    if len(document.payments) == 1 and document.payments[0][1] == total:
        return document.payments[0][0], []
    sign = -1 if document.refund else 1
    shares = list(document.payments)
    owed = total - sum((amount for _role, amount in shares), ZERO)
    if owed:
        shares.append((RECEIVABLE, owed))
    split = [_signed(role, sign * amount) for role, amount in shares]
    split.append(_signed(CLEARING, -sign * total))
    return CLEARING, [x for x in split if x.debit or x.credit]


def _signed(role: str, amount: Decimal) -> JournalLine:
    return JournalLine(role, "", debit=max(amount, ZERO), credit=max(-amount, ZERO))


def _day(entry: JournalEntry) -> str:
    # The date in the moment's own offset, which the poster sets to the store's: the
    # books date a sale on the store's day it was made, a summary on its shift's or day's.
    return entry.occurred_at.date().isoformat()
