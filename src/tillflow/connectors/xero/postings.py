"""Journal entries posted to a Xero organisation, found again by tillflow's reference.

A sale is an approved sales invoice (``ACCREC``, ``AUTHORISED``) and a return a credit
note (``ACCRECCREDIT``), each with ``Reference`` tillflow's reference (``sale:R1-000001``)
and ``InvoiceNumber``/``CreditNoteNumber`` the document's number; each tender is a
payment into its account (``settings.accounts`` ``tender:<method>``, else ``tender``),
its reference ``<reference> <method>``. A summary is one invoice (or credit note) per
shift or day paid into the ``tender`` account (see ``books_shapes``). Every line states
the till's tax (``TaxAmount``) with the books' tax code of its rate
(``settings.tax_codes``), so Xero keeps the till's tax to the cent. The rest of an entry
(cost of goods, cash movements, over and short, a summary's tenders) is a posted manual
journal whose narration is ``<description> (<reference>)``; a web order paid later is, once
paid, a payment against its sale's invoice (reference the settlement's).

Before creating anything again (a retry, a replay), each reference is looked up:
documents by ``Reference``, journals by narration, payments in the document's own
payments; only what is missing is made.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from tillflow.connectors.common.books_shapes import (
    SalesDocument,
    account_of,
    shape,
    tax_code_of,
)
from tillflow.connectors.common.erp_money import wire_amount, wire_decimal
from tillflow.connectors.xero.client import XeroClient
from tillflow.connectors.xero.contacts import XeroContacts
from tillflow.domain.accounting.entries import JournalEntry, JournalLine, TaxedLine
from tillflow.ports.accounting import ErpRejected, StockCount

DIGITS = 2
PRICE_PLACES = 4  # ``unitdp=4``: unit amounts to four decimals
LOOKUP_CHUNK = 20
GONE = ("VOIDED", "DELETED")
ITEMS_FRESH = 900.0
SETTLEMENT = "settlement"


class XeroPostings:
    def __init__(self, client: XeroClient, *, accounts: Mapping[str, str],
                 tax_codes: Mapping[Decimal, str], party: str | None = None) -> None:
        self.client = client
        self.accounts = dict(accounts)
        self.tax_codes = dict(tax_codes)
        self.contacts = XeroContacts(client, walk_in=party)
        self._items: set[str] | None = None
        self._items_read = 0.0

    def close(self) -> None:
        self.client.close()

    def count_stock(self, counts: Sequence[StockCount], *, maybe_there: bool) -> list[str]:
        """Xero keeps no stock per location for a till: nothing to record."""
        return ["-"] * len(counts)

    def post_entries(self, entries: Sequence[JournalEntry], *,
                     maybe_there: bool) -> list[str]:
        shaped = [(entry, shape(entry)) for entry in entries]
        for entry, found in shaped:  # whatever the mapping lacks is refused before any write
            self._check_mapping(entry, found.document, found.journal)
        invoices = [(e, s.document) for e, s in shaped if s.document and not s.document.refund]
        credits = [(e, s.document) for e, s in shaped if s.document and s.document.refund]
        done = {**self._documents(INVOICE, invoices, maybe_there=maybe_there),
                **self._documents(CREDIT, credits, maybe_there=maybe_there)}
        settled = self._settlements([e for e in entries if e.kind == SETTLEMENT])
        journals = [(entry, found.journal) for entry, found in shaped
                    if found.journal and entry.kind != SETTLEMENT]
        made = self._journals(journals, maybe_there=maybe_there)
        return [done.get(entry.reference) or settled.get(entry.reference)
                or made.get(entry.reference) or "-" for entry in entries]

    def _settlements(self, entries: list[JournalEntry]) -> dict[str, str]:
        """A web order paid later, paid: a payment against its sale's invoice (Xero posts
        no manual journal to the receivable system account). The invoice's own payments
        tell which were made already."""
        if not entries:
            return {}
        invoices = self._find(INVOICE, [f"sale:{e.document_number}" for e in entries])
        payments = []
        for entry in entries:
            invoice = invoices.get(f"sale:{entry.document_number}")
            if invoice is None:
                raise ErpRejected(f"Xero has no invoice for sale {entry.document_number}, "
                                  f"which {entry.reference} pays: post the sale first")
            made = {p.get("Reference") for p in invoice.get("Payments") or []}
            if entry.reference in made:
                continue
            [tender] = [x for x in entry.lines if x.debit and x.role != "receivable"]
            payments.append({"Invoice": {"InvoiceID": invoice["InvoiceID"]},
                             "Account": {"Code": account_of(self.accounts, tender.role)},
                             "Amount": wire_amount(tender.debit, DIGITS), "Date": _day(entry),
                             "Reference": entry.reference})
        if payments:
            self.client.put("/Payments", {"Payments": payments})
        return {e.reference: str(invoices[f"sale:{e.document_number}"]["InvoiceID"])
                for e in entries}

    # -- sales documents and their payments ------------------------------------------------

    def _documents(self, kind: DocKind, todo: list[tuple[JournalEntry, SalesDocument]], *,
                   maybe_there: bool) -> dict[str, str]:
        if not todo:
            return {}
        found = self._find(kind, [e.reference for e, _ in todo]) if maybe_there else {}
        new = [(e, d) for e, d in todo if e.reference not in found]
        if new:
            answer = self.client.put(f"/{kind.plural}", {kind.plural: [
                self._document(kind, e, d) for e, d in new]}, unitdp=str(PRICE_PLACES))
            found.update({record["Reference"]: record for record in answer[kind.plural]})
        self._pay(kind, todo, found)
        return {e.reference: str(found[e.reference][kind.id_field]) for e, _ in todo}

    def _document(self, kind: DocKind, entry: JournalEntry,
                  document: SalesDocument) -> dict[str, Any]:
        source = entry.source
        record: dict[str, Any] = {
            "Type": kind.type, "Status": "AUTHORISED", "LineAmountTypes": "Exclusive",
            "Contact": self.contacts.of(None if source is None else source.customer),
            "Date": _day(entry), "Reference": entry.reference,
            "CurrencyRate": 1, "LineItems": [self._line(x) for x in document.lines]}
        if kind is INVOICE:
            record["DueDate"] = _day(entry)
        if source is not None:
            record[kind.number] = source.number
        return record

    def _line(self, item: Any) -> dict[str, Any]:
        line: dict[str, Any] = {"Description": item.description,
                                "AccountCode": account_of(self.accounts, item.role),
                                "TaxType": tax_code_of(self.tax_codes, item.rate),
                                "TaxAmount": wire_amount(item.tax, DIGITS)}
        if item.sku is not None:
            quantity, price = TaxedLine(item.sku, item.quantity, item.rate, item.net,
                                        item.tax).invoiced()
            line.update(Quantity=wire_decimal(quantity, 3),
                        UnitAmount=wire_decimal(price, PRICE_PLACES),
                        LineAmount=wire_amount(item.net, DIGITS))
            if item.sku in self._known_items(item.sku):
                line["ItemCode"] = item.sku
        else:
            line.update(Quantity=1, LineAmount=wire_amount(item.net, DIGITS))
        return line

    def _pay(self, kind: DocKind, todo: list[tuple[JournalEntry, SalesDocument]],
             found: dict[str, dict[str, Any]]) -> None:
        """One payment per tender still unpaid (a retry finds those made by reference)."""
        payments = []
        for entry, document in todo:
            record = found[entry.reference]
            paid = {p.get("Reference") for p in record.get("Payments") or []}
            for role, amount in document.payments:
                reference = f"{entry.reference} {role.removeprefix('tender:')}"
                if amount <= 0 or reference in paid:
                    continue
                payments.append({kind.link: {kind.id_field: record[kind.id_field]},
                                 "Account": {"Code": account_of(self.accounts, role)},
                                 "Amount": wire_amount(amount, DIGITS), "Date": _day(entry),
                                 "Reference": reference})
        if payments:
            self.client.put("/Payments", {"Payments": payments})

    def _find(self, kind: DocKind, references: list[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(references), LOOKUP_CHUNK):
            chunk = references[start:start + LOOKUP_CHUNK]
            where = " OR ".join(f"Reference=={_quoted(r)}" for r in chunk)
            answer = self.client.get(f"/{kind.plural}", where=where)
            found.update({record["Reference"]: record for record in answer[kind.plural]
                          if record["Status"] not in GONE})
        return found

    # -- manual journals -------------------------------------------------------------------

    def _journals(self, todo: list[tuple[JournalEntry, tuple[JournalLine, ...]]], *,
                  maybe_there: bool) -> dict[str, str]:
        if not todo:
            return {}
        found = self._find_journals([_narration(e) for e, _ in todo]) if maybe_there else {}
        new = [(e, lines) for e, lines in todo if _narration(e) not in found]
        if new:
            answer = self.client.put("/ManualJournals", {"ManualJournals": [
                {"Narration": _narration(e), "Date": _day(e), "Status": "POSTED",
                 "LineAmountTypes": "NoTax",
                 "JournalLines": [self._journal_line(e, x) for x in lines]}
                for e, lines in new]})
            found.update({j["Narration"]: str(j["ManualJournalID"])
                          for j in answer["ManualJournals"]})
        return {e.reference: found[_narration(e)] for e, _ in todo}

    def _journal_line(self, entry: JournalEntry, item: JournalLine) -> dict[str, Any]:
        return {"Description": f"{entry.document_number} {item.role}",
                "AccountCode": account_of(self.accounts, item.role),
                "LineAmount": wire_amount(item.debit - item.credit, DIGITS)}

    def _find_journals(self, narrations: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(narrations), LOOKUP_CHUNK):
            chunk = narrations[start:start + LOOKUP_CHUNK]
            where = " OR ".join(f"Narration=={_quoted(n)}" for n in chunk)
            answer = self.client.get("/ManualJournals", where=where)
            found.update({j["Narration"]: str(j["ManualJournalID"])
                          for j in answer["ManualJournals"] if j["Status"] not in GONE})
        return found

    # -- what the books hold ---------------------------------------------------------------

    def _known_items(self, sku: str) -> set[str]:
        """Xero's item codes, read again for a SKU it lacked when last read, at most every
        ``ITEMS_FRESH`` seconds (each read spends a call of the day's allowance)."""
        now = time.monotonic()
        stale = self._items is None or (sku not in self._items and
                                        now - self._items_read > ITEMS_FRESH)
        if stale:
            answer = self.client.get("/Items")
            self._items = {str(item["Code"]) for item in answer["Items"]}
            self._items_read = now
        assert self._items is not None
        return self._items

    def _check_mapping(self, entry: JournalEntry, document: SalesDocument | None,
                       journal: tuple[JournalLine, ...]) -> None:
        for item in journal:
            account_of(self.accounts, item.role)
        if document is not None:
            for line in document.lines:
                account_of(self.accounts, line.role)
                tax_code_of(self.tax_codes, line.rate)
            for role, _amount in document.payments:
                account_of(self.accounts, role)


class DocKind:
    def __init__(self, *, plural: str, type_: str, id_field: str, number: str,
                 link: str) -> None:
        self.plural = plural
        self.type = type_
        self.id_field = id_field
        self.number = number
        self.link = link


INVOICE = DocKind(plural="Invoices", type_="ACCREC", id_field="InvoiceID",
                  number="InvoiceNumber", link="Invoice")
CREDIT = DocKind(plural="CreditNotes", type_="ACCRECCREDIT", id_field="CreditNoteID",
                 number="CreditNoteNumber", link="CreditNote")


def _narration(entry: JournalEntry) -> str:
    return f"{entry.description} ({entry.reference})"


def _day(entry: JournalEntry) -> str:
    # The date in the moment's own offset, which the poster sets to the store's: the
    # books date a sale on the store's day it was made, a summary on its shift's or day's.
    return entry.occurred_at.date().isoformat()


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
