"""Product templates with attributes in the Odoo simulator, as Odoo 17 and 19 keep them:
variants made per combination of the lines' values, kept when a one-value line is added,
deleted or archived (stock moves) when a value goes, back when it returns; prices as the
template's plus the values' extras; and what Odoo refuses."""

from __future__ import annotations

from contextlib import nullcontext
from decimal import Decimal
from typing import Any

import pytest

from sim_support.odoo import Call, execute_kw
from tillflow_simulators.odoo.simulator import OdooSimulator


def attribute(call: Call, name: str, values: list[str]) -> tuple[int, dict[str, int]]:
    [made] = call("product.attribute", "create", [{"name": name, "create_variant": "always"}])
    ids = call("product.attribute.value", "create",
               [{"name": value, "attribute_id": made} for value in values])
    return made, dict(zip(values, ids, strict=True))


def variants(call: Call, template: int, *, active: bool = True) -> dict[tuple[str, ...], Any]:
    """Each variant by its values' names: its id, code and price."""
    found = call("product.product", "search_read", [["product_tmpl_id", "=", template],
                                                    ["active", "=", active]],
                 fields=["default_code", "lst_price", "product_template_attribute_value_ids"])
    names = {v["id"]: v["name"] for v in call("product.template.attribute.value",
                                              "search_read", [], fields=["name"])}
    return {tuple(sorted(names[i] for i in v["product_template_attribute_value_ids"])):
            (v["id"], v["default_code"], v["lst_price"]) for v in found}


def test_variants_follow_the_lines_values(odoo: OdooSimulator) -> None:
    call = execute_kw(odoo)
    size, sizes = attribute(call, "Size", ["S", "M", "L"])
    colour, colours = attribute(call, "Colour", ["Red", "Blue"])
    [template] = call("product.template", "create", [{
        "name": "Tee", "list_price": 10, "default_code": "TEE"}])
    [only] = call("product.product", "search", [["product_tmpl_id", "=", template]])
    # One-value lines extend the only variant, which keeps its code.
    call("product.template", "write", [template], {"attribute_line_ids": [
        [0, 0, {"attribute_id": size, "value_ids": [[6, 0, [sizes["S"]]]]}],
        [0, 0, {"attribute_id": colour, "value_ids": [[6, 0, [colours["Red"]]]]}]]})
    assert variants(call, template) == {("Red", "S"): (only, "TEE", 10.0)}
    [template_read] = call("product.template", "read", [template],
                           fields=["attribute_line_ids"])
    size_line, colour_line = template_read["attribute_line_ids"]
    call("product.template", "write", [template], {"attribute_line_ids": [
        [1, size_line, {"value_ids": [[4, sizes["M"]], [4, sizes["L"]]]}],
        [1, colour_line, {"value_ids": [[4, colours["Blue"]]]}]]})
    made = variants(call, template)
    assert len(made) == 6
    assert made[("Red", "S")][0] == only
    # A variant's price is the template's plus its values' extras.
    extras = call("product.template.attribute.value", "search_read",
                  [["product_tmpl_id", "=", template]], fields=["name", "price_extra"])
    call("product.template.attribute.value", "write",
         [v["id"] for v in extras if v["name"] == "L"], {"price_extra": 4.5})
    assert variants(call, template)[("Blue", "L")][2] == 14.5  # 10 + 4.5
    # L goes: the variant with stock moves is archived, the other deleted; L comes back
    # with the archived variant.
    blue_l = made[("Blue", "L")][0]
    odoo.db.insert("stock.move", {"product_id": [blue_l, "Tee"], "state": "done"})
    call("product.template", "write", [template], {"attribute_line_ids": [
        [1, size_line, {"value_ids": [[3, sizes["L"]]]}]]})
    assert set(variants(call, template)) == {
        tuple(sorted((c, s))) for c in ("Blue", "Red") for s in "SM"}
    assert [v[0] for v in variants(call, template, active=False).values()] == [blue_l]
    call("product.template", "write", [template], {"attribute_line_ids": [
        [1, size_line, {"value_ids": [[4, sizes["L"]]]}]]})
    assert variants(call, template)[("Blue", "L")][0] == blue_l
    # Narrowed to Red and deleted, Colour leaves the variants made anew: the archived Blue
    # variant keeps Blue on the line, so it is no line of one value.
    call("product.template", "write", [template], {"attribute_line_ids": [
        [1, colour_line, {"value_ids": [[6, 0, [colours["Red"]]]]}]]})
    call("product.template", "write", [template], {"attribute_line_ids": [[2, colour_line]]})
    anew = {values: v[0] for values, v in variants(call, template).items()}
    assert set(anew) == {(s,) for s in "SML"}
    assert not set(anew.values()) & {v[0] for v in made.values()}
    # A line of one value deleted leaves its value off the variants, which stay.
    [plain] = call("product.template", "create", [{"name": "Plain", "attribute_line_ids": [
        [0, 0, {"attribute_id": size, "value_ids": [[6, 0, [sizes["S"], sizes["M"]]]]}],
        [0, 0, {"attribute_id": colour, "value_ids": [[6, 0, [colours["Red"]]]]}]]}])
    before = variants(call, plain)
    [plain_read] = call("product.template", "read", [plain], fields=["attribute_line_ids"])
    call("product.template", "write", [plain], {"attribute_line_ids": [
        [2, plain_read["attribute_line_ids"][1]]]})
    assert {values: v[0] for values, v in variants(call, plain).items()} == {
        ("S",): before[("Red", "S")][0], ("M",): before[("M", "Red")][0]}


