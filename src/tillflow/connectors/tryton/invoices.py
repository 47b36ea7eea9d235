"""Sales and returns posted to Tryton as customer invoices and credit notes, paid.

A sale becomes a posted customer invoice (``account.invoice`` of type ``out``) whose
reference is the sale number and whose description starts with tillflow's reference
(``sale:R1-000001 tillflow sale R1-000001``); a return becomes a credit note (the same,
with negative quantities). Its payment is one posted move (``<reference> payment``) with
a line per tender method on that method's account (a Tryton invoice payment method's)
and the receivable settled, reconciled with the invoice's receivable so that the invoice
ends ``paid``. A batch of documents is paid together: one ``create`` and one ``post`` for
the payment moves, then one reconciliation (Tryton's *reconcile lines* wizard) per party
of the batch's receivable lines, which balance.

The party is the walk-in customer, or, for a sale or return naming a tillflow customer,
the Tryton party whose code is ``TF-<customer id>`` (created with the customer's name,
email and an address when Tryton has none).

Defaults come from Tryton's configuration: a line's revenue account and taxes are those
of the Tryton product with the SKU as its code (its category's account), or, for a SKU
Tryton does not know, the default revenue account and the Tryton tax of the line's rate.
``settings.accounts`` (``revenue`` or ``revenue:<rate>``) overrides the revenue account;
``settings.payment_methods`` maps a tender method to a Tryton payment method's name
(default: the one named like the method, ``Cash``, ``Card``). Tax amounts are set to the
till's, so Tryton's books hold what the customer was charged to the cent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tillflow.connectors.common.erp_money import minor_unit
from tillflow.connectors.tryton.rpc import TrytonClient
from tillflow.domain.accounting.entries import (
    PAY_LATER,
    Document,
    JournalEntry,
    TaxedCharge,
    TaxedLine,
)
from tillflow.domain.accounting.rules import CHARGE_ROLES
from tillflow.ports.accounting import ErpRejected

DEFAULT_PARTY = "Walk-in customer"
DONE = frozenset({"posted", "paid"})
RECONCILE = "account.move.reconcile_lines"


@dataclass(frozen=True)
class _Method:
    journal: int
    debit_account: int
    credit_account: int


@dataclass(frozen=True)
class _Product:
    id: int
    unit: int
    account: int
    tax_rates: frozenset[Decimal]
    taxes: tuple[int, ...]


def invoice_description(entry: JournalEntry) -> str:
    return f"{entry.reference} {entry.description}"


def payment_description(entry: JournalEntry) -> str:
    return f"{entry.reference} payment"


class TrytonInvoicing:
    def __init__(self, client: TrytonClient, *, revenue_account: Callable[[str], int],
                 overrides: Mapping[str, str], journal: Callable[[], int],
                 period: Callable[[dt.date], int], party: str | None = None,
                 payment_methods: Mapping[str, str] | None = None) -> None:
        self.client = client
        self._revenue_account = revenue_account
        self._overrides = overrides
        self._journal = journal
        self._period = period
        self._party_name = party or DEFAULT_PARTY
        self._method_names = dict(payment_methods or {})
        self._parties: dict[str | None, tuple[int, int, int]] = {}
        self._methods: dict[str, _Method] = {}
        self._taxes: dict[Decimal, int | None] = {}

    def post(self, entries: Sequence[JournalEntry], *, maybe_there: bool) -> dict[str, int]:
        """Invoice and pay every entry (each has a ``source``); returns reference → invoice.

        All the invoices go in one ``create`` and one ``post``, their payments likewise,
        then one reconciliation. A later attempt finds the posted invoices and payment
        moves by description (deleting drafts a cut attempt left) and does the rest.
        """
        # Whatever the mapping lacks is refused before anything is written.
        for entry in entries:
            for method in _source(entry).payments():
                self._method(method)
            self.party_of(_source(entry))
        existing = self._existing(entries) if maybe_there else {}
        todo = [entry for entry in entries if entry.reference not in existing]
        created: dict[str, int] = {}
        if todo:
            products = self._products({x.sku for e in todo for x in _source(e).lines})
            ids = self.client.model("account.invoice", "create",
                                    [self._invoice(entry, products) for entry in todo])
            created = dict(zip((e.reference for e in todo), ids, strict=True))
            self._set_taxes(todo, created)
            self.client.model("account.invoice", "post", ids)
        unpaid = [e for e in entries if e.reference in created
                  or existing[e.reference][1] != "paid"]
        if unpaid:
            invoices = {**created, **{r: i for r, (i, _s) in existing.items()}}
            self._pay(unpaid, invoices, maybe_there=maybe_there or bool(existing))
        return {**created, **{r: invoice_id for r, (invoice_id, _s) in existing.items()}}

    def lines(self, reference: str) -> list[int]:
        """The moves of the invoices whose description starts with ``reference``."""
        found = self.client.model("account.invoice", "search_read",
                                  [("description", "like", f"{reference} %")], 0, None, None,
                                  ["move"])
        return [int(invoice["move"]) for invoice in found if invoice["move"]]

    def _existing(self, entries: Sequence[JournalEntry]) -> dict[str, tuple[int, str]]:
        found = self.client.model("account.invoice", "search_read", [
            ("type", "=", "out"),
            ("description", "in", [invoice_description(e) for e in entries])],
            0, None, None, ["state", "description"])
        drafts = [invoice["id"] for invoice in found if invoice["state"] == "draft"]
        if drafts:
            # Built by an attempt cut short, perhaps with an older mapping: build again.
            self.client.model("account.invoice", "delete", drafts)
        return {invoice["description"].split()[0]: (int(invoice["id"]), invoice["state"])
                for invoice in found if invoice["state"] in DONE}

    def _invoice(self, entry: JournalEntry, products: dict[str, _Product]) -> dict[str, Any]:
        document = _source(entry)
        sign = -1 if entry.kind == "return" else 1
        party, address, receivable = self.party_of(document)
        return {"type": "out", "party": party, "invoice_address": address,
                "account": receivable, "journal": self._journal(),
                "invoice_date": _day(document), "reference": document.number,
                "description": invoice_description(entry),
                "lines": [["create", [*(self._line(document, item, sign, products)
                                        for item in document.lines),
                                      *(self._charge(document, charge, sign)
                                        for charge in document.charges)]]]}

    def _charge(self, document: Document, charge: TaxedCharge, sign: int) -> dict[str, Any]:
        """Shipping or a fee: a line without product on its role's account."""
        role = CHARGE_ROLES[charge.kind]
        tax = self._tax(charge.tax_rate)
        return {"type": "line", "quantity": sign, "unit_price": charge.net,
                "description": f"{document.number} {charge.kind}",
                "account": self._revenue_account(role),
                "taxes": [["add", [tax] if tax is not None and charge.tax else []]]}

    def _line(self, document: Document, item: TaxedLine, sign: int,
              products: dict[str, _Product]) -> dict[str, Any]:
        # A unit price at Tryton's 4 places whose product rounds to the net at the
        # company currency's minor unit (JPY 0, USD 2, KWD 3 digits).
        quantity, price = item.invoiced(money=minor_unit(self.client.currency()[1]))
        rate = format(item.tax_rate.normalize(), "f")
        role = f"revenue:{rate}"
        explicit = role in self._overrides or "revenue" in self._overrides
        product = products.get(item.sku)
        line: dict[str, Any] = {"type": "line", "quantity": sign * quantity,
                                "unit_price": price,
                                "description": f"{document.number} {item.sku}"}
        if product is None:
            tax = self._tax(item.tax_rate)
            line.update(account=self._revenue_account(role),
                        taxes=[["add", [tax] if tax is not None else []]])
            return line
        wanted = frozenset({item.tax_rate}) if item.tax_rate else frozenset()
        if product.tax_rates != wanted:
            raise ErpRejected(f"Tryton taxes product {item.sku!r} at "
                              f"{sorted(map(str, product.tax_rates)) or 'no rate'}, the till "
                              f"at {rate}: align the product's customer taxes")
        line.update(product=product.id, unit=product.unit,
                    account=self._revenue_account(role) if explicit else product.account,
                    taxes=[["add", list(product.taxes)]])
        return line

    def _set_taxes(self, entries: Sequence[JournalEntry], created: dict[str, int]) -> None:
        """Tryton rounds tax per invoice; the till per line: the till's amount is booked."""
        found = self.client.model("account.invoice.tax", "search_read",
                                  [("invoice", "in", list(created.values()))], 0, None, None,
                                  ["invoice", "tax", "amount"])
        rates = self._tax_rates([row["tax"] for row in found if row["tax"]])
        by_invoice = {created[entry.reference]: entry for entry in entries}
        for row in found:
            entry = by_invoice[row["invoice"]]
            sign = -1 if entry.kind == "return" else 1
            document = _source(entry)
            taxed = [*((x.tax_rate, x.tax) for x in document.lines),
                     *((c.tax_rate, c.tax) for c in document.charges)]
            wanted = sign * sum((tax for rate, tax in taxed if rate == rates.get(row["tax"])),
                                Decimal(0))
            if row["tax"] in rates and row["amount"] != wanted:
                self.client.model("account.invoice.tax", "write", [row["id"]],
                                  {"amount": wanted})

    def _pay(self, entries: Sequence[JournalEntry], invoices: Mapping[str, int], *,
             maybe_there: bool) -> None:
        """A payment move per document, then one reconciliation of the receivables."""
        moves = self._payment_moves(entries) if maybe_there else {}
        # What a buyer still owes stays open on the invoice (Tryton's receivable); a
        # document paid for nothing yet has no payment move.
        todo = [entry for entry in entries if payment_description(entry) not in moves
                and _source(entry).payments()]
        entries = [entry for entry in entries if not _owed(entry)]
        if todo:
            created = self.client.model("account.move", "create",
                                        [self._payment(entry) for entry in todo])
            self.client.model("account.move", "post", created)
            moves.update(zip((payment_description(e) for e in todo), created, strict=True))
        if not entries:
            return
        receivables = sorted({self.party_of(_source(e))[2] for e in entries})
        invoice_lines = self.client.model("account.invoice", "read",
                                          [invoices[e.reference] for e in entries],
                                          ["lines_to_pay"])
        paid = [moves[payment_description(e)] for e in entries
                if payment_description(e) in moves]
        payment_lines = self.client.model("account.move.line", "search", [
            ("move", "in", paid), ("account", "in", receivables)], 0, None, None)
        open_lines = self.client.model("account.move.line", "search_read", [
            ("id", "in", [i for x in invoice_lines for i in x["lines_to_pay"]]
             + list(payment_lines)), ("reconciliation", "=", None)], 0, None, None,
            ["party", "account"])
        groups: dict[tuple[int, int], list[int]] = {}
        for line in open_lines:  # Tryton reconciles one party's lines on one account
            groups.setdefault((line["party"], line["account"]), []).append(int(line["id"]))
        for group in groups.values():
            self._reconcile(group)

    def _payment(self, entry: JournalEntry) -> dict[str, Any]:
        """The move paying ``entry``'s invoice: each tender's account against receivable."""
        document = _source(entry)
        sign = -1 if entry.kind == "return" else 1
        party, _address, receivable = self.party_of(document)
        day = _day(document)
        payments = document.payments()
        methods = {method: self._method(method) for method in payments}
        lines = [{"account": m.debit_account if sign > 0 else m.credit_account,
                  "debit": max(sign * amount, Decimal(0)),
                  "credit": max(-sign * amount, Decimal(0)),
                  "description": f"{document.number} tender:{method}"}
                 for method, amount in payments.items() for m in [methods[method]]]
        total = sum((sign * amount for amount in payments.values()), Decimal(0))
        lines.append({"account": receivable, "party": party,
                      "debit": max(-total, Decimal(0)), "credit": max(total, Decimal(0)),
                      "description": f"{document.number} receivable"})
        journal = next(iter(methods.values())).journal if methods else self._journal()
        return {"journal": journal, "period": self._period(day), "date": day,
                "description": payment_description(entry),
                "lines": [["create", lines]]}

    def _payment_moves(self, entries: Sequence[JournalEntry]) -> dict[str, int]:
        """Posted payment moves of these documents by description; drafts deleted."""
        found = self.client.model("account.move", "search_read", [
            ("description", "in", [payment_description(e) for e in entries])],
            0, None, None, ["description", "state"])
        drafts = [move["id"] for move in found if move["state"] != "posted"]
        if drafts:
            self.client.model("account.move", "delete", drafts)
        return {move["description"]: int(move["id"]) for move in found
                if move["state"] == "posted"}

    def _reconcile(self, line_ids: list[int]) -> None:
        """Tryton's *reconcile lines* wizard over lines that balance: no write-off."""
        context = {"active_model": "account.move.line", "active_id": line_ids[0],
                   "active_ids": line_ids}
        session, start, _end = self.client.wizard(RECONCILE, "create")
        try:
            self.client.wizard(RECONCILE, "execute", session, {}, start, context=context)
        finally:
            self.client.wizard(RECONCILE, "delete", session)

    def _products(self, skus: set[str]) -> dict[str, _Product]:
        """Tryton's products of these SKUs, with their account category's revenue account
        and customer taxes (where Tryton keeps them)."""
        found = self.client.model("product.product", "search_read",
                                  [("code", "in", sorted(skus))], 0, None, None,
                                  ["code", "default_uom", "template.account_category"])
        uncategorised = sorted(p["code"] for p in found
                               if not p["template."]["account_category"])
        if uncategorised:
            raise ErpRejected(f"Tryton products {uncategorised} have no account category")
        categories = self._categories({p["template."]["account_category"] for p in found})
        rates = self._tax_rates([t for c in categories.values()
                                 for t in c["customer_taxes_used"]])
        products = {}
        for p in found:
            category = categories[p["template."]["account_category"]]
            if not category["account_revenue"]:
                raise ErpRejected(f"Tryton product {p['code']!r} has no revenue account")
            products[p["code"]] = _Product(
                id=int(p["id"]), unit=int(p["default_uom"]),
                account=int(category["account_revenue"]),
                tax_rates=frozenset(rates[t] for t in category["customer_taxes_used"]),
                taxes=tuple(category["customer_taxes_used"]))
        return products

    def _categories(self, ids: set[int]) -> dict[int, dict[str, Any]]:
        """Account categories with their revenue account, taken from the parent where
        the category says to use its parent's accounts."""
        fields = ["account_revenue", "account_parent", "parent", "customer_taxes_used"]
        found = {int(c["id"]): c for c in self.client.model(
            "product.category", "read", sorted(ids), fields)}
        for category in found.values():
            current = category
            while current["account_parent"] and current["parent"]:
                [current] = self.client.model("product.category", "read",
                                              [current["parent"]], fields)
            category["account_revenue"] = current["account_revenue"]
        return found

    def _tax_rates(self, ids: list[int]) -> dict[int, Decimal]:
        if not ids:
            return {}
        rows = self.client.model("account.tax", "read", sorted(set(ids)), ["rate"])
        return {int(row["id"]): Decimal(row["rate"] or 0).normalize() for row in rows}

    def _tax(self, rate: Decimal) -> int | None:
        if rate not in self._taxes:
            self._taxes[rate] = sale_tax(self.client, rate)
        return self._taxes[rate]

    def _method(self, method: str) -> _Method:
        if method not in self._methods:
            name = self._method_names.get(method, method)
            found = self.client.model("account.invoice.payment.method", "search_read",
                                      [("name", "ilike", name)], 0, 2, None,
                                      ["journal", "debit_account", "credit_account"])
            if len(found) != 1:
                raise ErpRejected(
                    f"Tryton has {'several' if found else 'no'} payment methods named "
                    f"{name!r} for tender {method!r}: map it in settings.payment_methods")
            self._methods[method] = _Method(int(found[0]["journal"]),
                                            int(found[0]["debit_account"]),
                                            int(found[0]["credit_account"]))
        return self._methods[method]

    def party_of(self, document: Document) -> tuple[int, int, int]:
        """Party, address and receivable account a document is invoiced to (created once,
        with an address, when Tryton has no such party)."""
        buyer = document.customer
        key = None if buyer is None else buyer.id
        if key not in self._parties:
            if buyer is None:
                domain: list[Any] = [("name", "=", self._party_name)]
                values: dict[str, Any] = {"name": self._party_name}
            else:
                code = f"TF-{buyer.id}"
                domain = [("code", "=", code)]
                values = {"code": code, "name": buyer.name or buyer.email or code}
                if buyer.email:
                    values["contact_mechanisms"] = [["create", [
                        {"type": "email", "value": buyer.email}]]]
            self._parties[key] = self._party(domain, values)
        return self._parties[key]

    def _party(self, domain: list[Any], values: dict[str, Any]) -> tuple[int, int, int]:
        fields = ["addresses", "account_receivable", "rec_name"]
        found = self.client.model("party.party", "search_read", domain, 0, 1, None, fields)
        if not found:
            [created] = self.client.model("party.party", "create", [
                {**values, "addresses": [["create", [{}]]]}])
            found = self.client.model("party.party", "read", [created], fields)
        party = found[0]
        if not party["addresses"]:
            raise ErpRejected(f"Tryton party {party['rec_name']!r} has no address")
        receivable = party["account_receivable"]
        if not receivable:
            [config] = self.client.model("account.configuration", "read", [1],
                                         ["default_account_receivable"])
            receivable = config["default_account_receivable"]
        if not receivable:
            raise ErpRejected("Tryton has no default receivable account")
        return int(party["id"]), int(party["addresses"][0]), int(receivable)


def sale_tax(client: TrytonClient, rate: Decimal) -> int | None:
    """The Tryton tax of ``rate`` (a sale tax where taxes are grouped); None for no tax."""
    if not rate:
        return None
    plain = [("rate", "=", rate), ("type", "=", "percentage"), ("parent", "=", None)]
    found = client.model("account.tax", "search",
                         [*plain, ("group.kind", "in", ["sale", "both"])], 0, 2, None)
    if not found:
        found = client.model("account.tax", "search", plain, 0, 2, None)
    if len(found) != 1:
        raise ErpRejected(f"Tryton has {'several' if found else 'no'} sale taxes of rate "
                          f"{rate}")
    return int(found[0])


def _source(entry: JournalEntry) -> Document:
    assert entry.source is not None
    return entry.source


def _day(document: Document) -> dt.date:
    """The store's day of the document (the poster states it in the store's offset)."""
    return document.occurred_at.date()


def _owed(entry: JournalEntry) -> bool:
    """Whether part of the document is still owed: its invoice stays open."""
    return any(t.method == PAY_LATER for t in _source(entry).tenders)
