"""Product templates with attributes in the simulated Odoo, as Odoo's ``product`` module
keeps them (``product_template.py``, ``product_template_attribute_line.py`` and
``product_template_attribute_value.py`` of 17.0 and 19.0).

- A ``product.attribute`` has values (``product.attribute.value``, unique by name within
  it); on 19 both can be archived (``active``).
- A template's ``attribute_line_ids`` take one2many commands: (0, 0, vals) adds a line,
  (1, id, vals) changes its ``value_ids`` (many2many commands 3, 4 and 6), (2, id)
  deletes it. Each line value is a ``product.template.attribute.value`` carrying its
  ``price_extra``; one removed becomes inactive (``ptav_active``) when a variant that
  Odoo archived still refers to it, and comes back when the value is added again.
- After each change the template's variants follow (``_create_variant_ids``): one per
  combination of the lines' active values; an archived one whose combination is possible
  again comes back; a line with one value is added to the existing variants instead of
  replacing them; the others are deleted, or archived when stock moves refer to them.
  Deleting a line with one value takes its value off the variants.
- A variant's ``lst_price`` is its template's ``list_price`` plus its values' extras;
  name, price and taxes are the template's.
- A line without values, a value of another attribute, a value name twice in an
  attribute, and an active barcode on two products are refused with Odoo's messages.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from tillflow_simulators.odoo.orm import Database, OdooError, Record, validation_error
from tillflow_simulators.odoo.products import (
    STORABLE_FROM,
    check_barcodes,
    new_product,
    template_values,
)

ARCHIVABLE_FROM = 19  # attributes and their values have ``active`` (not in 17.0's code)
ATTRIBUTE = frozenset({"id", "name", "create_variant", "display_type", "value_ids",
                       "sequence"})
VALUE = frozenset({"id", "name", "attribute_id", "default_extra_price", "sequence"})
LINE = frozenset({"id", "product_tmpl_id", "attribute_id", "value_ids", "active", "sequence"})
TEMPLATE_VALUE = frozenset({"id", "name", "price_extra", "ptav_active", "attribute_id",
                            "product_attribute_value_id", "attribute_line_id",
                            "product_tmpl_id"})
CATEGORY = frozenset({"id", "name", "parent_id", "complete_name"})
TEMPLATE = frozenset({"id", "name", "list_price", "default_code", "barcode", "taxes_id",
                      "categ_id", "active", "type", "attribute_line_ids",
                      "product_variant_ids", "standard_price", "display_name"})
# What a variant shares with its template (related fields in Odoo).
SHARED = ("name", "list_price", "taxes_id", "categ_id", "type", "is_storable",
          "detailed_type")
CREATE_VARIANT = ("always", "dynamic", "no_variant")


def fields_of(db: Database, model: str) -> frozenset[str] | None:
    """The fields ``model`` serves on this version (None: not checked here)."""
    archivable = {"active"} if db.major >= ARCHIVABLE_FROM else set()
    storable = {"is_storable"} if db.major >= STORABLE_FROM else {"detailed_type"}
    return {"product.attribute": ATTRIBUTE | archivable,
            "product.attribute.value": VALUE | archivable,
            "product.template.attribute.line": LINE,
            "product.template.attribute.value": TEMPLATE_VALUE,
            "product.category": CATEGORY,
            "product.template": TEMPLATE | storable}.get(model)


def check_fields(db: Database, model: str, names: Any) -> None:
    known = fields_of(db, model)
    for name in names or ():
        if known is not None and name not in known:
            raise OdooError("builtins.ValueError", f"Invalid field {name!r} on model {model!r}")


def create(db: Database, model: str, vals: Record) -> int:
    check_fields(db, model, vals)
    if model == "product.attribute":
        if vals.get("create_variant", "always") not in CREATE_VARIANT:
            raise OdooError("builtins.ValueError", "Wrong value for "
                            f"product.attribute.create_variant: {vals['create_variant']!r}")
        return db.insert(model, {"create_variant": "always", **vals})
    if model == "product.attribute.value":
        return _create_value(db, vals)
    if model == "product.category":
        return _create_category(db, vals)
    return _create_template(db, vals)


def _create_value(db: Database, vals: Record) -> int:
    attribute = _record(db, "product.attribute", vals.get("attribute_id"))
    if any(v["attribute_id"][0] == attribute["id"] and v["name"] == vals.get("name")
           for v in db.table("product.attribute.value").values()):
        raise validation_error("You cannot create two values with the same name for the "
                               "same attribute.")
    return db.insert("product.attribute.value", {
        "default_extra_price": 0.0, **vals,
        "attribute_id": [attribute["id"], attribute["name"]]})


def _create_category(db: Database, vals: Record) -> int:
    parent = vals.get("parent_id") or False
    prefix = f"{_record(db, 'product.category', parent)['complete_name']} / " if parent else ""
    return db.insert("product.category", {
        "name": vals["name"], "complete_name": prefix + vals["name"],
        "parent_id": [parent, prefix.removesuffix(" / ")] if parent else False})


def _create_template(db: Database, vals: Record) -> int:
    values = template_values(db, {key: value for key, value in vals.items()
                                  if key not in ("attribute_line_ids", "default_code",
                                                 "barcode")})
    template = db.insert("product.template", {
        "list_price": 1.0, "taxes_id": [], "categ_id": False, "active": True,
        "type": "consu", **values, "attribute_line_ids": []})
    _line_commands(db, template, vals.get("attribute_line_ids") or [])
    create_variants(db, template)
    variants = variants_of(db, template)
    if len(variants) == 1:  # Odoo sets these on the only variant after creating it
        variants[0].update({key: vals[key] for key in ("default_code", "barcode")
                            if vals.get(key)})
        check_barcodes(db)
    return template


def write_template(db: Database, template: Record, vals: Record) -> None:
    check_fields(db, "product.template", vals)
    values = template_values(db, {key: value for key, value in vals.items()
                                  if key != "attribute_line_ids"})
    template.update(values)
    for variant in variants_of(db, template["id"]):
        variant.update({key: values[key] for key in SHARED if key in values})
        if "name" in values:
            variant["product_tmpl_id"] = [template["id"], values["name"]]
    if "attribute_line_ids" in vals:
        _line_commands(db, template["id"], vals["attribute_line_ids"])
        create_variants(db, template["id"])
    elif vals.get("active") and not variants_of(db, template["id"], active=True):
        create_variants(db, template["id"])


def _line_commands(db: Database, template: int, commands: list[Any]) -> None:
    for command in commands:
        if not isinstance(command, list | tuple) or command[0] not in (0, 1, 2):
            raise validation_error(f"attribute_line_ids takes commands 0, 1 and 2: {command!r}")
        if command[0] == 0:
            _add_line(db, template, command[2])
        elif command[0] == 1:
            line = _record(db, "product.template.attribute.line", command[1])
            check_fields(db, "product.template.attribute.line", command[2])
            if "value_ids" in command[2]:
                changed = {**line, "value_ids": _many2many(line["value_ids"],
                                                           command[2]["value_ids"])}
                _check_line(db, changed)
                line.update(changed)
                _update_values(db, line)
        else:
            _delete_line(db, _record(db, "product.template.attribute.line", command[1]))


def _add_line(db: Database, template: int, vals: Record) -> None:
    check_fields(db, "product.template.attribute.line", vals)
    attribute = _record(db, "product.attribute", vals.get("attribute_id"))
    line = {"product_tmpl_id": [template, db.table("product.template")[template]["name"]],
            "attribute_id": [attribute["id"], attribute["name"]], "active": True,
            "sequence": vals.get("sequence", 10),
            "value_ids": _many2many([], vals.get("value_ids") or [])}
    _check_line(db, line)
    line_id = db.insert("product.template.attribute.line", line)
    line = db.table("product.template.attribute.line")[line_id]
    db.table("product.template")[template]["attribute_line_ids"].append(line_id)
    _update_values(db, line)


def _check_line(db: Database, line: Record) -> None:
    template = db.table("product.template")[line["product_tmpl_id"][0]]
    if not line["value_ids"]:
        raise validation_error(f"The attribute {line['attribute_id'][1]} must have at least "
                               f"one value for the product {template['name']}.")
    for value_id in line["value_ids"]:
        value = _record(db, "product.attribute.value", value_id)
        if value["attribute_id"][0] != line["attribute_id"][0]:
            raise validation_error(
                f"On the product {template['name']} you cannot associate the value "
                f"{value['name']} with the attribute {line['attribute_id'][1]} because they "
                f"do not match.")


def _many2many(current: list[int], commands: list[Any]) -> list[int]:
    ids = list(current)
    for command in commands:
        if command[0] == 6:
            ids = list(command[2])
        elif command[0] == 4 and command[1] not in ids:
            ids.append(command[1])
        elif command[0] == 3 and command[1] in ids:
            ids.remove(command[1])
        elif command[0] not in (3, 4):
            raise validation_error(f"value_ids takes commands 3, 4 and 6: {command!r}")
    return ids


def _update_values(db: Database, line: Record) -> None:
    """The line's template values follow its ``value_ids`` (Odoo's
    ``_update_product_template_attribute_values``)."""
    mine = [v for v in db.table("product.template.attribute.value").values()
            if v["attribute_line_id"][0] == line["id"]]
    gone = [v for v in mine if v["product_attribute_value_id"][0] not in line["value_ids"]
            and v["ptav_active"]]
    present = {v["product_attribute_value_id"][0]: v for v in mine}
    for value_id in line["value_ids"]:
        if value_id in present:
            present[value_id]["ptav_active"] = True
            continue
        value = db.table("product.attribute.value")[value_id]
        db.insert("product.template.attribute.value", {
            "name": value["name"], "price_extra": value.get("default_extra_price", 0.0),
            "ptav_active": True, "attribute_id": line["attribute_id"],
            "product_attribute_value_id": [value_id, value["name"]],
            "attribute_line_id": [line["id"], line["attribute_id"][1]],
            "product_tmpl_id": line["product_tmpl_id"]})
    _unlink_values(db, gone)


def _unlink_values(db: Database, values: list[Record]) -> None:
    """A line's only value leaves the variants; the variants of the others go (deleted
    or archived) and the value with them, unless an archived variant keeps it."""
    table = db.table("product.template.attribute.value")
    for value in values:
        line_values = [v for v in table.values()
                       if v["attribute_line_id"][0] == value["attribute_line_id"][0]]
        using = _using(db, value["id"])
        if len(line_values) == 1:
            for variant in using:
                variant["product_template_attribute_value_ids"] = [
                    v for v in variant["product_template_attribute_value_ids"] if v != value["id"]]
        else:
            _unlink_or_archive(db, using)
        if _using(db, value["id"]):
            value["ptav_active"] = False
        else:
            del table[value["id"]]


def _delete_line(db: Database, line: Record) -> None:
    template = line["product_tmpl_id"][0]
    _unlink_values(db, [v for v in db.table("product.template.attribute.value").values()
                        if v["attribute_line_id"][0] == line["id"] and v["ptav_active"]])
    if any(v["attribute_line_id"][0] == line["id"]
           for v in db.table("product.template.attribute.value").values()):
        line.update(active=False, value_ids=[])
    else:
        del db.table("product.template.attribute.line")[line["id"]]
    db.table("product.template")[template]["attribute_line_ids"].remove(line["id"])


def create_variants(db: Database, template_id: int) -> None:
    """Odoo's ``_create_variant_ids`` for one template."""
    template = db.table("product.template")[template_id]
    lines = [db.table("product.template.attribute.line")[i]
             for i in template["attribute_line_ids"]]
    values = [[v["id"] for v in db.table("product.template.attribute.value").values()
               if v["attribute_line_id"][0] == line["id"] and v["ptav_active"]]
              for line in lines]
    variants = sorted(variants_of(db, template_id), key=lambda v: (v["active"], -v["id"]))
    single = {ids[0] for ids in values if len(ids) == 1}
    for variant in variants:
        extended = set(variant.get("product_template_attribute_value_ids") or []) | single
        if len(extended) == len(lines) and _lines_of(db, extended) == {
                line["id"] for line in lines}:
            variant["product_template_attribute_value_ids"] = sorted(extended)
    existing = {frozenset(v.get("product_template_attribute_value_ids") or []): v
                for v in variants}
    kept = []
    for combination in itertools.product(*values):
        found = existing.get(frozenset(combination))
        if found is not None:
            found["active"] = True
            kept.append(found["id"])
        else:
            kept.append(_create_variant(db, template, sorted(combination)))
    _unlink_or_archive(db, [v for v in variants if v["id"] not in kept])
    check_barcodes(db)


