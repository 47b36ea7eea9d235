"""Sales posted to Odoo as confirmed sale orders, invoiced from the order and paid.

With ``sales: "sale_order"`` a sale becomes one ``sale.order`` to the walk-in customer (or
the customer's partner) whose ``client_order_ref`` is tillflow's reference
(``sale:R1-000001``) and whose ``origin`` is the sale number; a line per sale line with
the Odoo product whose ``default_code`` is the SKU (a sale order line needs a product:
push products first), the quantity, the unit price and the Odoo sale tax of the line's
rate, as the invoice path computes them. The order is confirmed (``action_confirm``); the
delivery that confirming makes is validated, its whole quantity done (the goods left at
the till, so Odoo's stock follows the sale, negative if Odoo counted less); then the
order is invoiced with Odoo's *create invoices* wizard (``sale.advance.payment.inv``,
``create_invoices``; the order's ``_create_invoices`` is private, so not callable over
the API), one invoice per order (``consolidated_billing`` off). Odoo gives the invoice
the order's ``client_order_ref`` as its ``ref``, so it is found like the invoice path's;
it is dated the sale's day, posted and paid as there. Returns stay credit notes
(``invoices.py``), as Odoo books a return of goods invoiced on ordered quantities.

Each step is one call (one Odoo transaction). A later attempt looks the orders up by
``client_order_ref`` and finishes what is missing: confirms a quotation left behind,
validates a delivery not yet done, invoices a confirmed order not yet invoiced, posts a
draft invoice, pays what the invoice still owes; it never creates a second order,
delivery or invoice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from itertools import groupby
from typing import Any

from tillflow.connectors.odoo.invoices import OdooInvoicing, sale_day, source_of
from tillflow.domain.accounting.entries import Document, JournalEntry, TaxedLine
from tillflow.ports.accounting import ErpRejected

QUOTATION = frozenset({"draft", "sent"})
INVOICED = frozenset({"invoiced", "upselling"})
FINISHED = ["done", "cancel"]
TAX_IDS_FROM = 19
RETURN = "return"


class OdooSaleOrders(OdooInvoicing):
    def post(self, entries: Sequence[JournalEntry], *, maybe_there: bool) -> dict[str, int]:
        """Sales through orders, returns as credit notes, each run in tillflow's order."""
        done: dict[str, int] = {}
        for is_return, run in groupby(entries, key=lambda e: e.kind == RETURN):
            batch = list(run)
            done.update(super().post(batch, maybe_there=maybe_there) if is_return
                        else self._post_orders(batch, maybe_there=maybe_there))
        return done

    def _post_orders(self, entries: Sequence[JournalEntry], *,
                     maybe_there: bool) -> dict[str, int]:
        skus = {item.sku for entry in entries for item in source_of(entry).lines}
        products = self._products(skus)
        charged = [e.document_number for e in entries if source_of(e).charges]
        if charged:  # Odoo charges shipping through a delivery product of its own
            raise ErpRejected(f"sale {charged[0]} charged shipping or fees, which a sale order "
                              "cannot carry without a product: post web orders with "
                              "sales: invoice")
        unknown = sorted(skus - set(products))
        if unknown:
            raise ErpRejected(f"Odoo has no product with default_code {', '.join(unknown)}: "
                              f"a sale order line needs one (push products first)")
        for entry in entries:  # whatever the mapping lacks is refused before any write
            for method in source_of(entry).payments():
                self._journal(method)
            self.partner_of(source_of(entry))
        references = [entry.reference for entry in entries]
        orders = self._orders(references) if maybe_there else {}
        todo = [entry for entry in entries if entry.reference not in orders]
        if todo:
            created = self.client.call("sale.order", "create",
                                       vals_list=[self._order(e, products) for e in todo])
            orders.update({e.reference: {"id": int(i), "state": "draft",
                                         "invoice_status": "no"}
                           for e, i in zip(todo, created, strict=True)})
        quotations = [o["id"] for o in orders.values() if o["state"] in QUOTATION]
        if quotations:
            self.client.call("sale.order", "action_confirm", ids=quotations)
        self._deliver([int(o["id"]) for o in orders.values()])
        to_invoice = [o["id"] for o in orders.values() if o["invoice_status"] not in INVOICED]
        if to_invoice:
            [wizard] = self.client.call("sale.advance.payment.inv", "create", vals_list=[{
                "advance_payment_method": "delivered", "consolidated_billing": False}],
                context={"active_model": "sale.order", "active_ids": to_invoice})
            self.client.call("sale.advance.payment.inv", "create_invoices", ids=[wizard])
        invoices = self._invoices(entries)
        for entry in entries:
            invoice = invoices[entry.reference]  # as read before posting the drafts
            paid = Decimal(0) if invoice["state"] == "draft" else (
                self.money(invoice["amount_total"]) - self.money(invoice["amount_residual"]))
            if invoice["payment_state"] not in ("paid", "in_payment"):
                self._pay(entry, int(invoice["id"]), paid=paid)
        return {reference: int(invoice["id"]) for reference, invoice in invoices.items()}

    def _deliver(self, order_ids: list[int]) -> None:
        """Validate the orders' deliveries not yet done, each move's whole quantity done:
        one write and one validation per delivery."""
        orders = self.client.call("sale.order", "read", ids=order_ids, fields=["picking_ids"])
        pickings = [p for o in orders for p in o["picking_ids"]]
        if not pickings:
            return
        open_ones = self.client.call("stock.picking", "search_read", domain=[
            ["id", "in", pickings], ["state", "not in", FINISHED],
            ["picking_type_code", "=", "outgoing"]], fields=["move_ids", "origin"])
        for picking in open_ones:
            moves = self.client.call("stock.move", "search_read", domain=[
                ["id", "in", picking["move_ids"]], ["state", "not in", FINISHED]],
                fields=["product_uom_qty"])
            self.client.call("stock.picking", "write", ids=[picking["id"]], vals={
                "move_ids": [[1, m["id"], self.books.done_values(m["product_uom_qty"])]
                             for m in moves]})
            answer = self.client.call("stock.picking", "button_validate", ids=[picking["id"]])
            if isinstance(answer, dict) and answer.get("res_model"):
                raise ErpRejected(f"Odoo asks {answer.get('name') or answer['res_model']!r} "
                                  f"before validating the delivery of {picking['origin']}")

    def _orders(self, references: list[str]) -> dict[str, dict[str, Any]]:
        found = self.client.call("sale.order", "search_read", domain=[
            ["client_order_ref", "in", references], ["state", "!=", "cancel"]],
            fields=["client_order_ref", "state", "invoice_status"])
        return {order["client_order_ref"]: order for order in found}

    def _invoices(self, entries: Sequence[JournalEntry]) -> dict[str, dict[str, Any]]:
        """The orders' invoices by reference, the drafts dated the sale's day and posted."""
        found = self.client.call("account.move", "search_read", domain=[
            ["ref", "in", [e.reference for e in entries]], ["move_type", "=", "out_invoice"],
            ["state", "!=", "cancel"]],
            fields=["ref", "state", "payment_state", "amount_total", "amount_residual"])
        invoices = {invoice["ref"]: invoice for invoice in found}
        drafts = [entry for entry in entries
                  if invoices.get(entry.reference, {}).get("state") == "draft"]
        for day, run in groupby(drafts, key=lambda e: sale_day(source_of(e))):
            self.client.call("account.move", "write",
                             ids=[int(invoices[e.reference]["id"]) for e in run],
                             vals={"invoice_date": day.isoformat()})
        if drafts:
            self.client.call("account.move", "action_post",
                             ids=[int(invoices[e.reference]["id"]) for e in drafts])
        missing = [entry.reference for entry in entries if entry.reference not in invoices]
        if missing:
            raise ErpRejected(f"Odoo made no invoice for the sale orders of "
                              f"{', '.join(missing)}")
        return invoices

    def _order(self, entry: JournalEntry, products: dict[str, int]) -> dict[str, Any]:
        document = source_of(entry)
        return {"partner_id": self.partner_of(document), "client_order_ref": entry.reference,
                "origin": document.number, "note": entry.description,
                "date_order": document.occurred_at.astimezone(dt.UTC).strftime(
                    "%Y-%m-%d %H:%M:%S"),
                "order_line": [[0, 0, self._order_line(document, item, products)]
                               for item in document.lines]}

    def _order_line(self, document: Document, item: TaxedLine,
                    products: dict[str, int]) -> dict[str, Any]:
        quantity, price = self.priced(item)
        return {"product_id": products[item.sku], "name": f"{document.number} {item.sku}",
                "product_uom_qty": quantity, "price_unit": price, "discount": 0.0,
                self._line_taxes(): [[6, 0, self.books.sale_tax(item.tax_rate)]]}

    def _line_taxes(self) -> str:
        """Odoo 19 renamed the order line's ``tax_id`` to ``tax_ids`` (OpenUpgrade's 19.0
        analysis of ``sale``)."""
        return "tax_ids" if self.client.major_version() >= TAX_IDS_FROM else "tax_id"

