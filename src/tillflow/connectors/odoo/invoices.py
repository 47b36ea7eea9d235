"""Sales and returns posted to Odoo as customer invoices and credit notes, paid.

A sale becomes a posted ``account.move`` of type ``out_invoice`` (a return: ``out_refund``,
with positive quantities, as Odoo keeps them) whose ``ref`` is tillflow's reference
(``sale:R1-000001``) and whose ``invoice_origin`` is the sale number, to the walk-in
customer (``res.partner``, created on first use), or the partner whose ``ref`` is
``TF-<customer id>`` for a sale naming a tillflow customer. A line is the Odoo product whose
``default_code`` is the SKU where Odoo has one (its income account), else a line on the
sale journal's account; ``settings.accounts`` ``revenue``/``revenue:<rate>`` overrides the
account. Taxes are Odoo's sale taxes of the line's rate. Amounts travel at the company
currency's minor unit and unit prices at Odoo's price precision (``books``). Each tender
method's share is paid with Odoo's *register payment* wizard (``account.payment.register``)
into the journal ``settings.payment_journals`` names for it (by default the first cash
journal for cash, the first bank journal for the rest), its memo
``<reference> payment <method>``. Odoo books the payment on the outstanding receipts
account of that journal's payment method line (a refund: outstanding payments), which is
also where a tender's plain entries go unless ``settings.accounts`` maps it
(``payment_account``).

Payments go in a fixed order, each one call (one transaction), so a later attempt knows
which were made from what the invoice still owes, and makes only the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from tillflow.connectors.common.erp_money import (
    minor_unit,
    read_amount,
    wire_amount,
    wire_decimal,
)
from tillflow.connectors.odoo.books import OdooBooks
from tillflow.connectors.odoo.client import OdooClient
from tillflow.domain.accounting.entries import Document, JournalEntry, TaxedCharge, TaxedLine
from tillflow.domain.accounting.rules import CHARGE_ROLES
from tillflow.ports.accounting import ErpRejected

DEFAULT_PARTY = "Walk-in customer"
CASH = "cash"


def payment_memo(entry: JournalEntry, method: str) -> str:
    return f"{entry.reference} payment {method}"


class OdooInvoicing:
    def __init__(self, client: OdooClient, *, books: OdooBooks,
                 account: Callable[[str], int], overrides: Mapping[str, str],
                 party: str | None = None,
                 payment_journals: Mapping[str, str] | None = None) -> None:
        self.client = client
        self.books = books
        self._account = account
        self._overrides = overrides
        self._party_name = party or DEFAULT_PARTY
        self._journal_codes = dict(payment_journals or {})
        self._partners: dict[str | None, int] = {}
        self._sale_journal: int | None = None
        self._journals: dict[str, int] = {}

    def post(self, entries: Sequence[JournalEntry], *, maybe_there: bool) -> dict[str, int]:
        """Invoice and pay every entry (each has a ``source``); returns reference → id."""
        for entry in entries:  # whatever the mapping lacks is refused before any write
            for method in source_of(entry).payments():
                self._journal(method)
            self.partner_of(source_of(entry))
        existing = self._existing(entries) if maybe_there else {}
        todo = [entry for entry in entries if entry.reference not in existing]
        created: dict[str, int] = {}
        if todo:
            products = self._products({x.sku for e in todo for x in source_of(e).lines})
            ids = self.client.call("account.move", "create",
                                   vals_list=[self._invoice(e, products) for e in todo])
            self.client.call("account.move", "action_post", ids=ids)
            created = dict(zip((e.reference for e in todo), ids, strict=True))
        for entry in entries:
            if entry.reference in created:
                self._pay(entry, created[entry.reference], paid=Decimal(0))
            else:
                invoice = existing[entry.reference]
                if invoice["payment_state"] not in ("paid", "in_payment"):
                    paid = self.money(invoice["amount_total"]) - self.money(
                        invoice["amount_residual"])
                    self._pay(entry, int(invoice["id"]), paid=paid)
        return {**created, **{r: int(i["id"]) for r, i in existing.items()}}

    def move_ids(self, reference: str) -> list[int]:
        """The invoice for ``reference`` and its payments' entries."""
        found = self.client.call("account.move", "search", domain=[
            ["ref", "like", f"{reference} payment "], ["state", "=", "posted"]])
        return [int(i) for i in found]

    def _existing(self, entries: Sequence[JournalEntry]) -> dict[str, dict[str, Any]]:
        found = self.client.call("account.move", "search_read", domain=[
            ["ref", "in", [e.reference for e in entries]],
            ["move_type", "in", ["out_invoice", "out_refund"]]],
            fields=["ref", "state", "payment_state", "amount_total", "amount_residual"])
        drafts = [invoice["id"] for invoice in found if invoice["state"] == "draft"]
        if drafts:
            self.client.call("account.move", "unlink", ids=drafts)
        return {invoice["ref"]: invoice for invoice in found if invoice["state"] == "posted"}

    def _invoice(self, entry: JournalEntry, products: dict[str, int]) -> dict[str, Any]:
        document = source_of(entry)
        return {"move_type": "out_refund" if entry.kind == "return" else "out_invoice",
                "partner_id": self.partner_of(document),
                "journal_id": self._sales_journal(),
                "invoice_date": sale_day(document).isoformat(), "ref": entry.reference,
                "invoice_origin": document.number, "narration": entry.description,
                "invoice_line_ids": [*([0, 0, self._line(document, item, products)]
                                       for item in document.lines),
                                     *([0, 0, self._charge(document, charge)]
                                       for charge in document.charges)]}

    def _charge(self, document: Document, charge: TaxedCharge) -> dict[str, Any]:
        """Shipping or a fee: a line without product, on its role's account when mapped
        (else the sales journal's)."""
        role = CHARGE_ROLES[charge.kind]
        line: dict[str, Any] = {"name": f"{document.number} {charge.kind}", "quantity": 1.0,
                                "price_unit": wire_amount(charge.net, self.books.digits),
                                "tax_ids": [[6, 0, self.books.sale_tax(charge.tax_rate)
                                             if charge.tax else []]]}
        if role in self._overrides:
            line["account_id"] = self._account(role)
        return line

    def _line(self, document: Document, item: TaxedLine,
              products: dict[str, int]) -> dict[str, Any]:
        quantity, price = self.priced(item)
        role = f"revenue:{format(item.tax_rate.normalize(), 'f')}"
        line: dict[str, Any] = {"name": f"{document.number} {item.sku}",
                                "quantity": quantity, "price_unit": price,
                                "tax_ids": [[6, 0, self.books.sale_tax(item.tax_rate)]]}
        if item.sku in products:
            line["product_id"] = products[item.sku]
        if role in self._overrides or "revenue" in self._overrides:
            line["account_id"] = self._account(role)
        return line

    def _pay(self, entry: JournalEntry, invoice_id: int, *, paid: Decimal) -> None:
        """Pay each tender method's share in order, skipping the ones already paid."""
        context = {"active_model": "account.move", "active_ids": [invoice_id]}
        covered = Decimal(0)
        for method, amount in source_of(entry).payments().items():
            covered += abs(amount)
            if covered <= paid:
                continue
            [wizard] = self.client.call("account.payment.register", "create", vals_list=[{
                "amount": wire_amount(abs(amount), self.books.digits),
                "journal_id": self._journal(method),
                "payment_date": sale_day(source_of(entry)).isoformat(),
                "communication": payment_memo(entry, method)}], context=context)
            self.client.call("account.payment.register", "action_create_payments",
                             ids=[wizard])

    def _products(self, skus: set[str]) -> dict[str, int]:
        found = self.client.call("product.product", "search_read",
                                 domain=[["default_code", "in", sorted(skus)]],
                                 fields=["default_code"])
        return {p["default_code"]: int(p["id"]) for p in found}

    def priced(self, item: TaxedLine) -> tuple[float, float]:
        """A line's quantity and unit price as Odoo will keep them, their product rounding
        to the line's net at the currency's minor unit."""
        places = self.books.price_digits
        quantity, price = item.invoiced(money=minor_unit(self.books.digits),
                                        price=minor_unit(places))
        if price != price.quantize(minor_unit(places)):
            raise ErpRejected(f"Odoo keeps unit prices to {places} decimals (decimal "
                              f"accuracy 'Product Price'), too few for {price}: raise it to "
                              f"the currency's {self.books.digits}")
        return float(quantity), wire_decimal(price, places)

    def money(self, value: Any) -> Decimal:
        return read_amount(value, self.books.digits)

    def payment_account(self, method: str) -> int | None:
        """The account Odoo books a tender's payments on: its journal's inbound payment
        method line's, where the line names one (else Odoo's default outstanding
        receipts account, which only the chart knows)."""
        lines = self.client.call("account.payment.method.line", "search_read", domain=[
            ["journal_id", "=", self._journal(method)], ["payment_type", "=", "inbound"]],
            fields=["payment_account_id"], limit=1)
        if lines and lines[0]["payment_account_id"]:
            return int(lines[0]["payment_account_id"][0])
        return None

    def _journal(self, method: str) -> int:
        """The cash or bank journal a tender's payments go to."""
        if method not in self._journals:
            code = self._journal_codes.get(method)
            domain = [["code", "=", code]] if code else [
                ["type", "=", "cash" if method == CASH else "bank"]]
            found = self.client.call("account.journal", "search", domain=domain, limit=1)
            if not found:
                raise ErpRejected(f"Odoo has no journal for tender {method!r}: map it in "
                                  f"settings.payment_journals")
            self._journals[method] = int(found[0])
        return self._journals[method]

    def _sales_journal(self) -> int:
        if self._sale_journal is None:
            found = self.client.call("account.journal", "search",
                                     domain=[["type", "=", "sale"]], limit=1)
            if not found:
                raise ErpRejected("Odoo has no sales journal")
            self._sale_journal = int(found[0])
        return self._sale_journal

    def partner_of(self, document: Document) -> int:
        """The walk-in customer, or the partner whose ``ref`` is ``TF-<customer id>`` for a
        document naming a tillflow customer; created on first use."""
        buyer = document.customer
        key = None if buyer is None else buyer.id
        if key not in self._partners:
            if buyer is None:
                domain = [["name", "=", self._party_name]]
                values: dict[str, Any] = {"name": self._party_name}
            else:
                ref = f"TF-{buyer.id}"
                domain = [["ref", "=", ref]]
                values = {"ref": ref, "name": buyer.name or buyer.email or ref,
                          "email": buyer.email or False, "customer_rank": 1}
            found = self.client.call("res.partner", "search", domain=domain, limit=1)
            self._partners[key] = int(found[0]) if found else int(self.client.call(
                "res.partner", "create", vals_list=[values])[0])
        return self._partners[key]


def source_of(entry: JournalEntry) -> Document:
    assert entry.source is not None
    return entry.source


def sale_day(document: Document) -> dt.date:
    """The store's day of the sale (the poster states it in the store's offset)."""
    return document.occurred_at.date()