def _create_variant(db: Database, template: Record, combination: list[int]) -> int:
    return db.insert("product.product", {
        **new_product(db), **{key: template[key] for key in SHARED if key in template},
        "default_code": False, "active": template["active"],
        "product_tmpl_id": [template["id"], template["name"]],
        "product_template_attribute_value_ids": combination})


def _unlink_or_archive(db: Database, variants: list[Record]) -> None:
    moved = {m["product_id"][0] if isinstance(m["product_id"], list) else m["product_id"]
             for m in db.tables.get("stock.move", {}).values()}
    for variant in variants:
        if variant["id"] in moved:
            variant["active"] = False
        else:
            db.table("product.product").pop(variant["id"], None)


def _lines_of(db: Database, values: set[int]) -> set[int]:
    table = db.table("product.template.attribute.value")
    return {table[v]["attribute_line_id"][0] for v in values if v in table}


def _using(db: Database, value: int) -> list[Record]:
    return [p for p in db.table("product.product").values()
            if value in (p.get("product_template_attribute_value_ids") or [])]


def variants_of(db: Database, template: int, *, active: bool | None = None) -> list[Record]:
    return [p for p in db.table("product.product").values()
            if (p.get("product_tmpl_id") or [None])[0] == template
            and (active is None or p.get("active") is active)]


