"""Products with options and variants: create one whole, read it, change it.

Each command is one transaction: a refusal (422 naming the field, 409 for a SKU or
barcode another product has) writes nothing. A product is held (locked) while it
changes, so two changes to its variants run one after the other.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal

from tillflow.domain.catalog import (
    Product,
    parse_barcodes,
    validate_name,
    validate_price,
    validate_sku,
)
from tillflow.domain.errors import Conflict, InvalidInput, NotFound
from tillflow.domain.variants import (
    ProductGroup,
    ShopLimits,
    check_distinct,
    check_shop_limits,
    extend_options,
    parse_options,
    validate_category,
    variant_name,
    variant_values,
)
from tillflow.ports.persistence import UnitOfWork
from tillflow.services import catalog_master, payloads
from tillflow.services.catalog import check_barcodes_free, parse_cost, parse_tax_rate
from tillflow.services.context import ServiceContext

OptionsInput = Sequence[tuple[str, Sequence[str]]]


@dataclass(frozen=True)
class VariantInput:
    sku: str
    options: Mapping[str, str] = field(default_factory=dict)
    # Required of a new variant; an existing one keeps what it has where this is None.
    price: object | None = None
    barcodes: Sequence[str] | None = None
    cost: object | None = None
    active: bool | None = None


@dataclass(frozen=True)
class GroupInput:
    name: str
    variants: Sequence[VariantInput]
    tax_rate: object = "0"
    category: str | None = None
    options: OptionsInput = ()


@dataclass(frozen=True)
class GroupChanges:
    name: str | None = None
    # "" takes the product out of any category; None leaves it.
    category: str | None = None
    tax_rate: object | None = None
    # The options after the change: the current ones first, as they are, then new ones.
    options: OptionsInput | None = None
    # Variants to change (by SKU) or to add.
    variants: Sequence[VariantInput] = ()
    # SKUs to take off the product: deleted, or made inactive when sales or stock refer
    # to them.
    remove: Sequence[str] = ()


@dataclass(frozen=True)
class GroupView:
    group: ProductGroup
    variants: list[Product]


@contextmanager
def under(prefix: str) -> Iterator[None]:
    """Name the refused field by where it sits in the request: ``variants.2.price``."""
    try:
        yield
    except InvalidInput as exc:
        inner = exc.details.get("field")
        exc.details["field"] = f"{prefix}.{inner}" if inner else prefix
        raise


def create_group(ctx: ServiceContext, data: GroupInput, *,
                 source: str | None = None) -> GroupView:
    group = ProductGroup(name=validate_name(data.name), category=validate_category(data.category),
                         options=parse_options(data.options))
    tax_rate = parse_tax_rate(data.tax_rate)
    if not data.variants:
        raise InvalidInput("a product needs at least one variant", details={"field": "variants"})
    variants = [_new_variant(ctx, group, v, tax_rate, where=f"variants.{n}")
                for n, v in enumerate(data.variants)]
    _check_within(variants, [f"variants.{n}" for n in range(len(variants))])
    with ctx.uow() as uow:
        _check_limits(uow, ctx, group, variants)
        _check_free(uow, variants, [f"variants.{n}" for n in range(len(variants))])
        for variant in variants:
            catalog_master.check_edit(ctx, uow, None, variant, source=source)
        group.id = uow.product_groups.add(group, uow.now)
        for variant in variants:
            variant.product_id = group.id
            variant.id = uow.products.add(variant, tuple(variant.options.values()), uow.now)
        # Each SKU's event first, then the product's, which shows the product whole.
        for variant in variants:
            uow.emit("product.created", payloads.product(variant, ctx.currency))
        uow.emit("product_group.created", payloads.product_group(group, variants, ctx.currency))
        uow.commit()
    return GroupView(group, sorted(variants, key=lambda v: v.sku))


def _new_variant(ctx: ServiceContext, group: ProductGroup, data: VariantInput,
                 tax_rate: Decimal, *, where: str) -> Product:
    with under(where):
        if data.price is None:
            raise InvalidInput("a new variant needs a price", details={"field": "price"})
        values = variant_values(group.options, data.options, field="options")
        return Product(
            sku=validate_sku(data.sku), name=variant_name(group.name, values),
            price=validate_price(ctx.currency.parse(data.price, field="price")),
            tax_rate=tax_rate, barcodes=parse_barcodes(data.barcodes or ()),
            active=True if data.active is None else data.active,
            cost=None if data.cost is None else parse_cost(data.cost),
            options=dict(zip(group.option_names, values, strict=True)),
            category=group.category)


def _changed_variant(ctx: ServiceContext, group: ProductGroup, current: Product,
                     data: VariantInput, *, where: str) -> Product:
    with under(where):
        # An option new to the product gives its first value to the variants it had.
        added = {o.name: o.values[0] for o in group.options if o.name not in current.options}
        values = variant_values(group.options, {**added, **current.options, **data.options},
                                field="options")
        return replace(
            current, name=variant_name(group.name, values),
            price=current.price if data.price is None
            else validate_price(ctx.currency.parse(data.price, field="price")),
            barcodes=list(current.barcodes) if data.barcodes is None
            else parse_barcodes(data.barcodes),
            active=current.active if data.active is None else data.active,
            cost=current.cost if data.cost is None else parse_cost(data.cost),
            options=dict(zip(group.option_names, values, strict=True)),
            category=group.category)


def _check_within(variants: Sequence[Product], fields: Sequence[str]) -> None:
    """Among the product's variants: no SKU, barcode or set of option values twice."""
    skus: set[str] = set()
    codes: set[str] = set()
    for variant, where in zip(variants, fields, strict=True):
        if variant.sku in skus:
            raise InvalidInput(f"SKU {variant.sku!r} is on two variants",
                               details={"field": f"{where}.sku"})
        skus.add(variant.sku)
        for barcode in variant.barcodes:
            if barcode.gtin14 in codes:
                raise InvalidInput(f"barcode {barcode.code!r} is on two variants",
                                   details={"field": f"{where}.barcodes"})
            codes.add(barcode.gtin14)
    check_distinct([tuple(v.options.values()) for v in variants],
                   fields=[f"{where}.options" for where in fields])


