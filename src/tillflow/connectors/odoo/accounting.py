"""Journal entries posted to Odoo, found again by ``ref``.

Sales and returns become paid customer invoices and credit notes (``invoices.py``) when
``sales`` is ``invoice`` (the default); with ``sale_order`` a sale is a confirmed sale order
invoiced from the order (``orders.py``). The rest of their entry (COGS) and every other
entry becomes one posted miscellaneous entry (``move_type`` ``entry``) whose ``ref``
is tillflow's reference (``sale:S-0001``) and whose narration is the description. Roles
map to account codes of Odoo's generic chart by default; ``settings.accounts`` overrides
any role. A tender (``tender:<method>``) defaults to the account Odoo books that method's
payments on (its journal's inbound payment method line's, else the generic chart's
outstanding receipts), so a cash movement, a shift's summary and an invoice's payment
meet on one account. Odoo's API carries amounts as JSON numbers, each exact at the
company currency's minor unit (``connectors.common.erp_money``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from itertools import groupby
from typing import Any

from tillflow.connectors.common.erp_money import read_amount, wire_amount
from tillflow.connectors.odoo.books import OdooBooks
from tillflow.connectors.odoo.client import OdooClient
from tillflow.connectors.odoo.invoices import OdooInvoicing
from tillflow.connectors.odoo.orders import OdooSaleOrders
from tillflow.connectors.odoo.stock import OdooStock
from tillflow.domain.accounting.chart import invoiced
from tillflow.domain.accounting.entries import JournalEntry, JournalLine
from tillflow.ports.accounting import SALE_ORDER, SALES_AS, ErpRejected, StockCount

DEFAULT_CODES: Mapping[str, str] = {
    "revenue": "400000",
    "shipping": "400000",
    "fees": "400000",
    "receivable": "121000",
    "tax": "251000",
    "tender": "101403",
    "cash_transfer": "101701",
    "inventory": "110100",
    "cogs": "500000",
    "over_short": "642000",
}
DEFAULT_JOURNAL = "MISC"
INVOICE = SALES_AS[0]


class OdooAccounting:
    def __init__(self, client: OdooClient, *, accounts: Mapping[str, str] | None = None,
                 journal: str = DEFAULT_JOURNAL, sales: str = INVOICE,
                 party: str | None = None,
                 payment_journals: Mapping[str, str] | None = None,
                 locations: Mapping[str, str] | None = None) -> None:
        self.client = client
        self.books = OdooBooks(client)
        self.stock = OdooStock(client, books=self.books, locations=locations or {})
        self.overrides = dict(accounts or {})
        self.journal_code = journal
        self.sales_as = sales
        kind = OdooSaleOrders if sales == SALE_ORDER else OdooInvoicing
        self.invoicing = kind(client, books=self.books, account=self._account,
                              overrides=self.overrides, party=party,
                              payment_journals=payment_journals)
        self._account_ids: dict[str, int] = {}
        self._journal_id: int | None = None

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
                rest = [replace(e, lines=tuple(x for x in e.lines if not invoiced(x.role)))
                        for e in batch]
                self._post_moves([e for e in rest if e.lines], maybe_there=maybe_there)
                done.update({r: f"invoice:{i}" for r, i in invoices.items()})
            else:
                done.update(self._post_moves(batch, maybe_there=maybe_there))
        return [done[entry.reference] for entry in entries]

    def _invoiced(self, entry: JournalEntry) -> bool:
        return self.sales_as in (INVOICE, SALE_ORDER) and entry.source is not None

    def _post_moves(self, entries: Sequence[JournalEntry], *,
                    maybe_there: bool) -> dict[str, str]:
        """One ``create`` and one ``action_post`` for all; each Odoo call is its own
        transaction, so a refused post leaves drafts, replaced on the next attempt."""
        if not entries:
            return {}
        done = self._already_posted(entries) if maybe_there else {}
        todo = [entry for entry in entries if entry.reference not in done]
        if todo:
            created = self.client.call("account.move", "create",
                                       vals_list=[self._move(entry) for entry in todo])
            self.client.call("account.move", "action_post", ids=created)
            done.update(zip((entry.reference for entry in todo),
                            (str(move_id) for move_id in created), strict=True))
        return done

    def count_stock(self, counts: Sequence[StockCount], *, maybe_there: bool) -> list[str]:
        """Inventory-mode quants: counting again corrects nothing, so no look-up first."""
        return self.stock.count(counts)

    def _already_posted(self, entries: Sequence[JournalEntry]) -> dict[str, str]:
        found = self.client.call("account.move", "search_read",
                                 domain=[["ref", "in", [e.reference for e in entries]],
                                         ["move_type", "=", "entry"]],
                                 fields=["state", "ref"])
        drafts = [move["id"] for move in found if move["state"] != "posted"]
        if drafts:
            self.client.call("account.move", "unlink", ids=drafts)
        return {move["ref"]: str(move["id"]) for move in found if move["state"] == "posted"}

    def _move(self, entry: JournalEntry) -> dict[str, Any]:
        return {"move_type": "entry", "ref": entry.reference, "narration": entry.description,
                # In the store's offset (the poster's): the store's own day.
                "date": entry.occurred_at.date().isoformat(),
                "journal_id": self._journal(),
                "line_ids": [[0, 0, self._line(item, entry)] for item in entry.lines]}

    def moves(self, reference: str) -> list[tuple[str, Decimal, Decimal]]:
        """(account code, debit, credit) of the lines of the move for ``reference``."""
        found = self.client.call("account.move", "search",
                                 domain=[["ref", "=", reference], ["state", "=", "posted"]])
        found += self.invoicing.move_ids(reference)
        lines = self.client.call("account.move.line", "search_read",
                                 domain=[["move_id", "in", found]],
                                 fields=["account_id", "debit", "credit"])
        accounts = self.client.call("account.account", "read",
                                    ids=sorted({line["account_id"][0] for line in lines}),
                                    fields=["code"])
        codes = {a["id"]: a["code"] for a in accounts}
        digits = self.books.digits
        return [(codes[line["account_id"][0]], read_amount(line["debit"], digits),
                 read_amount(line["credit"], digits)) for line in lines]

    def _line(self, item: JournalLine, entry: JournalEntry) -> dict[str, Any]:
        digits = self.books.digits
        return {"account_id": self._account(item.role),
                "name": f"{entry.document_number} {item.role}",
                "debit": wire_amount(item.debit, digits),
                "credit": wire_amount(item.credit, digits)}

    def _journal(self) -> int:
        if self._journal_id is None:
            found = self.client.call("account.journal", "search",
                                     domain=[["code", "=", self.journal_code]], limit=1)
            if not found:
                raise ErpRejected(f"Odoo has no journal with code {self.journal_code!r}")
            self._journal_id = int(found[0])
        return self._journal_id

    def _account(self, role: str) -> int:
        if role not in self._account_ids:
            self._account_ids[role] = self._resolve(role)
        return self._account_ids[role]

    def _resolve(self, role: str) -> int:
        base, _, method = role.partition(":")
        code = self.overrides.get(role) or self.overrides.get(base)
        if code is None and base == "tender" and method:
            paid_on = self.invoicing.payment_account(method)
            if paid_on is not None:
                return paid_on
        code = code or DEFAULT_CODES.get(role) or DEFAULT_CODES.get(base)
        if code is None:
            raise ErpRejected(f"no Odoo account for {role!r}: map it in settings.accounts")
        found = self.client.call("account.account", "search",
                                 domain=[["code", "=", code]], limit=2)
        if len(found) != 1:
            raise ErpRejected(f"Odoo account {code!r} for {role!r} "
                              f"{'is ambiguous' if found else 'does not exist'}")
        return int(found[0])
