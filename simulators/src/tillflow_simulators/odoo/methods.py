"""The model methods the simulated Odoo answers, shared by both protocols.

Arguments arrive the way Odoo's methods take them: the record ids (for methods on
records) and named parameters. Each call runs as the signed-in user (``context["uid"]``),
whose access rights are checked as Odoo's ``ir.model.access`` would
(``check_access_rights``; a refused create, write or unlink is an ``AccessError``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from tillflow_simulators.odoo import products, sales, stock, variants
from tillflow_simulators.odoo.invoicing import (
    INVOICE_TYPES,
    create_invoice,
    create_payments,
    register_payment,
)
from tillflow_simulators.odoo.orm import (
    Database,
    OdooError,
    Record,
    missing_error,
    user_error,
    validation_error,
)

RECORD_METHODS = frozenset({"read", "write", "unlink", "action_post",
                            "action_create_payments", "action_apply_inventory",
                            "action_confirm", "create_invoices", "button_validate",
                            "action_keep_counted_quantity"})
OPERATIONS = frozenset({"read", "write", "create", "unlink"})


def call(db: Database, model: str, method: str, *, ids: list[int] | None,
         kwargs: dict[str, Any], context: dict[str, Any]) -> Any:
    with db.lock:
        refuse_private(model, method)
        db.table(model)  # an unknown model (its module not installed) fails first
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


def allowed(db: Database, context: dict[str, Any], model: str, operation: str) -> bool:
    user = db.table("res.users").get(context.get("uid") or 0)
    return user is not None and [model, operation] not in user.get("denied", [])


def _require(db: Database, context: dict[str, Any], model: str, operation: str) -> None:
    if not allowed(db, context, model, operation):
        raise OdooError("odoo.exceptions.AccessError",
                        f"You are not allowed to {operation} '{model}' records.")


def _check_access_rights(db: Database, model: str, _ids: list[int], kw: dict[str, Any],
                         ctx: dict[str, Any]) -> bool:
    operation = kw.get("operation")
    if operation not in OPERATIONS:
        raise OdooError("builtins.ValueError", f"Invalid access mode {operation!r}")
    if kw.get("raise_exception", True):
        _require(db, ctx, model, operation)
    return allowed(db, ctx, model, operation)


def _context_get(db: Database, model: str, _ids: list[int], _kw: dict[str, Any],
                 ctx: dict[str, Any]) -> dict[str, Any]:
    if model != "res.users":
        raise OdooError("builtins.AttributeError", f"{model} has no context_get")
    return {"lang": "en_US", "tz": False, "uid": ctx.get("uid")}


def _search_read(db: Database, model: str, _ids: list[int], kw: dict[str, Any],
                 ctx: dict[str, Any]) -> list[Record]:
    return _read(db, model, _search(db, model, [], kw, ctx), kw, ctx)


def _search(db: Database, model: str, _ids: list[int], kw: dict[str, Any],
            ctx: dict[str, Any]) -> list[int]:
    domain = kw.get("domain") or []
    variants.check_fields(db, model, [str(term[0]).split(".")[0] for term in domain
                                      if isinstance(term, list | tuple)])
    return db.search(model, domain, offset=int(kw.get("offset") or 0),
                     limit=kw.get("limit") or None, archived_too=ctx.get("active_test") is False)


def _search_count(db: Database, model: str, _ids: list[int], kw: dict[str, Any],
                  ctx: dict[str, Any]) -> int:
    return len(_search(db, model, [], {"domain": kw.get("domain")}, ctx))


def _read(db: Database, model: str, ids: list[int], kw: dict[str, Any],
          _ctx: dict[str, Any]) -> list[Record]:
    _checked_fields(db, model, kw.get("fields"))
    return db.read(model, ids, kw.get("fields"),
                   compute=lambda record: variants.computed(db, model, record))


def _checked_fields(db: Database, model: str, names: Any) -> None:
    if model == "product.product":
        products.check_fields(db, names)
    else:
        variants.check_fields(db, model, names)


def _create(db: Database, model: str, _ids: list[int], kw: dict[str, Any],
            ctx: dict[str, Any]) -> list[int] | int:
    _require(db, ctx, model, "create")
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
    if model == "product.product":
        return products.create(db, vals)
    if variants.fields_of(db, model) is not None:
        return variants.create(db, model, vals)
    if model == "stock.quant":
        return stock.create_quant(db, vals, ctx)
    if model == stock.CONFLICT:
        return stock.create_conflict(db, vals)
    if model == "sale.order":
        return sales.create_order(db, vals)
    if model == "sale.advance.payment.inv":
        return sales.create_wizard(db, vals, ctx)
    return db.insert(model, dict(vals))


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
    debit = db.money(Decimal(str(vals.get("debit") or 0)))
    credit = db.money(Decimal(str(vals.get("credit") or 0)))
    if debit < 0 or credit < 0:
        raise validation_error("Wrong credit or debit value in accounting entry!")
    return db.insert("account.move.line", {
        "move_id": [move_id, "/"], "account_id": [account["id"], account["code"]],
        "name": vals.get("name"), "debit": debit, "credit": credit,
        "balance": debit - credit})


def _write(db: Database, model: str, ids: list[int], kw: dict[str, Any],
           ctx: dict[str, Any]) -> bool:
    _require(db, ctx, model, "write")
    values = kw.get("vals", kw.get("values")) or {}
    for record in db.read(model, ids, ["id"]):
        stored = db.table(model)[record["id"]]
        if model == "account.move" and stored["state"] == "posted":
            raise user_error("You cannot modify a posted entry of this journal.")
        if model == "product.product":
            products.write(db, stored, values)
        elif model == "product.template":
            variants.write_template(db, stored, values)
        elif model == "stock.picking":
            stock.write_picking(db, stored, dict(values))
        else:
            _checked_fields(db, model, values)
            stored.update(values)
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
            ctx: dict[str, Any]) -> bool:
    _require(db, ctx, model, "unlink")
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


def _on(expected: str, name: str, model: str) -> None:
    if model != expected:
        raise OdooError("builtins.AttributeError",
                        f"The method '{name}' does not exist on the model '{model}'")


def _action_create_payments(db: Database, model: str, ids: list[int], _kw: dict[str, Any],
                            _ctx: dict[str, Any]) -> dict[str, Any]:
    _on("account.payment.register", "action_create_payments", model)
    return create_payments(db, ids)


def _action_apply_inventory(db: Database, model: str, ids: list[int], _kw: dict[str, Any],
                            ctx: dict[str, Any]) -> Any:
    _on("stock.quant", "action_apply_inventory", model)
    return stock.apply_inventory(db, ids, ctx)


def _action_keep_counted_quantity(db: Database, model: str, ids: list[int],
                                  _kw: dict[str, Any], ctx: dict[str, Any]) -> Any:
    _on(stock.CONFLICT, "action_keep_counted_quantity", model)
    return stock.keep_counted_quantity(db, ids, ctx)


def _action_confirm(db: Database, model: str, ids: list[int], _kw: dict[str, Any],
                    _ctx: dict[str, Any]) -> bool:
    _on("sale.order", "action_confirm", model)
    return sales.confirm(db, ids)


def _create_invoices(db: Database, model: str, ids: list[int], _kw: dict[str, Any],
                     _ctx: dict[str, Any]) -> dict[str, Any]:
    _on("sale.advance.payment.inv", "create_invoices", model)
    return sales.create_invoices(db, ids)


def _button_validate(db: Database, model: str, ids: list[int], _kw: dict[str, Any],
                     _ctx: dict[str, Any]) -> Any:
    _on("stock.picking", "button_validate", model)
    return stock.validate(db, ids)


_HANDLERS = {
    "search_read": _search_read, "search": _search, "search_count": _search_count,
    "read": _read, "create": _create, "write": _write, "unlink": _unlink,
    "check_access_rights": _check_access_rights, "context_get": _context_get,
    "action_post": _action_post, "action_create_payments": _action_create_payments,
    "action_apply_inventory": _action_apply_inventory,
    "action_keep_counted_quantity": _action_keep_counted_quantity,
    "action_confirm": _action_confirm, "create_invoices": _create_invoices,
    "button_validate": _button_validate,
}
