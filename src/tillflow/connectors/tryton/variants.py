"""A product with options as one Tryton template with a variant per SKU.

Each SKU is a variant's ``code`` (its ``suffix_code``, the template having no prefix),
with its barcodes as EAN identifiers and its own ``list_price`` (Tryton 8.2 prices a
variant on its own; the template's list price is the lowest of its variants'). The
variant's option values are its attributes where Tryton has the ``product_attribute``
module (``tryton.attributes``), else its description.

The template is the one already holding most of the product's SKUs (archived variants
too; the oldest of equals), so a retry after a lost answer makes nothing twice. A SKU
Tryton holds in another template (pushed before as a product of its own: Tryton never
moves a variant to another template) gets a variant in this one, and the other is
archived, keeping its history; a template left with nothing on sale is archived. Variants
of the template the product no longer lists are archived. Tryton keeps an archived record
read-only (it cannot even create one archived): one is brought back before it is changed,
and archived again after.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from tillflow.connectors.tryton import attributes
from tillflow.connectors.tryton.product_fields import (
    cost_fields,
    new_identifiers,
    set_barcodes,
    tax_category,
    unit,
)
from tillflow.connectors.tryton.rpc import TrytonClient
from tillflow.ports.accounting import ErpProductWithVariants, ErpVariant

VARIANT_FIELDS = ["code", "template", "active", "identifiers"]


def upsert_template(client: TrytonClient, product: ErpProductWithVariants) -> dict[str, int]:
    """``product`` as one template; returns the Tryton id of each SKU's variant."""
    found = client.model("product.product", "search_read", [
        ("code", "in", [v.sku for v in product.variants]), ("active", "in", [True, False]),
        ("replaced_by", "=", None)], 0, None, [("id", "ASC")], VARIANT_FIELDS)
    values_set = (attributes.attribute_set(client, product.options)
                  if attributes.installed(client) else None)
    fields = _template_fields(client, product, values_set)
    template = pick_template(found)
    if template is None:
        return _create(client, product, fields, values_set)
    return _update(client, product, values_set, template=template, found=found,
                   fields=fields)


def pick_template(found: Sequence[dict[str, Any]]) -> int | None:
    """The template holding most of the variants found, the oldest of equals."""
    held = Counter(int(variant["template"]) for variant in found)
    if not held:
        return None
    return min(held, key=lambda template: (-held[template], template))


def lowest_price(variants: Sequence[ErpVariant]) -> Decimal:
    """The template's list price: the lowest of the variants on sale (of all, when none is)."""
    on_sale = [v.price for v in variants if v.active] or [v.price for v in variants]
    return min(on_sale)


def description(options: Sequence[tuple[str, Sequence[str]]], variant: ErpVariant) -> str:
    """A variant's option values in words: ``Size: M, Colour: Red``."""
    return ", ".join(f"{name}: {value}"
                     for (name, _values), value in zip(options, variant.values, strict=True))


def variant_values(product: ErpProductWithVariants, variant: ErpVariant,
                   values_set: int | None) -> dict[str, Any]:
    """What says which option values a variant takes: its attributes, or (without the
    attribute module) its description."""
    if values_set is None:
        return {"description": description(product.options, variant)}
    return {"attributes": {
        attributes.attribute_name(name): attributes.value_key(value)
        for (name, _values), value in zip(product.options, variant.values, strict=True)}}


def _template_fields(client: TrytonClient, product: ErpProductWithVariants,
                     values_set: int | None) -> dict[str, Any]:
    fields: dict[str, Any] = {"name": product.name, "list_price": lowest_price(
        product.variants)}
    if product.tax_rate is not None:
        fields["account_category"] = tax_category(client, product.tax_rate)
    if values_set is not None:
        fields["attribute_set"] = values_set
    return fields


