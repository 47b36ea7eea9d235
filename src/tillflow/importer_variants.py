"""Rows of the products CSV that name the same ``product``: one product, its variants.

The rows of a product land together, in one transaction, or are all refused with the
reason; its name, category and tax rate are its first row's, and its options are named
in ``option1_name`` … ``option3_name`` with each row's values beside them. A product
whose SKUs exist already is changed: new values and options are added, new SKUs become
new variants, and the others change as their rows say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tillflow.domain.card_data import refuse_card_data
from tillflow.domain.errors import InvalidInput, NotFound
from tillflow.domain.variants import Option
from tillflow.services import catalog, products
from tillflow.services.context import ServiceContext

OPTION_COLUMNS = 3
TRUE_WORDS = frozenset({"1", "true", "yes", "y", "active"})
FALSE_WORDS = frozenset({"0", "false", "no", "n", "inactive"})


@dataclass(frozen=True)
class Row:
    line: int
    values: Mapping[str, str]

    def get(self, column: str, default: str = "") -> str:
        return (self.values.get(column) or default).strip()


@dataclass(frozen=True)
class Outcome:
    created: int
    updated: int
    unchanged: int


def import_product(ctx: ServiceContext, rows: Sequence[Row]) -> Outcome:
    """Create or change the product of these rows; raises the first refusal."""
    chosen = [_options_of(row) for row in rows]
    existing = _existing_product(ctx, [row.get("sku") for row in rows])
    first = rows[0]
    variants = [_variant(row, options) for row, options in zip(rows, chosen, strict=True)]
    if existing is None:
        products.create_group(ctx, products.GroupInput(
            name=first.get("name"), tax_rate=first.get("tax_rate", "0") or "0",
            category=first.get("category"), options=_option_list((), chosen),
            variants=variants))
        return Outcome(created=len(rows), updated=0, unchanged=0)
    current = products.get_group(ctx, existing)
    before = {v.sku: v.version for v in current.variants}
    after = products.update_group(ctx, existing, products.GroupChanges(
        name=first.get("name"), category=first.get("category"),
        tax_rate=first.get("tax_rate", "0") or "0",
        options=_option_list(current.group.options, chosen), variants=variants))
    versions = {v.sku: v.version for v in after.variants}
    skus = [v.sku for v in variants]
    created = sum(1 for sku in skus if sku not in before)
    updated = sum(1 for sku in skus if sku in before and versions[sku] != before[sku])
    return Outcome(created=created, updated=updated, unchanged=len(skus) - created - updated)


def _options_of(row: Row) -> dict[str, str]:
    found: dict[str, str] = {}
    for n in range(1, OPTION_COLUMNS + 1):
        name, value = row.get(f"option{n}_name"), row.get(f"option{n}_value")
        if not name and not value:
            continue
        if not (name and value):
            raise InvalidInput(f"line {row.line}: option{n}_name and option{n}_value go "
                               "together", details={"field": f"option{n}_name"})
        refuse_card_data(name, field=f"option{n}_name")
        refuse_card_data(value, field=f"option{n}_value")
        found[name] = value
    return found


def _option_list(current: Sequence[Option],
                 chosen: Sequence[Mapping[str, str]]) -> list[tuple[str, list[str]]]:
    """The product's options: the current ones first, each with the rows' new values
    after its own, then the options only the rows name, in the order they appear."""
    values: dict[str, list[str]] = {o.name: list(o.values) for o in current}
    for options in chosen:
        for name, value in options.items():
            listed = values.setdefault(name, [])
            if value not in listed:
                listed.append(value)
    return list(values.items())


def _variant(row: Row, options: Mapping[str, str]) -> products.VariantInput:
    refuse_card_data(row.get("sku"), field="sku")
    refuse_card_data(row.get("name"), field="name")
    return products.VariantInput(
        sku=row.get("sku"), options=options, price=row.get("price") or None,
        barcodes=barcodes(row.get("barcodes")), cost=row.get("cost") or None,
        active=flag(row.get("active")) if row.get("active") else None)


def barcodes(cell: str) -> list[str]:
    """A row's barcodes, separated by spaces or ``|``."""
    return [code for code in cell.replace("|", " ").split() if code]


def flag(raw: str) -> bool:
    word = raw.strip().lower()
    if not word or word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"active must be true or false, not {raw!r}")


def _existing_product(ctx: ServiceContext, skus: Sequence[str]) -> int | None:
    """The product the rows' existing SKUs are variants of; refused if they are of two."""
    found: set[int] = set()
    for sku in skus:
        try:
            product_id = catalog.get_product(ctx, sku).product_id
        except NotFound:
            continue
        if product_id is not None:
            found.add(product_id)
    if len(found) > 1:
        raise InvalidInput("the rows' SKUs are variants of different products",
                           details={"field": "product"})
    return next(iter(found), None)