def computed(db: Database, model: str, record: Record) -> Record:
    """The fields Odoo computes when read: a variant's price, a template's variants."""
    if model == "product.product":
        values = db.table("product.template.attribute.value")
        extra = sum((Decimal(str(values[v]["price_extra"])) for v in
                     record.get("product_template_attribute_value_ids") or [] if v in values),
                    Decimal(0))
        return {"product_template_attribute_value_ids": [], **record, "price_extra": extra,
                "lst_price": Decimal(str(record.get("list_price") or 0)) + extra}
    if model == "product.template":
        # The template shows its only variant's code and barcode (related in Odoo).
        mine = variants_of(db, record["id"], active=True)
        only = mine[0] if len(mine) == 1 else {}
        lines = db.table("product.template.attribute.line")
        ordered = sorted(record.get("attribute_line_ids") or [], key=lambda i: (
            lines[i]["sequence"], lines[i]["attribute_id"][0], i))  # Odoo's _order of lines
        return {**record, "product_variant_ids": [v["id"] for v in mine],
                "attribute_line_ids": ordered,
                "default_code": only.get("default_code", False),
                "barcode": only.get("barcode", False)}
    return record


def _record(db: Database, model: str, record_id: Any) -> Record:
    found = db.table(model).get(record_id if isinstance(record_id, int) else 0)
    if found is None:
        raise OdooError("odoo.exceptions.MissingError", f"Record does not exist or has been "
                        f"deleted. (Record: {model}({record_id},))")
    return found
