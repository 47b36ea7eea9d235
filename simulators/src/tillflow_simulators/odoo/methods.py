"""The model methods the simulated Odoo answers, shared by both protocols.

Arguments arrive the way ``execute_kw`` hands them to Odoo's methods: the record ids (for
methods on records) and named parameters. Money is kept as Decimal and rounded to the
cent, like a company currency with two digits.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from tillflow_simulators.odoo import sales, stock
from tillflow_simulators.odoo.invoicing import (
    INVOICE_TYPES,
    create_invoice,
    create_payments,
    register_payment,
    tax_ids,
)
from tillflow_simulators.odoo.orm import (
    Database,
    OdooError,
    Record,
    missing_error,
    user_error,
    validation_error,
)

CENT = Decimal("0.01")
RECORD_METHODS = frozenset({"read", "write", "unlink", "action_post",
                            "action_create_payments", "action_apply_inventory",
                            "action_confirm", "create_invoices"})


def call(db: Database, model: str, method: str, *, ids: list[int] | None,
         kwargs: dict[str, Any], context: dict[str, Any]) -> Any:
    with db.lock:
        refuse_private(model, method)
        if method in RECORD_METHODS and ids is None:
            raise OdooError("builtins.TypeError", f"{model}.{method}() missing record ids")
        handler = _HANDLERS.get(method)
        if handler is None:
            raise OdooError("builtins.AttributeError",
                            f"The method '{method}' does not exist on the model '{model}'")
        return handler(db, model, ids or [], dict(kwargs), context)


def refuse_private(model: str, method: str) -> None:
    """Odoo's API serves public methods only, before looking at any argument."""
    if method.startswith("_"):
        raise OdooError("odoo.exceptions.AccessError", f"Private methods (such as "
                        f"'{model}.{method}') cannot be called remotely.")


def _search_read(db: Database, model: str, _ids: list[int], kw: dict[str, Any],
                 _ctx: dict[str, Any]) -> list[Record]:
    found = db.search(model, kw.get("domain") or [], offset=int(kw.get("offset") or 0),
                      limit=kw.get("limit") or None)
    return db.read(model, found, kw.get("fields"))


def _search(db: Database, model: str, _ids: list[int], kw: dict[str, Any],
            _ctx: dict[str, Any]) -> list[int]:
    return db.search(model, kw.get("domain") or [], offset=int(kw.get("offset") or 0),
                     limit=kw.get("limit") or None)


def _search_count(db: Database, model: str, _ids: list[int], kw: dict[str, Any],
                  _ctx: dict[str, Any]) -> int:
    return len(db.search(model, kw.get("domain") or []))


def _read(db: Database, model: str, ids: list[int], kw: dict[str, Any],
          _ctx: dict[str, Any]) -> list[Record]:
    return db.read(model, ids, kw.get("fields"))


def _create(db: Database, model: str, _ids: list[int], kw: dict[str, Any],
            ctx: dict[str, Any]) -> list[int] | int:
    values: Any = kw.get("vals_list", kw.get("values"))
    single = isinstance(values, dict)
    vals_list: list[dict[str, Any]] = [values] if single else list(values or [])
    created = [_create_one(db, model, vals, ctx) for vals in vals_list]
    return created[0] if single else created


def _create_one(db: Database, model: str, vals: dict[str, Any], ctx: dict[str, Any]) -> int:
    if model == "account.move" and vals.get("move_type") in INVOICE_TYPES:
        return create_invoice(db, vals)
    if model == "account.move":
        return _create_move(db, vals)
    if model == "account.payment.register":
        return register_payment(db, vals, ctx)
    if model == "stock.quant":
        return stock.create_quant(db, vals)
    if model == "sale.order":
        return sales.create_order(db, vals)
    if model == "sale.advance.payment.inv":
        return sales.create_wizard(db, vals, ctx)
    if model == "product.product":
        return _create_product(db, vals)
    return db.insert(model, _many2many(model, dict(vals)))


def _create_product(db: Database, vals: dict[str, Any]) -> int:
    """A product and its template, as Odoo makes one without variants: both active."""
    template = db.insert("product.template", {"name": vals.get("name"), "active": True})
    return db.insert("product.product", _many2many("product.product", {
        "active": True, **vals, "product_tmpl_id": [template, vals.get("name")]}))


def _many2many(model: str, vals: dict[str, Any]) -> dict[str, Any]:
    """A product's taxes as ids, whatever commands set them."""
    if model == "product.product" and "taxes_id" in vals:
        vals["taxes_id"] = tax_ids(vals["taxes_id"])
    return vals


def _create_move(db: Database, vals: dict[str, Any]) -> int:
    lines = vals.pop("line_ids", [])
    journal = db.table("account.journal").get(vals.get("journal_id", 0))
    if journal is None:
        raise validation_error("The journal of an entry is required")
    move_id = db.insert("account.move", {
        "move_type": vals.get("move_type", "entry"), "ref": vals.get("ref"),
        "date": date.fromisoformat(vals.get("date") or date.today().isoformat()),
        "journal_id": [journal["id"], journal["name"]], "state": "draft", "name": "/",
        "narration": vals.get("narration"), "line_ids": []})
    line_ids = []
    for command in lines:
        if not (isinstance(command, list | tuple) and len(command) == 3 and command[0] == 0):
            raise validation_error("line_ids takes (0, 0, values) commands on create")
        line_ids.append(_create_line(db, move_id, command[2]))
    db.table("account.move")[move_id]["line_ids"] = line_ids
    return move_id


