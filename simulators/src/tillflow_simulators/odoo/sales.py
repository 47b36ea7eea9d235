"""Sale orders in the simulated Odoo: quotation, confirmation, invoicing from the order.

``sale.order`` is created as a quotation (``draft``) with ``order_line`` commands; each
line needs a product (Odoo's constraint on accountable lines) and takes its taxes in
``tax_ids`` (Odoo 19) or ``tax_id`` (before), as the simulated version says.
``action_confirm`` turns quotations into orders (``sale``) and refuses anything else, as
Odoo does, and makes the order's delivery (``stock``). A line is to invoice by its
product's ``invoice_policy``: ordered quantities (``order``, the default) at once,
delivered ones (``delivery``) once the delivery is validated. Unit prices are kept at the
``Product Price`` accuracy and amounts rounded to the company currency.
``sale.advance.payment.inv`` (created with ``active_ids`` in the context)
makes regular invoices with ``create_invoices``: one per customer, or one per order
with ``consolidated_billing`` off, whose ``ref`` is the order's ``client_order_ref`` and
``invoice_origin`` its name, lines linked back to the order lines so the order becomes
``invoiced``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow_simulators.odoo import stock
from tillflow_simulators.odoo.invoicing import create_invoice, tax_ids
from tillflow_simulators.odoo.orm import (
    Database,
    OdooError,
    missing_error,
    user_error,
    validation_error,
)

QUOTATION = frozenset({"draft", "sent"})
NOTHING_TO_INVOICE = ("Cannot create an invoice. No items are available to invoice. Make sure "
                      "the invoicing policy of the products is configured correctly and that "
                      "delivered products have been delivered.")


def tax_field(db: Database) -> str:
    return "tax_ids" if int(db.version.split(".")[0]) >= 19 else "tax_id"


def create_order(db: Database, vals: dict[str, Any]) -> int:
    partner = db.table("res.partner").get(vals.get("partner_id") or 0)
    if partner is None:
        raise validation_error("The operation cannot be completed: Customer is required.")
    order_id = db.insert("sale.order", {
        "name": f"S{len(db.table('sale.order')) + 1:05d}", "state": "draft",
        "partner_id": [partner["id"], partner["name"]],
        "client_order_ref": vals.get("client_order_ref"), "origin": vals.get("origin"),
        "note": vals.get("note"), "date_order": vals.get("date_order"),
        "invoice_status": "no", "invoice_ids": [], "picking_ids": [], "order_line": []})
    order = db.table("sale.order")[order_id]
    for command in vals.get("order_line") or []:
        if not (isinstance(command, list | tuple) and len(command) == 3 and command[0] == 0):
            raise validation_error("order_line takes (0, 0, values) commands on create")
        order["order_line"].append(_create_line(db, order, dict(command[2])))
    untaxed = sum((_line(db, i)["price_subtotal"] for i in order["order_line"]), Decimal(0))
    tax = sum((_line(db, i)["price_tax"] for i in order["order_line"]), Decimal(0))
    order.update(amount_untaxed=untaxed, amount_tax=tax, amount_total=untaxed + tax)
    return order_id


def _create_line(db: Database, order: dict[str, Any], vals: dict[str, Any]) -> int:
    taxes_named, other = tax_field(db), {"tax_ids": "tax_id", "tax_id": "tax_ids"}[tax_field(db)]
    if other in vals:
        raise OdooError("builtins.ValueError",
                        f"Invalid field '{other}' on model 'sale.order.line'")
    product = db.table("product.product").get(vals.get("product_id") or 0)
    if product is None:
        if vals.get("product_id"):
            raise missing_error(f"Record does not exist or has been deleted. "
                                f"(Record: product.product({vals['product_id']},))")
        raise validation_error("Missing required fields on accountable sale order line.")
    quantity = Decimal(str(vals.get("product_uom_qty", 1)))
    price = db.price(vals.get("price_unit", product.get("list_price") or 0))
    discount = Decimal(str(vals.get("discount") or 0))
    subtotal = db.money(quantity * price * (1 - discount / 100))
    taxes = tax_ids(vals.get(taxes_named)) if taxes_named in vals else list(
        product.get("taxes_id") or [])
    tax = sum((_tax_amount(db, tax_id, subtotal) for tax_id in taxes), Decimal(0))
    return db.insert("sale.order.line", {
        "order_id": [order["id"], order["name"]],
        "product_id": [product["id"], product["name"]],
        "name": vals.get("name") or product["name"], "product_uom_qty": quantity,
        "price_unit": price, "discount": discount, taxes_named: taxes,
        "price_subtotal": subtotal, "price_tax": tax, "price_total": subtotal + tax,
        "qty_delivered": Decimal(0), "qty_invoiced": Decimal(0), "qty_to_invoice": Decimal(0),
        "invoice_status": "no", "invoice_lines": []})


def confirm(db: Database, ids: list[int]) -> bool:
    orders = [_order(db, order_id) for order_id in ids]
    for order in orders:
        if order["state"] not in QUOTATION:
            raise user_error("Some orders are not in a state requiring confirmation.")
    for order in orders:
        order["state"] = "sale"
        if "stock" in db.modules:
            picking = stock.create_delivery(db, order, [_line(db, i) for i in order["order_line"]])
            order["picking_ids"] = [picking] if picking else []
        _invoice_status(db, order)
    return True


def create_wizard(db: Database, vals: dict[str, Any], context: dict[str, Any]) -> int:
    method = vals.get("advance_payment_method", "delivered")
    if method != "delivered":
        raise user_error(f"The simulator makes regular invoices only, not {method!r}.")
    orders = list(context.get("active_ids") or []) if context.get(
        "active_model", "sale.order") == "sale.order" else []
    for order_id in orders:
        _order(db, order_id)
    return db.insert("sale.advance.payment.inv", {
        "advance_payment_method": method, "sale_order_ids": orders,
        "consolidated_billing": bool(vals.get("consolidated_billing", True))})


def create_invoices(db: Database, ids: list[int]) -> dict[str, Any]:
    moves: list[int] = []
    for wizard in db.read("sale.advance.payment.inv", ids, None):
        groups: dict[Any, list[dict[str, Any]]] = {}
        for order_id in wizard["sale_order_ids"]:
            order = _order(db, order_id)
            _invoice_status(db, order)  # deliveries since, as Odoo's stored computes follow
            if order["state"] == "sale" and _to_invoice(db, order):
                key = order["partner_id"][0] if wizard["consolidated_billing"] else order_id
                groups.setdefault(key, []).append(order)
        if not groups:
            raise user_error(NOTHING_TO_INVOICE)
        moves += [_invoice(db, orders) for orders in groups.values()]
    return {"type": "ir.actions.act_window", "res_model": "account.move",
            "domain": [["id", "in", moves]]}


def _invoice(db: Database, orders: list[dict[str, Any]]) -> int:
    lines = [line for order in orders for line in _to_invoice(db, order)]
    move_id = create_invoice(db, {
        "move_type": "out_invoice", "partner_id": orders[0]["partner_id"][0],
        "ref": ", ".join(o["client_order_ref"] for o in orders if o["client_order_ref"]),
        "invoice_origin": ", ".join(o["name"] for o in orders),
        "narration": orders[0]["note"],
        "invoice_line_ids": [[0, 0, {
            "product_id": line["product_id"][0], "name": line["name"],
            "quantity": float(line["qty_to_invoice"]), "price_unit": float(line["price_unit"]),
            "discount": float(line["discount"]),
            "tax_ids": [[6, 0, line[tax_field(db)]]]}] for line in lines]})
    move = db.table("account.move")[move_id]
    for line, item_id in zip(lines, move["invoice_line_ids"], strict=True):
        db.table("account.move.line")[item_id]["sale_line_ids"] = [line["id"]]
        line["invoice_lines"].append(item_id)
        line["qty_invoiced"] += line["qty_to_invoice"]
    for order in orders:
        order["invoice_ids"].append(move_id)
        _invoice_status(db, order)
    return move_id


def _to_invoice(db: Database, order: dict[str, Any]) -> list[dict[str, Any]]:
    lines = [_line(db, line_id) for line_id in order["order_line"]]
    return [line for line in lines if line["qty_to_invoice"] > 0]


def _invoice_status(db: Database, order: dict[str, Any]) -> None:
    statuses = []
    for line in (_line(db, i) for i in order["order_line"]):
        policy = db.table("product.product")[line["product_id"][0]].get("invoice_policy")
        ready = line["qty_delivered"] if policy == "delivery" else line["product_uom_qty"]
        line["qty_to_invoice"] = ready - line["qty_invoiced"] if order["state"] == "sale" \
            else Decimal(0)
        line["invoice_status"] = (
            "to invoice" if line["qty_to_invoice"] > 0 else
            "invoiced" if line["qty_invoiced"] >= line["product_uom_qty"] else "no")
        statuses.append(line["invoice_status"])
    order["invoice_status"] = (
        "no" if order["state"] != "sale" else "to invoice" if "to invoice" in statuses else
        "invoiced" if statuses and all(s == "invoiced" for s in statuses) else "no")


def _tax_amount(db: Database, tax_id: int, subtotal: Decimal) -> Decimal:
    tax = db.table("account.tax").get(tax_id)
    if tax is None:
        raise missing_error(f"Record does not exist or has been deleted. "
                            f"(Record: account.tax({tax_id},))")
    return db.money(subtotal * Decimal(str(tax["amount"])) / 100)


def _order(db: Database, order_id: Any) -> dict[str, Any]:
    order = db.table("sale.order").get(order_id or 0)
    if order is None:
        raise missing_error(f"Record does not exist or has been deleted. "
                            f"(Record: sale.order({order_id},))")
    return order


def _line(db: Database, line_id: int) -> dict[str, Any]:
    return db.table("sale.order.line")[line_id]