def _check_free(uow: UnitOfWork, variants: Sequence[Product], fields: Sequence[str]) -> None:
    """A new variant's SKU, and every variant's barcodes, belong to no other product's
    variant: 409, as for a product of one SKU."""
    taken = uow.products.taken_skus(v.sku for v in variants if v.id is None)
    for variant, where in zip(variants, fields, strict=True):
        if variant.sku in taken:
            raise Conflict(f"a product with SKU {variant.sku!r} exists",
                           details={"sku": variant.sku, "field": f"{where}.sku"})
        with under(where):
            check_barcodes_free(uow, variant.barcodes, owner=variant.id)


def _check_limits(uow: UnitOfWork, ctx: ServiceContext, group: ProductGroup,
                  variants: Sequence[Product]) -> None:
    """What every connected shop accepts: a product it would refuse is refused here."""
    shops = []
    for connection in uow.connections.all():
        spec = ctx.connectors.get(connection.platform)
        if spec is not None and spec.variant_limits is not None:
            shops.append(ShopLimits(connection.name, connection.platform, spec.variant_limits))
    check_shop_limits(shops, options=len(group.options),
                      variants=sum(1 for v in variants if v.active),
                      values=[o.values for o in group.options])


def get_group(ctx: ServiceContext, group_id: int) -> GroupView:
    with ctx.uow(read_only=True) as uow:
        group = uow.product_groups.get(group_id)
        if group is None:
            raise NotFound(f"no product {group_id}", details={"id": group_id})
        return GroupView(group, uow.products.of_groups([group_id]))


def list_groups(ctx: ServiceContext, *, query: str | None, category: str | None,
                after_id: int | None, limit: int) -> list[GroupView]:
    """Products by id whose name or one of whose SKUs holds ``query``, with their variants."""
    with ctx.uow(read_only=True) as uow:
        groups = uow.product_groups.search(query=query, category=category, after_id=after_id,
                                           limit=limit)
        variants = uow.products.of_groups(g.id for g in groups if g.id is not None)
    by_group: dict[int | None, list[Product]] = {g.id: [] for g in groups}
    for variant in variants:
        by_group[variant.product_id].append(variant)
    return [GroupView(g, by_group[g.id]) for g in groups]


def update_group(ctx: ServiceContext, group_id: int, changes: GroupChanges, *,
                 source: str | None = None) -> GroupView:
    with ctx.uow() as uow:
        current = uow.product_groups.get(group_id, lock=True)
        if current is None:
            raise NotFound(f"no product {group_id}", details={"id": group_id})
        existing = uow.products.of_groups([group_id])
        plan = _plan(ctx, current, existing, changes)
        _check_limits(uow, ctx, plan.group, plan.kept)
        _check_free(uow, plan.touched, plan.fields)
        before = {v.sku: v for v in existing}
        for variant in plan.touched:
            catalog_master.check_edit(ctx, uow, before.get(variant.sku), variant, source=source)
        result = _write(ctx, uow, current, plan, before)
        uow.commit()
    return result


@dataclass
class _Plan:
    group: ProductGroup
    # Every variant the product keeps, as it will be.
    kept: list[Product]
    # Those that change or are new, and where the request named each.
    touched: list[Product]
    fields: list[str]
    removed: list[Product]


