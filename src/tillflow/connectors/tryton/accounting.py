"""Journal entries posted to Tryton, found again by their reference.

Sales and returns become paid customer invoices and credit notes (``invoices.py``) when
``sales`` is ``invoice`` (the default); the rest of their entry (COGS, where a cost is
known), cash movements, shift closes and shift summaries become posted ``account.move``
entries in the mapped journal. Every description starts with tillflow's reference
(``sale:S-0001``), so a document is found from either side and a retry finds the first
attempt's document instead of booking it twice.

Accounts come from Tryton's own configuration where it has one (the default revenue
account, each tax's invoice account, by rate); the other roles default to the codes of
Tryton's universal chart; ``settings.accounts`` overrides any role with an account code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from itertools import groupby
from typing import Any

from tillflow.connectors.tryton.invoices import TrytonInvoicing
from tillflow.connectors.tryton.rpc import TrytonClient
from tillflow.connectors.tryton.stock import TrytonStock
from tillflow.domain.accounting.chart import invoiced
from tillflow.domain.accounting.entries import Document, JournalEntry, JournalLine
from tillflow.ports.accounting import SALES_AS, ErpRejected, StockCount

DEFAULT_CODES: Mapping[str, str] = {
    "tender:cash": "1.1.1",
    "tender": "1.1.1",
    "cash_transfer": "1.1.3",
    "receivable": "1.2.1",
    "inventory": "1.3.1",
    "cogs": "5.2.1",
    "over_short": "6.2.8",
}
# Roles booked on the default revenue account unless ``accounts`` maps them.
REVENUE_ROLES = frozenset({"revenue", "shipping", "fees"})
DEFAULT_JOURNAL = "REV"
INVOICE, MOVE = SALES_AS


def move_description(entry: JournalEntry) -> str:
    return f"{entry.reference} {entry.description}"


class TrytonAccounting:
    def __init__(self, client: TrytonClient, *, accounts: Mapping[str, str] | None = None,
                 journal: str = DEFAULT_JOURNAL, sales: str = INVOICE,
                 party: str | None = None,
                 payment_methods: Mapping[str, str] | None = None,
                 locations: Mapping[str, str] | None = None) -> None:
        self.client = client
        self.codes = {**DEFAULT_CODES, **(accounts or {})}
        self.journal_code = journal
        self.sales_as = sales
        self.invoicing = TrytonInvoicing(
            client, revenue_account=self._account, overrides=dict(accounts or {}),
            journal=self._journal, period=self._period, party=party,
            payment_methods=payment_methods)
        self.stock = TrytonStock(client, locations=locations or {},
                                 customer=self.invoicing.party_of)
        self._account_ids: dict[str, int] = {}
        self._journal_id: int | None = None
        # A period closed later is refused by Tryton itself when the move is posted.
        self._periods: dict[dt.date, int] = {}

    def close(self) -> None:
        self.client.close()

    def post_entries(self, entries: Sequence[JournalEntry], *,
                     maybe_there: bool) -> list[str]:
        """In tillflow's order, each run of invoiced documents, then each run of moves."""
        done: dict[str, str] = {}
        for as_invoices, run in groupby(entries, key=self._invoiced):
            batch = list(run)
            if as_invoices:
                invoices = self.invoicing.post(batch, maybe_there=maybe_there)
                self.stock.move_goods(batch, invoices)
                done.update({reference: f"invoice:{invoice_id}"
                             for reference, invoice_id in invoices.items()})
                rest = [replace(e, lines=tuple(x for x in e.lines if not invoiced(x.role)))
                        for e in batch]
                self._post_moves([e for e in rest if e.lines], maybe_there=maybe_there)
            else:
                done.update(self._post_moves(batch, maybe_there=maybe_there))
        return [done[entry.reference] for entry in entries]

    def count_stock(self, counts: Sequence[StockCount], *, maybe_there: bool) -> list[str]:
        return self.stock.count(counts, maybe_there=maybe_there)

    def _invoiced(self, entry: JournalEntry) -> bool:
        return self.sales_as == INVOICE and entry.source is not None

    def _post_moves(self, entries: Sequence[JournalEntry], *,
                    maybe_there: bool) -> dict[str, str]:
        """One ``create`` and one ``post`` for all the moves: Tryton runs each call in one
        transaction, so a batch is created whole or not at all."""
        if not entries:
            return {}
        done = self._already_posted(entries) if maybe_there else {}
        todo = [entry for entry in entries if entry.reference not in done]
        if todo:
            created = self.client.model("account.move", "create",
                                        [self._move(entry) for entry in todo])
            self.client.model("account.move", "post", created)
            done.update(zip((entry.reference for entry in todo),
                            (str(move_id) for move_id in created), strict=True))
        return done

    def _already_posted(self, entries: Sequence[JournalEntry]) -> dict[str, str]:
        """Moves of these references that are posted; drafts left by a cut attempt go."""
        found = self.client.model("account.move", "search_read", [
            ("description", "in", [move_description(entry) for entry in entries])],
            0, None, None, ["state", "description"])
        drafts = [move["id"] for move in found if move["state"] != "posted"]
        if drafts:
            # Built by an attempt cut short, perhaps with an older mapping: build again.
            self.client.model("account.move", "delete", drafts)
        return {move["description"].split()[0]: str(move["id"])
                for move in found if move["state"] == "posted"}

    def _move(self, entry: JournalEntry) -> dict[str, Any]:
        date = entry.occurred_at.date()  # in the store's offset: its own day
        return {"journal": self._journal(), "period": self._period(date), "date": date,
                "description": move_description(entry),
                "lines": [["create", [self._line(item, entry) for item in entry.lines]]]}

    def moves(self, reference: str) -> list[dict[str, Any]]:
        """The lines booked for ``reference`` (its moves, its invoice's and payments')."""
        found = self.client.model("account.move", "search",
                                  [("description", "like", f"{reference} %")], 0, None, None)
        found += self.invoicing.lines(reference)
        return list(self.client.model(
            "account.move.line", "search_read", [("move", "in", found)], 0, None, None,
            ["account.code", "debit", "credit", "description"]))

    def _line(self, item: JournalLine, entry: JournalEntry) -> dict[str, Any]:
        line = {"account": self._account(item.role), "debit": item.debit,
                "credit": item.credit, "description": f"{entry.document_number} {item.role}"}
        if item.role.partition(":")[0] == "receivable":  # Tryton's receivables name a party
            line["party"] = self.invoicing.party_of(_owing(entry))[0]
        return line

    def _journal(self) -> int:
        if self._journal_id is None:
            found = self.client.model("account.journal", "search",
                                      [("code", "=", self.journal_code)], 0, 1, None)
            if not found:
                raise ErpRejected(f"Tryton has no journal with code {self.journal_code!r}")
            self._journal_id = int(found[0])
        return self._journal_id

    def _period(self, date: dt.date) -> int:
        if date not in self._periods:
            self._periods[date] = self._find_period(date)
        return self._periods[date]

    def _find_period(self, date: dt.date) -> int:
        found = self.client.model("account.period", "search_read",
                                  [("start_date", "<=", date), ("end_date", ">=", date),
                                   ("type", "=", "standard")], 0, 1, None, ["state"])
        if not found:
            raise ErpRejected(f"Tryton has no accounting period for {date.isoformat()}")
        if found[0]["state"] != "open":
            raise ErpRejected(f"Tryton's period for {date.isoformat()} is closed")
        return int(found[0]["id"])

    def _account(self, role: str) -> int:
        if role not in self._account_ids:
            self._account_ids[role] = self._resolve(role)
        return self._account_ids[role]

    def _resolve(self, role: str) -> int:
        base, _, qualifier = role.partition(":")
        code = self.codes.get(role) or self.codes.get(base)
        if code is not None:
            return self._by_code(code, role)
        if base in REVENUE_ROLES:
            [config] = self.client.model("account.configuration", "read", [1],
                                         ["default_category_account_revenue"])
            if config["default_category_account_revenue"]:
                return int(config["default_category_account_revenue"])
        if base == "tax" and qualifier:
            taxes = self.client.model("account.tax", "search_read",
                                      [("rate", "=", Decimal(qualifier)),
                                       ("type", "=", "percentage")], 0, 1, None,
                                      ["invoice_account"])
            if taxes and taxes[0]["invoice_account"]:
                return int(taxes[0]["invoice_account"])
        raise ErpRejected(f"no Tryton account for {role!r}: map it in settings.accounts")

    def _by_code(self, code: str, role: str) -> int:
        found = self.client.model("account.account", "search",
                                  [("code", "=", code), ("closed", "!=", True)], 0, None, None)
        if len(found) != 1:
            raise ErpRejected(f"Tryton account {code!r} for {role!r} "
                              f"{'is ambiguous' if found else 'does not exist'}")
        return int(found[0])


def _owing(entry: JournalEntry) -> Document:
    """The document whose buyer owes an entry's receivable: its source, or for a
    settlement a document naming the party it settles."""
    if entry.source is not None:
        return entry.source
    return Document(number=entry.document_number, occurred_at=entry.occurred_at, lines=(),
                    tenders=(), customer=entry.party)
