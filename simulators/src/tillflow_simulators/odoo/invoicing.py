"""Customer invoices, credit notes and their payments in the simulated Odoo.

``account.move`` with ``move_type`` ``out_invoice``/``out_refund`` takes
``invoice_line_ids`` commands and builds its journal items the way Odoo does: a product
line per invoice line on its account (the product's income account, else the sale
journal's), a tax line per tax (taxes rounded per line, Odoo's default), and the
receivable line for the total. A credit note has positive quantities and the opposite
signs. Unit prices are kept at the ``Product Price`` accuracy, amounts rounded to the
company currency. ``account.payment.register`` (created with ``active_model``/
``active_ids`` in the context) pays one invoice with ``action_create_payments``: a posted
payment entry from the account of the journal's payment method line (the chart's
outstanding receipts for an invoice, outstanding payments for a refund, as Odoo books
them; not the journal's cash or bank account) to the receivable, reconciled at once, so
the invoice's ``amount_residual`` falls and its ``payment_state`` becomes ``partial`` then
``paid``. The payment's memo is ``ref`` up to 17 and ``memo`` from 18; its state
``posted`` up to 17, and from 18 ``in_process`` until the invoices it pays are paid.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from tillflow_simulators.odoo.company import outstanding_account
from tillflow_simulators.odoo.orm import (
    Database,
    OdooError,
    missing_error,
    user_error,
    validation_error,
)

INVOICE_TYPES = frozenset({"out_invoice", "out_refund"})
RECEIVABLE = "121000"


def create_invoice(db: Database, vals: dict[str, Any]) -> int:
    move_type = vals["move_type"]
    journal = _journal(db, vals.get("journal_id"), "sale")
    partner = db.table("res.partner").get(vals.get("partner_id", 0))
    if partner is None:
        raise validation_error("A customer is required on a customer invoice")
    receivable = _account(db, RECEIVABLE)
    sign = 1 if move_type == "out_invoice" else -1  # credit for an invoice's income
    move_id = db.insert("account.move", {
        "move_type": move_type, "ref": vals.get("ref"), "name": "/", "state": "draft",
        "invoice_origin": vals.get("invoice_origin"),
        "date": date.fromisoformat(vals.get("invoice_date") or date.today().isoformat()),
        "invoice_date": vals.get("invoice_date"),
        "journal_id": [journal["id"], journal["name"]],
        "partner_id": [partner["id"], partner["name"]], "narration": vals.get("narration"),
        "payment_state": "not_paid", "line_ids": [], "invoice_line_ids": []})
    lines: list[int] = []
    taxes: dict[int, Decimal] = {}
    total = Decimal(0)
    for command in vals.get("invoice_line_ids") or []:
        if not (isinstance(command, list | tuple) and len(command) == 3 and command[0] == 0):
            raise validation_error("invoice_line_ids takes (0, 0, values) commands on create")
        line = command[2]
        discount = Decimal(str(line.get("discount") or 0))
        subtotal = db.money(Decimal(str(line.get("quantity", 1))) *
                            db.price(line.get("price_unit", 0)) * (1 - discount / 100))
        account = _line_account(db, line, journal)
        lines.append(_item(db, move_id, account, -sign * subtotal, name=line.get("name"),
                           kind="product", product_id=line.get("product_id"),
                           quantity=line.get("quantity", 1)))
        total += subtotal
        for tax_id in tax_ids(line.get("tax_ids")):
            tax = db.table("account.tax").get(tax_id)
            if tax is None:
                raise missing_error(f"Record does not exist or has been deleted. "
                                    f"(Record: account.tax({tax_id},))")
            amount = db.money(subtotal * Decimal(str(tax["amount"])) / 100)
            taxes[tax_id] = taxes.get(tax_id, Decimal(0)) + amount
    for tax_id, amount in taxes.items():
        tax = db.table("account.tax")[tax_id]
        lines.append(_item(db, move_id, _account(db, tax["account_code"]), -sign * amount,
                           name=tax["name"], kind="tax"))
        total += amount
    lines.append(_item(db, move_id, receivable, sign * total, name=vals.get("ref"),
                       kind="payment_term"))
    db.table("account.move")[move_id].update(
        line_ids=lines, invoice_line_ids=[i for i in lines if _kind(db, i) == "product"],
        amount_total=total, amount_residual=total)
    return move_id


def register_payment(db: Database, vals: dict[str, Any], context: dict[str, Any]) -> int:
    if context.get("active_model") != "account.move" or not context.get("active_ids"):
        raise user_error("The register payment wizard should only be called on "
                         "account.move records.")
    return db.insert("account.payment.register", {
        "amount": db.money(Decimal(str(vals.get("amount") or 0))),
        "journal_id": vals.get("journal_id"), "payment_date": vals.get("payment_date"),
        "communication": vals.get("communication"), "move_ids": list(context["active_ids"])})


def create_payments(db: Database, ids: list[int]) -> dict[str, Any]:
    for wizard in db.read("account.payment.register", ids, None):
        [invoice_id] = wizard["move_ids"]
        invoice = db.table("account.move")[invoice_id]
        if invoice["state"] != "posted":
            raise user_error("You can only register payment for posted journal entries.")
        amount = Decimal(str(wizard["amount"]))
        if amount <= 0 or amount > invoice["amount_residual"]:
            raise user_error("The amount to pay must be positive and at most what is due.")
        journal = _journal(db, wizard["journal_id"], None)
        receivable = db.table("account.move.line")[invoice["line_ids"][-1]]["account_id"][0]
        sign = 1 if invoice["move_type"] == "out_invoice" else -1
        direction = "inbound" if sign > 0 else "outbound"
        move_id = db.insert("account.move", {
            "move_type": "entry", "ref": wizard["communication"], "name": "/",
            "state": "posted", "journal_id": [journal["id"], journal["name"]],
            "date": date.fromisoformat(wizard["payment_date"] or date.today().isoformat()),
            "partner_id": invoice["partner_id"], "line_ids": []})
        outstanding = db.table("account.account")[outstanding_account(db, journal, direction)]
        lines = [
            _item(db, move_id, outstanding, sign * amount, name=wizard["communication"],
                  kind="entry"),
            _item(db, move_id, db.table("account.account")[receivable], -sign * amount,
                  name=wizard["communication"], kind="entry"),
        ]
        db.table("account.move")[move_id]["line_ids"] = lines
        invoice["amount_residual"] -= amount
        invoice["payment_state"] = "paid" if invoice["amount_residual"] == 0 else "partial"
        db.insert("account.payment", {
            "amount": amount, "journal_id": [journal["id"], journal["name"]],
            "partner_id": invoice["partner_id"], "ref" if db.major < 18 else "memo":
            wizard["communication"], "move_id": [move_id, "/"],
            "outstanding_account_id": [outstanding["id"], outstanding["code"]],
            "state": "posted" if db.major < 18 else "in_process",
            "payment_type": direction, "invoice_id": invoice_id})
        if db.major >= 18 and invoice["payment_state"] == "paid":
            for payment in db.table("account.payment").values():
                if payment.get("invoice_id") == invoice_id:
                    payment["state"] = "paid"
    return {"type": "ir.actions.act_window_close"}


def _item(db: Database, move_id: int, account: dict[str, Any], balance: Decimal, *,
          name: Any, kind: str, **extra: Any) -> int:
    return db.insert("account.move.line", {
        "move_id": [move_id, "/"], "account_id": [account["id"], account["code"]],
        "name": name, "debit": max(balance, Decimal(0)), "credit": max(-balance, Decimal(0)),
        "balance": balance, "display_type": kind, **extra})


def _kind(db: Database, line_id: int) -> str:
    return str(db.table("account.move.line")[line_id]["display_type"])


def _line_account(db: Database, line: dict[str, Any],
                  journal: dict[str, Any]) -> dict[str, Any]:
    if line.get("account_id"):
        account = db.table("account.account").get(line["account_id"])
        if account is None:
            raise missing_error(f"Record does not exist or has been deleted. "
                                f"(Record: account.account({line['account_id']},))")
        return account
    product = db.table("product.product").get(line.get("product_id") or 0)
    if product is not None and product.get("property_account_income_id"):
        return db.table("account.account")[product["property_account_income_id"]]
    return db.table("account.account")[journal["default_account_id"]]


def tax_ids(commands: Any) -> list[int]:
    found: list[int] = []
    for command in commands or []:
        if isinstance(command, list | tuple) and command and command[0] == 6:
            found = [int(i) for i in command[2]]
        elif isinstance(command, list | tuple) and command and command[0] == 4:
            found.append(int(command[1]))
        else:
            raise validation_error(f"Unsupported tax_ids command {command!r}")
    return found


def _journal(db: Database, journal_id: Any, kind: str | None) -> dict[str, Any]:
    journal = db.table("account.journal").get(journal_id or 0)
    if journal is None and kind is not None:
        journal = next((j for j in db.table("account.journal").values()
                        if j["type"] == kind), None)
    if journal is None:
        raise validation_error("The journal of an entry is required")
    return journal


def _account(db: Database, code: str) -> dict[str, Any]:
    for account in db.table("account.account").values():
        if account["code"] == code:
            return account
    raise OdooError("odoo.exceptions.MissingError", f"no account {code}")