def _plan(ctx: ServiceContext, current: ProductGroup, existing: Sequence[Product],
          changes: GroupChanges) -> _Plan:
    group = _changed_group(current, existing, changes)
    by_sku = {v.sku: v for v in existing}
    removed = _removed(by_sku, changes)
    tax_rate = (parse_tax_rate(changes.tax_rate) if changes.tax_rate is not None
                else existing[0].tax_rate)
    gone = {v.sku for v in removed}
    asked: dict[str, tuple[str, Product]] = {}
    for n, data in enumerate(changes.variants):
        where = f"variants.{n}"
        if data.sku in asked or data.sku in gone:
            raise InvalidInput(f"SKU {data.sku!r} is sent twice, or both changed and removed",
                               details={"field": f"{where}.sku"})
        was = by_sku.get(data.sku)
        made = (_new_variant(ctx, group, data, tax_rate, where=where) if was is None
                else _changed_variant(ctx, group, was, data, where=where))
        asked[data.sku] = (where, replace(made, tax_rate=tax_rate))
    # The variants the request does not name take the product's changes too.
    placed = [("variants", replace(_changed_variant(ctx, group, v, VariantInput(v.sku),
                                                    where="variants"), tax_rate=tax_rate))
              for v in existing if v.sku not in asked and v.sku not in gone]
    placed += asked.values()
    kept = [v for _, v in placed]
    _check_within(kept, [where for where, _ in placed])
    touched = [(where, v) for where, v in placed if by_sku.get(v.sku) != v]
    return _Plan(group, kept, [v for _, v in touched], [where for where, _ in touched],
                 removed)


def _changed_group(current: ProductGroup, existing: Sequence[Product],
                   changes: GroupChanges) -> ProductGroup:
    group = replace(current)
    if changes.name is not None:
        group.name = validate_name(changes.name)
    if changes.category is not None:
        group.category = validate_category(changes.category)
    if changes.options is not None:
        wanted = parse_options(changes.options)
        used = [tuple(v.options.values()) for v in existing]
        group.options = extend_options(current.options, wanted, used)
    return group


def _removed(by_sku: Mapping[str, Product], changes: GroupChanges) -> list[Product]:
    removed = []
    for n, sku in enumerate(changes.remove):
        if sku not in by_sku:
            raise InvalidInput(f"{sku!r} is not a variant of this product",
                               details={"field": f"remove.{n}"})
        removed.append(by_sku[sku])
    if len(removed) == len(by_sku) and not changes.variants:
        raise InvalidInput("a product keeps at least one variant", details={"field": "remove"})
    return removed


def _write(ctx: ServiceContext, uow: UnitOfWork, current: ProductGroup, plan: _Plan,
           before: Mapping[str, Product]) -> GroupView:
    group = plan.group
    if group != current:
        uow.product_groups.update(group, uow.now)
        group.version += 1
    events: list[tuple[str, Product]] = []
    # Rows in id order, as a goods receipt holds them, so the two never deadlock.
    for variant in sorted(plan.touched, key=lambda v: (v.id is None, v.id or 0)):
        if variant.sku in before:
            uow.products.update(variant, tuple(variant.options.values()), uow.now)
            variant.version += 1
            events.append(("product.updated", variant))
        else:
            variant.product_id = group.id
            variant.id = uow.products.add(variant, tuple(variant.options.values()), uow.now)
            events.append(("product.created", variant))
    kept = list(plan.kept)
    deleted = False
    for variant in plan.removed:
        assert variant.id is not None
        if uow.products.remove(variant.id):
            uow.emit("product.deleted", {"sku": variant.sku, "product_id": group.id})
            deleted = True
            continue
        stays = _changed_variant(ctx, group, variant, VariantInput(variant.sku), where="remove")
        inactive = replace(stays, active=False, version=variant.version + 1,
                           tax_rate=plan.kept[0].tax_rate)
        uow.products.update(inactive, tuple(inactive.options.values()), uow.now)
        events.append(("product.updated", inactive))
        kept.append(inactive)
    if len(kept) > len(plan.kept):  # a removed variant stays: its values stay taken
        check_distinct([tuple(v.options.values()) for v in kept],
                       fields=["variants"] * len(plan.kept) + ["remove"] * (len(kept)
                                                                           - len(plan.kept)))
    kept.sort(key=lambda v: v.sku)
    for kind, variant in events:
        uow.emit(kind, payloads.product(variant, ctx.currency))
    # A variant deleted changes the product too: shops and ERPs that group variants are
    # told by the product's own event, since the deleted SKU has none after it.
    if group != current or events or deleted:
        uow.emit("product_group.updated", payloads.product_group(group, kept, ctx.currency))
    return GroupView(group, kept)
