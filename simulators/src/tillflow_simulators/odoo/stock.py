"""Stock in the simulated Odoo: quants, counts, deliveries and receipts, as Odoo keeps them.

Quants exist for products whose stock is tracked only (``products.is_storable``); others
are refused, ``Quants cannot be created for consumables or services.``

A count is a ``stock.quant`` created with ``inventory_quantity``. In inventory mode (the
``inventory_mode`` context) Odoo writes it on the existing quant of that product and
location, and notes the difference from the quantity then (``inventory_diff_quantity``);
without it, Odoo makes another quant of its own, whose whole count is the difference.
``action_apply_inventory`` moves each quant by its difference, from or to the inventory
adjustment location, and forgets the count; so a count without inventory mode adds to
what was there. When a quant's quantity moved after its count (a delivery validated
meanwhile), applying returns Odoo's *conflict* wizard instead (``stock.inventory.conflict``)
whose ``action_keep_counted_quantity`` sets the count anew and applies it.

Confirming a sale order makes its delivery (``stock.picking``, outgoing, a move per goods
line, the quantity reserved from what is there). Validating it (``button_validate``)
needs quantities on its moves (written through the picking's ``move_ids``), asks the
backorder wizard when they are short of the demand, and otherwise moves the goods out,
negative if need be, and marks the order lines delivered. Goods received from a supplier
are done moves from the supplier location, as a validated receipt leaves.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow_simulators.odoo import products
from tillflow_simulators.odoo.orm import Database, missing_error, user_error, validation_error

INVENTORY_FIELDS = frozenset({"product_id", "location_id", "lot_id", "package_id",
                              "owner_id", "inventory_quantity", "user_id", "inventory_date"})
CONFLICT = "stock.inventory.conflict"
NO_QUANTITY = {17: "You cannot validate a transfer if no quantities are reserved. To force "
                   "the transfer, encode quantities.",
               19: "Transfer trouble alert! Validating a zero quantity transfer? You're not "
                   "moving invisible goods around are you?\nSet some quantities and let's "
                   "get moving!"}


def location_names(db: Database) -> dict[str, str]:
    """Usage → full name: Odoo 17 files partners and virtual locations under parents."""
    if db.major >= 18:
        return {"supplier": "Vendors", "customer": "Customers",
                "inventory": "Inventory adjustment", "internal": "WH/Stock"}
    return {"supplier": "Partners/Vendors", "customer": "Partners/Customers",
            "inventory": "Virtual Locations/Inventory adjustment", "internal": "WH/Stock"}


def seed(db: Database) -> None:
    ids = {usage: db.insert("stock.location", {"complete_name": name, "name": name,
                                               "usage": usage, "barcode": None})
           for usage, name in location_names(db).items()}
    db.insert("stock.warehouse", {"name": "WH", "code": "WH",
                                  "lot_stock_id": [ids["internal"], "WH/Stock"]})


def create_quant(db: Database, vals: dict[str, Any], context: dict[str, Any]) -> int:
    product = _record(db, "product.product", vals.get("product_id"))
    location = _record(db, "stock.location", vals.get("location_id"))
    if not products.is_storable(db, product):
        raise validation_error("Quants cannot be created for consumables or services.")
    counted = Decimal(str(vals.get("inventory_quantity") or 0))
    if context.get("inventory_mode") and "inventory_quantity" in vals:
        if set(vals) - INVENTORY_FIELDS:
            raise user_error("Quant's creation is restricted, you can't do this operation.")
        quant = _quant(db, product, location)
        quant.update(inventory_quantity=counted, inventory_quantity_set=True,
                     inventory_diff_quantity=counted - quant["quantity"])
        return int(quant["id"])
    return _new_quant(db, product, location, inventory_quantity=counted,
                      inventory_quantity_set="inventory_quantity" in vals,
                      inventory_diff_quantity=counted)


def apply_inventory(db: Database, ids: list[int], context: dict[str, Any]) -> Any:
    quants = [_record(db, "stock.quant", quant_id) for quant_id in ids]
    outdated = [q["id"] for q in quants if _outdated(q)]
    if outdated:
        return {"name": "Conflict in Inventory Adjustment", "type": "ir.actions.act_window",
                "view_mode": "form", "views": [[False, "form"]], "res_model": CONFLICT,
                "target": "new", "context": {**context, "default_quant_ids": ids,
                                             "default_quant_to_fix_ids": outdated}}
    adjustment = _location(db, "inventory")
    for quant in quants:
        difference = quant["inventory_diff_quantity"]
        if difference:
            inbound = difference > 0
            _done_move(db, quant["product_id"], abs(difference),
                       source=adjustment if inbound else quant["location_id"],
                       destination=quant["location_id"] if inbound else adjustment,
                       reference="Product Quantity Updated")
            quant["quantity"] += difference
        quant.update(inventory_quantity=Decimal(0), inventory_diff_quantity=Decimal(0),
                     inventory_quantity_set=False)
    return None


def create_conflict(db: Database, vals: dict[str, Any]) -> int:
    return db.insert(CONFLICT, {"quant_ids": _ids(vals.get("quant_ids")),
                                "quant_to_fix_ids": _ids(vals.get("quant_to_fix_ids"))})


def keep_counted_quantity(db: Database, ids: list[int], context: dict[str, Any]) -> Any:
    quant_ids: list[int] = []
    for wizard in db.read(CONFLICT, ids, None):
        for quant_id in wizard["quant_ids"]:
            quant = _record(db, "stock.quant", quant_id)
            quant["inventory_diff_quantity"] = quant["inventory_quantity"] - quant["quantity"]
            quant_ids.append(quant_id)
    return apply_inventory(db, quant_ids, context)


def create_delivery(db: Database, order: dict[str, Any],
                    lines: list[dict[str, Any]]) -> int | None:
    goods = [line for line in lines if db.table("product.product")[line["product_id"][0]]
             ["type"] in ("consu", "product")]
    if not goods:
        return None
    stock, customers = _location(db, "internal"), _location(db, "customer")
    picking = db.insert("stock.picking", {
        "name": f"WH/OUT/{len(db.table('stock.picking')) + 1:05d}", "origin": order["name"],
        "picking_type_code": "outgoing", "state": "confirmed", "move_ids": [],
        "location_id": stock, "location_dest_id": customers})
    moves = []
    for line in goods:
        product = db.table("product.product")[line["product_id"][0]]
        available = max(_quant(db, product, db.table("stock.location")[stock[0]])["quantity"],
                        Decimal(0)) if products.is_storable(db, product) else line[
            "product_uom_qty"]
        reserved = min(available, line["product_uom_qty"])
        moves.append(db.insert("stock.move", {
            "product_id": line["product_id"], "product_uom_qty": line["product_uom_qty"],
            "quantity": reserved, "picked": False, "sale_line_id": [line["id"], line["name"]],
            "state": "assigned" if reserved == line["product_uom_qty"] else "confirmed",
            "location_id": stock, "location_dest_id": customers,
            "reference": db.table("stock.picking")[picking]["name"], "picking_id": picking}))
    states = {db.table("stock.move")[m]["state"] for m in moves}
    db.table("stock.picking")[picking].update(
        move_ids=moves, state="assigned" if states == {"assigned"} else "confirmed")
    return picking


def write_picking(db: Database, picking: dict[str, Any], vals: dict[str, Any]) -> None:
    for command in vals.pop("move_ids", None) or []:
        if not (isinstance(command, list | tuple) and len(command) == 3 and command[0] == 1):
            raise validation_error("The simulator writes moves with (1, id, values) only")
        move = _record(db, "stock.move", command[1])
        done = "quantity" if db.major >= 17 else "quantity_done"
        move.update({key: Decimal(str(value)) if key == done else value
                     for key, value in command[2].items()})
    picking.update(vals)


def validate(db: Database, ids: list[int]) -> Any:
    done = "quantity" if db.major >= 17 else "quantity_done"
    for picking in (_record(db, "stock.picking", picking_id) for picking_id in ids):
        if picking["state"] in ("done", "cancel"):
            continue
        moves = [db.table("stock.move")[m] for m in picking["move_ids"]]
        if all(not Decimal(str(m.get(done) or 0)) for m in moves):
            raise user_error(NO_QUANTITY[19 if db.major >= 18 else 17])
        if any(Decimal(str(m.get(done) or 0)) < m["product_uom_qty"] for m in moves):
            return {"name": "Create Backorder?", "type": "ir.actions.act_window",
                    "res_model": "stock.backorder.confirmation", "target": "new",
                    "context": {"button_validate_picking_ids": [picking["id"]]}}
        for move in moves:
            _deliver(db, move, Decimal(str(move[done])))
        picking["state"] = "done"
    return True


def receive(db: Database, *, product_id: int, quantity: Decimal, reference: str) -> int:
    """Goods from a supplier, validated into WH/Stock (what a done receipt leaves)."""
    product = _record(db, "product.product", product_id)
    stock = _location(db, "internal")
    quant = _quant(db, product, db.table("stock.location")[stock[0]])
    quant["quantity"] += quantity
    return _done_move(db, [product["id"], product["name"]], quantity,
                      source=_location(db, "supplier"), destination=stock,
                      reference=reference)


def _deliver(db: Database, move: dict[str, Any], quantity: Decimal) -> None:
    product = db.table("product.product")[move["product_id"][0]]
    if products.is_storable(db, product):
        _quant(db, product, db.table("stock.location")[move["location_id"][0]])[
            "quantity"] -= quantity
    move.update(state="done", picked=True)
    line = db.table("sale.order.line").get(move["sale_line_id"][0])
    if line is not None:
        line["qty_delivered"] += quantity


def _outdated(quant: dict[str, Any]) -> bool:
    return bool(quant["inventory_quantity_set"]) and (
        quant["inventory_quantity"] - quant["inventory_diff_quantity"] != quant["quantity"])


def _quant(db: Database, product: dict[str, Any], location: dict[str, Any]) -> dict[str, Any]:
    """The quant of ``product`` at ``location``, made empty when there is none."""
    for quant in db.table("stock.quant").values():
        if quant["product_id"][0] == product["id"] and quant["location_id"][0] == location["id"]:
            return quant
    return db.table("stock.quant")[_new_quant(db, product, location)]


def _new_quant(db: Database, product: dict[str, Any], location: dict[str, Any],
               **counted: Any) -> int:
    return db.insert("stock.quant", {
        "product_id": [product["id"], product["name"]],
        "location_id": [location["id"], location["complete_name"]], "quantity": Decimal(0),
        "inventory_quantity": Decimal(0), "inventory_diff_quantity": Decimal(0),
        "inventory_quantity_set": False, **counted})


def _done_move(db: Database, product: list[Any], quantity: Decimal, *, source: list[Any],
               destination: list[Any], reference: str) -> int:
    return db.insert("stock.move", {
        "product_id": product, "product_uom_qty": quantity, "quantity": quantity,
        "quantity_done": quantity, "picked": True, "state": "done", "location_id": source,
        "location_dest_id": destination, "reference": reference, "picking_id": False})


def _location(db: Database, usage: str) -> list[Any]:
    found = next(loc for loc in db.table("stock.location").values() if loc["usage"] == usage)
    return [found["id"], found["complete_name"]]


def _ids(commands: Any) -> list[int]:
    found: list[int] = []
    for command in commands or []:
        if isinstance(command, list | tuple) and command and command[0] == 6:
            found = [int(i) for i in command[2]]
    return found


def _record(db: Database, model: str, record_id: Any) -> dict[str, Any]:
    record = db.table(model).get(record_id or 0)
    if record is None:
        raise missing_error(f"Record does not exist or has been deleted. "
                            f"(Record: {model}({record_id},))")
    return record