def _new_variant(product: ErpProductWithVariants, variant: ErpVariant,
                 values_set: int | None) -> dict[str, Any]:
    # Made on sale: Tryton refuses to create a record archived (all its fields are
    # read-only then); one withdrawn is archived right after.
    data: dict[str, Any] = {"suffix_code": variant.sku, "list_price": variant.price,
                            **variant_values(product, variant, values_set),
                            **cost_fields(variant.cost)}
    if variant.barcodes:
        data["identifiers"] = [new_identifiers(variant.barcodes)]
    return data


def _create(client: TrytonClient, product: ErpProductWithVariants, fields: dict[str, Any],
            values_set: int | None) -> dict[str, int]:
    """A new template and its variants, in one call: a lost answer leaves either all of
    it or nothing."""
    variants = [_new_variant(product, v, values_set) for v in product.variants]
    [template] = client.model("product.template", "create", [{
        **fields, "type": "goods", "default_uom": unit(client),
        "products": [["create", variants]]}])
    made = client.model("product.product", "search_read", [("template", "=", template)],
                        0, None, None, ["code"])
    saved = {row["code"]: int(row["id"]) for row in made}
    _withdraw(client, product, template, saved)
    return saved


def _update(client: TrytonClient, product: ErpProductWithVariants, values_set: int | None,
            *, template: int, found: Sequence[dict[str, Any]],
            fields: dict[str, Any]) -> dict[str, int]:
    [current] = client.model("product.template", "read", [template], ["active"])
    if not current["active"]:
        client.model("product.template", "write", [template], {"active": True})
    client.model("product.template", "write", [template], fields)
    held = {row["code"]: row for row in client.model(
        "product.product", "search_read",
        [("template", "=", template), ("active", "in", [True, False])], 0, None,
        [("id", "ASC")], VARIANT_FIELDS)}
    strays = [row for row in found if int(row["template"]) != template]
    # A SKU is one product on sale in Tryton: the other templates' copies go first.
    on_sale = [int(row["id"]) for row in strays if row["active"]]
    if on_sale:
        client.model("product.product", "write", on_sale, {"active": False})
    _retire({int(stray["template"]) for stray in strays}, client)
    saved: dict[str, int] = {}
    for variant in product.variants:
        row = held.get(variant.sku)
        if row is None:
            [saved[variant.sku]] = client.model("product.product", "create", [{
                "template": template, **_new_variant(product, variant, values_set)}])
        else:
            saved[variant.sku] = int(row["id"])
            _bring_up(client, product, variant, row, values_set)
    gone = [int(row["id"]) for code, row in held.items()
            if code not in saved and row["active"]]
    if gone:
        client.model("product.product", "write", gone, {"active": False})
    _withdraw(client, product, template, saved)
    return saved


def _withdraw(client: TrytonClient, product: ErpProductWithVariants, template: int,
              saved: dict[str, int]) -> None:
    """Variants withdrawn from sale archived; the template too when none is on sale."""
    withdrawn = [saved[v.sku] for v in product.variants if not v.active]
    if withdrawn:
        client.model("product.product", "write", withdrawn, {"active": False})
    if len(withdrawn) == len(product.variants):
        client.model("product.template", "write", [template], {"active": False})


def _retire(templates: set[int], client: TrytonClient) -> None:
    """Templates left with no variant on sale once their SKUs moved away are archived."""
    for template in sorted(templates):
        if not client.model("product.product", "search", [("template", "=", template)],
                            0, 1, None):
            client.model("product.template", "write", [template], {"active": False})


def _bring_up(client: TrytonClient, product: ErpProductWithVariants, variant: ErpVariant,
              row: dict[str, Any], values_set: int | None) -> None:
    variant_id = int(row["id"])
    if not row["active"]:
        client.model("product.product", "write", [variant_id], {"active": True})
    client.model("product.product", "write", [variant_id], {
        "list_price": variant.price, **variant_values(product, variant, values_set),
        **cost_fields(variant.cost)})
    set_barcodes(client, variant_id, row["identifiers"], variant.barcodes)