def _create_line(db: Database, move_id: int, vals: dict[str, Any]) -> int:
    account = db.table("account.account").get(vals.get("account_id", 0))
    if account is None:
        raise missing_error(f"Record does not exist or has been deleted. "
                            f"(Record: account.account({vals.get('account_id')},))")
    debit = Decimal(str(vals.get("debit") or 0)).quantize(CENT)
    credit = Decimal(str(vals.get("credit") or 0)).quantize(CENT)
    if debit < 0 or credit < 0:
        raise validation_error("Wrong credit or debit value in accounting entry!")
    return db.insert("account.move.line", {
        "move_id": [move_id, "/"], "account_id": [account["id"], account["code"]],
        "name": vals.get("name"), "debit": debit, "credit": credit,
        "balance": debit - credit})


def _write(db: Database, model: str, ids: list[int], kw: dict[str, Any],
           _ctx: dict[str, Any]) -> bool:
    values = kw.get("vals", kw.get("values")) or {}
    for record in db.read(model, ids, ["id"]):
        stored = db.table(model)[record["id"]]
        if model == "account.move" and stored["state"] == "posted":
            raise user_error("You cannot modify a posted entry of this journal.")
        stored.update(_many2many(model, dict(values)))
        if model == "product.template" and "active" in values:
            _variants_follow(db, record["id"], active=bool(values["active"]))
        if model == "account.move" and values.get("invoice_date"):
            stored["date"] = date.fromisoformat(values["invoice_date"])  # an invoice's date
    return True


def _variants_follow(db: Database, template: int, *, active: bool) -> None:
    """Odoo archives a template's variants with it, and brings them back with it when
    none of them is active (its ``_create_variant_ids``)."""
    variants = [p for p in db.table("product.product").values()
                if (p.get("product_tmpl_id") or [None])[0] == template]
    if not active or not any(v.get("active") for v in variants):
        for variant in variants:
            variant["active"] = active


def _unlink(db: Database, model: str, ids: list[int], _kw: dict[str, Any],
            _ctx: dict[str, Any]) -> bool:
    for record in db.read(model, ids, ["id"]):
        stored = db.table(model)[record["id"]]
        if model == "sale.order" and stored["state"] not in ("draft", "cancel"):
            raise user_error("You can not delete a sent quotation or a confirmed sales order. "
                             "You must first cancel it.")
        if model == "account.move":
            if stored["state"] == "posted":
                raise user_error("You cannot delete an entry which has been posted once.")
            for line_id in stored["line_ids"]:
                del db.table("account.move.line")[line_id]
        del db.table(model)[record["id"]]
    return True


def _action_post(db: Database, model: str, ids: list[int], _kw: dict[str, Any],
                 _ctx: dict[str, Any]) -> bool:
    if model != "account.move":
        raise OdooError("builtins.AttributeError", f"{model} has no action_post")
    for record in db.read(model, ids, ["id"]):
        move = db.table(model)[record["id"]]
        lines = [db.table("account.move.line")[i] for i in move["line_ids"]]
        if not lines:
            raise user_error("You need to add a line before posting.")
        if sum((line["balance"] for line in lines), Decimal(0)) != 0:
            raise user_error("The entry is not balanced.")
        if db.lock_date is not None and move["date"] <= db.lock_date:
            raise user_error(f"You cannot add/modify entries prior to and inclusive of the "
                             f"lock date {db.lock_date.isoformat()}.")
        db.sequence += 1
        if move["move_type"] in INVOICE_TYPES and not move.get("invoice_date"):
            move["invoice_date"] = move["date"].isoformat()
        move.update(state="posted",
                    name=f"{move['journal_id'][1][:4].upper()}/{move['date'].year}/"
                         f"{db.sequence:05d}")
    return True


def _action_create_payments(db: Database, model: str, ids: list[int], _kw: dict[str, Any],
                            _ctx: dict[str, Any]) -> dict[str, Any]:
    if model != "account.payment.register":
        raise OdooError("builtins.AttributeError", f"{model} has no action_create_payments")
    return create_payments(db, ids)


def _action_apply_inventory(db: Database, model: str, ids: list[int], _kw: dict[str, Any],
                            _ctx: dict[str, Any]) -> bool:
    if model != "stock.quant":
        raise OdooError("builtins.AttributeError", f"{model} has no action_apply_inventory")
    return stock.apply_inventory(db, ids)


def _action_confirm(db: Database, model: str, ids: list[int], _kw: dict[str, Any],
                    _ctx: dict[str, Any]) -> bool:
    if model != "sale.order":
        raise OdooError("builtins.AttributeError", f"{model} has no action_confirm")
    return sales.confirm(db, ids)


def _create_invoices(db: Database, model: str, ids: list[int], _kw: dict[str, Any],
                     _ctx: dict[str, Any]) -> dict[str, Any]:
    if model != "sale.advance.payment.inv":
        raise OdooError("builtins.AttributeError", f"{model} has no create_invoices")
    return sales.create_invoices(db, ids)


_HANDLERS = {
    "search_read": _search_read, "search": _search, "search_count": _search_count,
    "read": _read, "create": _create, "write": _write, "unlink": _unlink,
    "action_post": _action_post, "action_create_payments": _action_create_payments,
    "action_apply_inventory": _action_apply_inventory, "action_confirm": _action_confirm,
    "create_invoices": _create_invoices,
}
