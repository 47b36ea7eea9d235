"""Stock in the simulated Odoo: quants in inventory mode and the moves they leave.

``stock.quant`` created with ``inventory_quantity`` (Odoo's inventory mode) records a
count for (product, location), the existing quant when there is one, as Odoo does;
``action_apply_inventory`` sets the quant's quantity to it and leaves a done
``stock.move`` from the inventory-adjustment location for the difference. Goods received
from a supplier are done moves from the supplier location, as a validated receipt leaves.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow_simulators.odoo.orm import Database, missing_error, user_error

LOCATIONS = (("Partners/Vendors", "supplier"), ("Partners/Customers", "customer"),
             ("Virtual Locations/Inventory adjustment", "inventory"), ("WH/Stock", "internal"))


def seed(db: Database) -> None:
    ids = {name: db.insert("stock.location", {"complete_name": name, "name": name,
                                              "usage": usage, "barcode": None})
           for name, usage in LOCATIONS}
    db.insert("stock.warehouse", {"name": "WH", "code": "WH",
                                  "lot_stock_id": [ids["WH/Stock"], "WH/Stock"]})


def create_quant(db: Database, vals: dict[str, Any]) -> int:
    product = _record(db, "product.product", vals.get("product_id"))
    location = _record(db, "stock.location", vals.get("location_id"))
    for quant in db.table("stock.quant").values():
        if quant["product_id"][0] == product["id"] and quant["location_id"][0] == location["id"]:
            if "inventory_quantity" in vals:
                quant["inventory_quantity"] = Decimal(str(vals["inventory_quantity"]))
                quant["inventory_quantity_set"] = True
            return int(quant["id"])
    return db.insert("stock.quant", {
        "product_id": [product["id"], product["name"]],
        "location_id": [location["id"], location["complete_name"]],
        "quantity": Decimal(0),
        "inventory_quantity": Decimal(str(vals.get("inventory_quantity") or 0)),
        "inventory_quantity_set": "inventory_quantity" in vals})


def apply_inventory(db: Database, ids: list[int]) -> bool:
    adjustment = next(loc for loc in db.table("stock.location").values()
                      if loc["usage"] == "inventory")
    for quant_id in ids:
        quant = _record(db, "stock.quant", quant_id)
        if not quant["inventory_quantity_set"]:
            raise user_error("Only quants with a counted quantity can be applied.")
        difference = quant["inventory_quantity"] - quant["quantity"]
        if difference:
            inbound = difference > 0
            here = quant["location_id"]
            there = [adjustment["id"], adjustment["complete_name"]]
            db.insert("stock.move", {
                "product_id": quant["product_id"], "product_uom_qty": abs(difference),
                "quantity": abs(difference), "state": "done",
                "location_id": there if inbound else here,
                "location_dest_id": here if inbound else there,
                "reference": "Product Quantity Updated", "picking_id": False})
        quant.update(quantity=quant["inventory_quantity"], inventory_quantity=Decimal(0),
                     inventory_quantity_set=False)
    return True


def receive(db: Database, *, product_id: int, quantity: Decimal, reference: str) -> int:
    """Goods from a supplier, validated into WH/Stock (what a done receipt leaves)."""
    locations = {loc["usage"]: loc for loc in db.table("stock.location").values()
                 if loc["usage"] in ("supplier", "internal")}
    supplier, stock = locations["supplier"], locations["internal"]
    product = _record(db, "product.product", product_id)
    for quant in db.table("stock.quant").values():
        if quant["product_id"][0] == product_id and quant["location_id"][0] == stock["id"]:
            quant["quantity"] += quantity
            break
    else:
        db.insert("stock.quant", {
            "product_id": [product["id"], product["name"]],
            "location_id": [stock["id"], stock["complete_name"]], "quantity": quantity,
            "inventory_quantity": Decimal(0), "inventory_quantity_set": False})
    return db.insert("stock.move", {
        "product_id": [product["id"], product["name"]], "product_uom_qty": quantity,
        "quantity": quantity, "state": "done",
        "location_id": [supplier["id"], supplier["complete_name"]],
        "location_dest_id": [stock["id"], stock["complete_name"]],
        "reference": reference, "picking_id": False})


def _record(db: Database, model: str, record_id: Any) -> dict[str, Any]:
    record = db.table(model).get(record_id or 0)
    if record is None:
        raise missing_error(f"Record does not exist or has been deleted. "
                            f"(Record: {model}({record_id},))")
    return record
