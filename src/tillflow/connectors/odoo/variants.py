"""A product with options in Odoo: one ``product.template`` with an attribute line per
option, whose variants (``product.product``, which Odoo makes for every combination of
the lines' values) carry the SKUs.

Each variant tillflow lists gets its SKU as ``default_code``, its first barcode as
``barcode``, and its price as the template's ``list_price`` plus the ``price_extra`` of its
values (``variant_prices``: exact where the prices are a base plus an amount per value).
Every other variant of the template (a combination tillflow does not sell, a SKU it no
longer lists) is archived with its barcode cleared, so that Odoo reactivating it when the
lines change never finds its barcode taken.

Safe to repeat: the template is the one already holding any of the SKUs, archived or
not, and one made anew holds the first SKU from the call that makes it. Lines change in
an order that keeps a variant holding a SKU at every step: new options are added with one
value first (Odoo then extends the existing variants instead of replacing them), values
are added before others are removed, SKUs are written before values go, and an option
that goes is narrowed to one value before its line is deleted (Odoo then takes the value
off the variants instead of replacing them). Odoo deletes a variant whose value is
removed, or archives it when stock moves or orders refer to it; an archived one keeps its
SKU and comes back if tillflow lists its combination again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from tillflow.connectors.common.erp_money import read_amount, wire_amount, wire_decimal
from tillflow.connectors.odoo.attributes import OdooAttributes
from tillflow.connectors.odoo.books import OdooBooks
from tillflow.connectors.odoo.client import OdooClient
from tillflow.connectors.odoo.variant_prices import split_prices
from tillflow.ports.accounting import ErpProductWithVariants, ErpRejected, ErpVariant

ARCHIVED_TOO = ["active", "in", [True, False]]
VARIANT_FIELDS = ["default_code", "barcode", "active", "standard_price",
                  "product_template_attribute_value_ids"]
Combination = frozenset[tuple[int, int]]  # (attribute, value) of each option of a variant
Options = list[tuple[int, dict[str, int]]]  # each option's attribute and value ids by name


class OdooVariants:
    def __init__(self, client: OdooClient, books: OdooBooks) -> None:
        self.client = client
        self.books = books
        self.attributes = OdooAttributes(client)

    def upsert(self, product: ErpProductWithVariants) -> dict[str, int]:
        _check(product)
        template = self._find(product) or self._create(product)
        options = self._options(product)
        wanted = {_combination(options, v.values): v for v in product.variants}
        self._write_template(template, product)
        self._add_lines(template, options, product.variants[0])
        self._add_values(template, options)
        lines = self._lines(template)
        attributes = {attribute for attribute, _ in options}
        going = {line: values for line, (attribute, values) in lines.items()
                 if attribute not in attributes}
        narrowed = [(line, values - _kept(options, attribute)) for line, (attribute, values)
                    in lines.items() if attribute in attributes]
        if going or any(extra for _, extra in narrowed):
            self._assign(template, wanted, attributes, final=False)
            self._remove(template, going, narrowed)
        ids = self._assign(template, wanted, attributes, final=True)
        self._set_extras(template, product, options)
        if not any(v.active for v in product.variants):
            self.client.call("product.template", "write", ids=[template], vals={"active": False})
        return ids

    def _options(self, product: ErpProductWithVariants) -> Options:
        attributes = [self.attributes.attribute(name) for name, _ in product.options]
        return [(attribute, self.attributes.values(attribute, values))
                for attribute, (_, values) in zip(attributes, product.options, strict=True)]

    def _find(self, product: ErpProductWithVariants) -> int | None:
        """The template holding most of the SKUs; variants of others holding one (each
        SKU pushed as a product of its own before it had options) give it up and are
        archived, with their template once it has no variant left on sale."""
        found = self.client.call("product.product", "search_read", domain=[
            ["default_code", "in", [v.sku for v in product.variants]], ARCHIVED_TOO],
            fields=["product_tmpl_id"])
        if not found:
            return None
        counts = Counter(int(p["product_tmpl_id"][0]) for p in found)
        template = min(counts, key=lambda t: (-counts[t], t))
        others = [p for p in found if p["product_tmpl_id"][0] != template]
        if others:
            self.client.call("product.product", "write", ids=[p["id"] for p in others],
                             vals={"default_code": False, "barcode": False, "active": False})
            for other in sorted({p["product_tmpl_id"][0] for p in others}):
                if not self.client.call("product.product", "search_count",
                                        domain=[["product_tmpl_id", "=", other]]):
                    self.client.call("product.template", "write", ids=[other],
                                     vals={"active": False})
        return template

    def _create(self, product: ErpProductWithVariants) -> int:
        """A template without options yet, whose one variant holds the first SKU."""
        [made] = self.client.call("product.template", "create", vals_list=[{
            "name": product.name, "default_code": product.variants[0].sku,
            **self.books.storable_values()}])
        return int(made)

    def _write_template(self, template: int, product: ErpProductWithVariants) -> None:
        active = [(v.values, v.price) for v in product.variants if v.active]
        split = split_prices(active or [(v.values, v.price) for v in product.variants])
        values: dict[str, Any] = {"name": product.name,
                                  "list_price": wire_amount(split.base, self.books.digits)}
        if any(v.active for v in product.variants):
            values["active"] = True
        if product.tax_rate is not None:
            values["taxes_id"] = [[6, 0, self.books.sale_tax(product.tax_rate)]]
        if product.category and product.category.strip("/ "):
            values["categ_id"] = self.attributes.category(product.category)
        self.client.call("product.template", "write", ids=[template], vals=values)

    def _lines(self, template: int) -> dict[int, tuple[int, set[int]]]:
        """The template's attribute lines: their attribute and values, by line id."""
        [read] = self.client.call("product.template", "read", ids=[template],
                                  fields=["attribute_line_ids"])
        if not read["attribute_line_ids"]:
            return {}
        found = self.client.call("product.template.attribute.line", "read",
                                 ids=read["attribute_line_ids"],
                                 fields=["attribute_id", "value_ids"])
        return {int(line["id"]): (int(line["attribute_id"][0]), set(line["value_ids"]))
                for line in found}

    def _add_lines(self, template: int, options: Options,
                   first: ErpVariant) -> None:
        """A line for each new option, holding only the first variant's value of it, in
        the product's order of options."""
        present = {attribute for attribute, _ in self._lines(template).values()}
        commands = [[0, 0, {"attribute_id": attribute, "sequence": i,
                            "value_ids": [[6, 0, [values[first.values[i]]]]]}]
                    for i, (attribute, values) in enumerate(options) if attribute not in present]
        if commands:
            self.client.call("product.template", "write", ids=[template],
                             vals={"attribute_line_ids": commands})

    def _add_values(self, template: int, options: Options) -> None:
        by_attribute = {attribute: (line, values)
                        for line, (attribute, values) in self._lines(template).items()}
        commands = []
        for attribute, values in options:
            line, present = by_attribute[attribute]
            missing = [value for value in values.values() if value not in present]
            if missing:
                commands.append([1, line, {"value_ids": [[4, value] for value in missing]}])
        if commands:
            self.client.call("product.template", "write", ids=[template],
                             vals={"attribute_line_ids": commands})

    def _remove(self, template: int, going: dict[int, set[int]],
                narrowed: list[tuple[int, set[int]]]) -> None:
        commands = [[1, line, {"value_ids": [[3, value] for value in sorted(extra)]}]
                    for line, extra in narrowed if extra]
        commands += [[1, line, {"value_ids": [[6, 0, [min(values)]]]}]
                     for line, values in going.items() if len(values) > 1]
        if commands:
            self.client.call("product.template", "write", ids=[template],
                             vals={"attribute_line_ids": commands})
        if going:
            self.client.call("product.template", "write", ids=[template], vals={
                "attribute_line_ids": [[2, line] for line in sorted(going)]})

    def _assign(self, template: int, wanted: dict[Combination, ErpVariant],
                attributes: set[int], *, final: bool) -> dict[str, int]:
        """Each listed combination's variant gets its SKU, barcode and state; the others
        are archived and give up their barcode (and a SKU listed elsewhere). Before
        values go (``final`` false), variants with options that are going stay as
        they are."""
        variants = self.client.call("product.product", "search_read", fields=VARIANT_FIELDS,
                                    domain=[["product_tmpl_id", "=", template], ARCHIVED_TOO])
        values_of = self._values_of(template)
        skus = {v.sku for v in wanted.values()}
        release: list[tuple[int, dict[str, Any]]] = []
        assign: list[tuple[int, dict[str, Any]]] = []
        ids: dict[str, int] = {}
        # An active variant first: Odoo keeps one active variant per combination, and an
        # archived twin of it is released rather than given the same SKU and barcode.
        for variant in sorted(variants, key=lambda v: (not v["active"], v["id"])):
            combination = frozenset(values_of[i] for i in
                                    variant["product_template_attribute_value_ids"])
            listed = wanted.get(combination)
            if listed is not None and listed.sku not in ids:
                ids[listed.sku] = int(variant["id"])
                target = {"default_code": listed.sku, "active": listed.active,
                          "barcode": listed.barcodes[0] if listed.barcodes else False}
                if listed.cost is not None:
                    target["standard_price"] = wire_decimal(listed.cost,
                                                           self.books.price_digits)
                if variant["barcode"] and variant["barcode"] != target["barcode"]:
                    release.append((variant["id"], {"barcode": False}))
                assign.append((variant["id"], target))
            elif final or {a for a, _ in combination} == attributes:
                target = {"active": False, "barcode": False}
                if variant["default_code"] in skus:
                    target["default_code"] = False
                release.append((variant["id"], target))
        current = {v["id"]: v for v in variants}
        self._write_changed("product.product", current, release)
        for variant_id, target in release:
            current[variant_id] = {**current[variant_id], **target}
        self._write_changed("product.product", current, assign)
        lost = [v for v in wanted.values() if v.sku not in ids]
        if final and lost:
            raise ErpRejected(f"Odoo made no variant for {', '.join(v.sku for v in lost)}")
        return ids

    def _values_of(self, template: int) -> dict[int, tuple[int, int]]:
        """(attribute, value) of each of the template's attribute values, by their id."""
        found = self.client.call("product.template.attribute.value", "search_read",
                                 domain=[["product_tmpl_id", "=", template]],
                                 fields=["attribute_id", "product_attribute_value_id"])
        return {int(v["id"]): (int(v["attribute_id"][0]), int(v["product_attribute_value_id"][0]))
                for v in found}

    def _set_extras(self, template: int, product: ErpProductWithVariants,
                    options: Options) -> None:
        active = [(v.values, v.price) for v in product.variants if v.active]
        split = split_prices(active or [(v.values, v.price) for v in product.variants])
        found = self.client.call("product.template.attribute.value", "search_read", domain=[
            ["product_tmpl_id", "=", template], ["ptav_active", "=", True]],
            fields=["attribute_id", "product_attribute_value_id", "price_extra"])
        position = {(attribute, value_id): (i, name) for i, (attribute, values)
                    in enumerate(options) for name, value_id in values.items()}
        changes: list[tuple[int, dict[str, Any]]] = []
        for value in found:
            key = position.get((value["attribute_id"][0], value["product_attribute_value_id"][0]))
            if key is None:
                continue
            extra = split.extra(*key)
            if read_amount(value["price_extra"], self.books.digits) != extra:
                changes.append((value["id"], {
                    "price_extra": wire_amount(extra, self.books.digits)}))
        self._write_changed("product.template.attribute.value", {}, changes)

    def _write_changed(self, model: str, current: dict[int, dict[str, Any]],
                       changes: Iterable[tuple[int, dict[str, Any]]]) -> None:
        """One write per set of values, to the records whose values differ."""
        batches: dict[tuple[tuple[str, Any], ...], list[int]] = {}
        for record, values in changes:
            now = current.get(record, {})
            if any(now.get(name, object()) != value for name, value in values.items()):
                batches.setdefault(tuple(sorted(values.items())), []).append(record)
        for shared, records in batches.items():
            self.client.call(model, "write", ids=records, vals=dict(shared))


def _check(product: ErpProductWithVariants) -> None:
    """Every variant names one value of each option: Odoo could place no other."""
    if not product.variants:
        raise ErpRejected(f"product {product.key} has no variants")
    for variant in product.variants:
        if len(variant.values) != len(product.options) or any(
                value not in values for value, (_, values) in zip(
                    variant.values, product.options, strict=False)):
            raise ErpRejected(f"variant {variant.sku} names no value of each option of "
                              f"product {product.key}")


def _combination(options: Options,
                 values: tuple[str, ...]) -> Combination:
    return frozenset(zip((attribute for attribute, _ in options),
                         (ids[value] for (_, ids), value in zip(options, values, strict=True)),
                         strict=True))


def _kept(options: Options, attribute: int) -> set[int]:
    return next(set(values.values()) for a, values in options if a == attribute)
