"""Products in the simulated Odoo, whose fields follow the version it reports.

Up to 17 a product's ``type`` (and ``detailed_type``, which sets it) is ``consu``,
``service`` or ``product`` (a product whose stock is tracked); from 18 ``type`` is
``consu``, ``service`` or ``combo`` and ``is_storable`` says whether stock is tracked
(``detailed_type`` and the ``product`` type gone). A field the version lacks is refused
as Odoo refuses it, ``Invalid field 'is_storable' on model 'product.product'``, on create,
write and read alike; so is a type the version lacks.
"""

from __future__ import annotations

from typing import Any

from tillflow_simulators.odoo.invoicing import tax_ids
from tillflow_simulators.odoo.orm import Database, OdooError, validation_error

STORABLE_FROM = 18
COMMON = frozenset({"id", "name", "default_code", "list_price", "standard_price", "barcode",
                    "taxes_id", "invoice_policy", "property_account_income_id", "type",
                    "active", "qty_available", "display_name", "product_tmpl_id",
                    "lst_price", "price_extra", "product_template_attribute_value_ids",
                    "categ_id"})


def fields(db: Database) -> frozenset[str]:
    extra = {"is_storable"} if db.major >= STORABLE_FROM else {"detailed_type"}
    return COMMON | extra


def types(db: Database) -> tuple[str, ...]:
    return ("consu", "service", "combo") if db.major >= STORABLE_FROM else (
        "consu", "service", "product")


def check_fields(db: Database, names: Any) -> None:
    for name in names or ():
        if name not in fields(db):
            raise OdooError("builtins.ValueError",
                            f"Invalid field {name!r} on model 'product.product'")


def new_product(db: Database) -> dict[str, Any]:
    """A product's values before its own."""
    return {"type": "consu", "list_price": 1.0, "standard_price": 0.0, "barcode": False,
            "taxes_id": [], "invoice_policy": "order", "active": True, "categ_id": False,
            **({"is_storable": False} if db.major >= STORABLE_FROM else {})}


def create(db: Database, vals: dict[str, Any]) -> int:
    check_fields(db, vals)
    record = new_product(db)
    record.update(template_values(db, vals))
    # A product comes with its template, as Odoo makes one without variants.
    template = db.insert("product.template", {
        key: record[key] for key in ("name", "active", "list_price", "taxes_id", "type",
                                     "categ_id", "is_storable") if key in record})
    db.table("product.template")[template]["attribute_line_ids"] = []
    record["product_tmpl_id"] = [template, record.get("name")]
    record["product_template_attribute_value_ids"] = []
    return db.insert("product.product", record)


def write(db: Database, record: dict[str, Any], vals: dict[str, Any]) -> None:
    check_fields(db, vals)
    before = dict(record)
    record.update(template_values(db, vals))
    try:
        check_barcodes(db)
    except OdooError:
        record.clear()
        record.update(before)  # Odoo rolls the refused write back
        raise


def check_barcodes(db: Database) -> None:
    """Odoo's ``_check_barcode_uniqueness``: an active barcode on one product only."""
    seen: dict[str, int] = {}
    for product in db.table("product.product").values():
        barcode = product.get("barcode")
        if barcode and product.get("active") is not False:
            if barcode in seen:
                raise validation_error(f'Barcode(s) already assigned:\n\n- Barcode '
                                       f'"{barcode}" already assigned to product(s): '
                                       f'{product.get("name")}')
            seen[barcode] = product["id"]


def is_storable(db: Database, product: dict[str, Any]) -> bool:
    if db.major >= STORABLE_FROM:
        return bool(product.get("is_storable"))
    return product.get("type") == "product"


def template_values(db: Database, vals: dict[str, Any]) -> dict[str, Any]:
    """``vals`` as stored: the type a detailed type sets, checked; taxes as ids."""
    values = dict(vals)
    if "detailed_type" in values:  # up to 17 the detailed type sets the type
        values["type"] = values["detailed_type"]
    if "type" in values and values["type"] not in types(db):
        raise OdooError("builtins.ValueError",
                        f"Wrong value for product.template.type: {values['type']!r}")
    if "taxes_id" in values:
        values["taxes_id"] = tax_ids(values["taxes_id"])
    if values.get("categ_id"):  # a many2one reads as [id, name]
        category = db.table("product.category").get(values["categ_id"])
        if category is None:
            raise OdooError("odoo.exceptions.MissingError", f"Record does not exist or has "
                            f"been deleted. (Record: product.category({values['categ_id']},))")
        values["categ_id"] = [category["id"], category["complete_name"]]
    return values