def test_what_odoo_refuses_on_templates_and_attributes(odoo: OdooSimulator) -> None:
    call = execute_kw(odoo)
    size, sizes = attribute(call, "Size", ["S", "M"])
    _, colours = attribute(call, "Colour", ["Red"])
    with pytest.raises(RuntimeError, match="cannot create two values with the same name"):
        call("product.attribute.value", "create", [{"name": "S", "attribute_id": size}])
    [template] = call("product.template", "create", [{"name": "Tee"}])
    with pytest.raises(RuntimeError, match="must have at least one value"):
        call("product.template", "write", [template], {"attribute_line_ids": [
            [0, 0, {"attribute_id": size, "value_ids": []}]]})
    with pytest.raises(RuntimeError, match="because they do not match"):
        call("product.template", "write", [template], {"attribute_line_ids": [
            [0, 0, {"attribute_id": size, "value_ids": [[6, 0, [colours["Red"]]]]}]]})
    with pytest.raises(RuntimeError, match="Invalid field 'lst_prices'"):
        call("product.template", "read", [template], fields=["lst_prices"])
    archivable = odoo.db.major >= 19
    with pytest.raises(RuntimeError, match="Invalid field") if not archivable else nullcontext():
        call("product.attribute.value", "read", [sizes["S"]], fields=["active"])
    # Up to 17 an attribute value's write names its values ``values``.
    misnamed = odoo.db.major < 18
    with pytest.raises(RuntimeError, match="unexpected keyword argument 'vals'") \
            if misnamed else nullcontext():
        call("product.attribute.value", "write", [sizes["S"]], vals={"sequence": 3})
    call("product.attribute.value", "write", [sizes["S"]], {"sequence": 3})
    call("product.template", "write", [template], {"attribute_line_ids": [
        [0, 0, {"attribute_id": size, "value_ids": [[6, 0, list(sizes.values())]]}]]})
    small, medium = sorted(call("product.product", "search",
                                [["product_tmpl_id", "=", template]]))
    call("product.product", "write", [small], {"barcode": "4006381333931"})
    with pytest.raises(RuntimeError, match="Barcode\\(s\\) already assigned"):
        call("product.product", "write", [medium], {"barcode": "4006381333931"})
    [kept] = call("product.product", "read", [medium], fields=["barcode"])
    assert kept["barcode"] is False
    [price] = call("product.product", "read", [small], fields=["lst_price"])
    assert Decimal(str(price["lst_price"])) == Decimal("1")
