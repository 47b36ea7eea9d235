"""Catalog use cases: create, change, find products."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from tillflow.domain.barcodes import DEFAULT_RCN_RULES, BarcodeError, ScanResult, parse_scan
from tillflow.domain.catalog import (
    TAX_RATE_PLACES,
    Barcode,
    Product,
    parse_barcodes,
    validate_name,
    validate_price,
    validate_sku,
    validate_tax_rate,
)
from tillflow.domain.costing import COST_PLACES, check_cost
from tillflow.domain.errors import Conflict, InvalidInput, NotFound
from tillflow.domain.money import parse_decimal
from tillflow.domain.variants import ProductGroup, validate_category
from tillflow.ports.persistence import DuplicateRecord, UnitOfWork
from tillflow.services import catalog_master, payloads
from tillflow.services.context import ServiceContext


@dataclass(frozen=True)
class ProductInput:
    sku: str
    name: str
    price: object
    tax_rate: object = "0"
    barcodes: Sequence[str] = ()
    active: bool = True
    cost: object | None = None
    category: str | None = None


@dataclass(frozen=True)
class ProductChanges:
    name: str | None = None
    price: object | None = None
    tax_rate: object | None = None
    barcodes: Sequence[str] | None = None
    active: bool | None = None
    cost: object | None = None
    # The product's category ("" takes it out of any); None leaves it.
    category: str | None = None


def build_product(ctx: ServiceContext, data: ProductInput) -> Product:
    return Product(
        sku=validate_sku(data.sku),
        name=validate_name(data.name),
        price=validate_price(ctx.currency.parse(data.price, field="price")),
        tax_rate=parse_tax_rate(data.tax_rate),
        barcodes=parse_barcodes(data.barcodes),
        active=data.active,
        cost=None if data.cost is None else parse_cost(data.cost),
        category=validate_category(data.category),
    )


def parse_cost(raw: object) -> Decimal:
    return check_cost(parse_decimal(raw, field="cost", places=COST_PLACES))


def parse_tax_rate(raw: object) -> Decimal:
    return validate_tax_rate(parse_decimal(raw, field="tax_rate", places=TAX_RATE_PLACES))


def create_product(ctx: ServiceContext, data: ProductInput, *,
                   source: str | None = None) -> Product:
    """A simple product: one variant, no options. ``source`` names the ERP connection
    whose product this is, when it comes from one."""
    product = build_product(ctx, data)
    group = ProductGroup(name=product.name, category=product.category)
    with ctx.uow() as uow:
        if uow.products.get(product.sku) is not None:
            raise Conflict(f"a product with SKU {product.sku!r} exists",
                           details={"sku": product.sku})
        catalog_master.check_edit(ctx, uow, None, product, source=source)
        check_barcodes_free(uow, product.barcodes, owner=None)
        group.id = product.product_id = uow.product_groups.add(group, uow.now)
        try:
            product.id = uow.products.add(product, (), uow.now)
        except DuplicateRecord:
            raise Conflict(f"a product with SKU {product.sku!r} or one of its barcodes exists",
                           details={"sku": product.sku}) from None
        # Each SKU's event first, then the product's, which shows the product whole.
        uow.emit("product.created", payloads.product(product, ctx.currency))
        uow.emit("product_group.created", payloads.product_group(group, [product],
                                                                 ctx.currency))
        uow.commit()
    return product


def update_product(ctx: ServiceContext, sku: str, changes: ProductChanges, *,
                   source: str | None = None) -> Product:
    """``source`` names the ERP connection whose change this is, when it comes from one.

    The name and the tax rate are the product's: a variant takes them from it, so they
    change here only for a product of one variant (and its name only without options)."""
    with ctx.uow() as uow:
        current = uow.products.get(sku, lock=True)
        if current is None:
            raise NotFound(f"no product with SKU {sku!r}", details={"sku": sku})
        group = uow.product_groups.get(_group_id(current), lock=True)
        assert group is not None
        siblings = [p for p in uow.products.of_groups([_group_id(current)]) if p.sku != sku]
        changed = apply_changes(ctx, current, changes)
        _check_product_fields(group, current, changed, siblings)
        if changed == current:
            return current
        catalog_master.check_edit(ctx, uow, current, changed, source=source)
        check_barcodes_free(uow, changed.barcodes, owner=current.id)
        uow.products.update(changed, tuple(changed.options.values()), uow.now)
        changed = replace(changed, version=current.version + 1)
        uow.emit("product.updated", payloads.product(changed, ctx.currency))
        if (changed.name, changed.category) != (group.name, group.category) and not group.options:
            group = replace(group, name=changed.name, category=changed.category)
            _save_group(ctx, uow, group, [changed], siblings)
        elif changed.category != group.category:
            group = replace(group, category=changed.category)
            _save_group(ctx, uow, group, [changed], siblings)
        uow.commit()
    return changed


def _group_id(product: Product) -> int:
    assert product.product_id is not None
    return product.product_id


def _check_product_fields(group: ProductGroup, current: Product, changed: Product,
                          siblings: Sequence[Product]) -> None:
    where = f"PATCH /product-groups/{group.id}"
    if group.options and changed.name != current.name:
        raise InvalidInput(f"a variant is named after its product and options: rename the "
                           f"product ({where})", details={"field": "name"})
    if siblings and changed.tax_rate != current.tax_rate:
        raise InvalidInput(f"the tax rate is the product's, for all its variants: change it "
                           f"there ({where})", details={"field": "tax_rate"})


def _save_group(ctx: ServiceContext, uow: UnitOfWork, group: ProductGroup,
                changed: Sequence[Product], siblings: Sequence[Product]) -> None:
    """The product's own change, and what each other variant now shows of it."""
    uow.product_groups.update(group, uow.now)
    group.version += 1
    shown = [replace(p, category=group.category) for p in siblings]
    for sibling in shown:
        uow.emit("product.updated", payloads.product(sibling, ctx.currency))
    variants = sorted([*changed, *shown], key=lambda p: p.sku)
    uow.emit("product_group.updated", payloads.product_group(group, variants, ctx.currency))


def apply_changes(ctx: ServiceContext, current: Product, changes: ProductChanges) -> Product:
    updated = replace(current, barcodes=list(current.barcodes), options=dict(current.options))
    if changes.name is not None:
        updated.name = validate_name(changes.name)
    if changes.price is not None:
        updated.price = validate_price(ctx.currency.parse(changes.price, field="price"))
    if changes.tax_rate is not None:
        updated.tax_rate = parse_tax_rate(changes.tax_rate)
    if changes.barcodes is not None:
        updated.barcodes = parse_barcodes(changes.barcodes)
    if changes.active is not None:
        updated.active = changes.active
    if changes.cost is not None:
        updated.cost = parse_cost(changes.cost)
    if changes.category is not None:
        updated.category = validate_category(changes.category)
    return updated


def check_barcodes_free(uow: UnitOfWork, codes: Sequence[Barcode], *, owner: int | None) -> None:
    owners = uow.products.owner_of_barcodes(b.gtin14 for b in codes)
    taken = [b.code for b in codes if owners.get(b.gtin14, owner) != owner]
    if taken:
        raise Conflict(f"barcode {taken[0]!r} belongs to another product",
                       details={"barcodes": taken})


def get_product(ctx: ServiceContext, sku: str) -> Product:
    with ctx.uow(read_only=True) as uow:
        product = uow.products.get(sku)
    if product is None:
        raise NotFound(f"no product with SKU {sku!r}", details={"sku": sku})
    return product


def search_products(ctx: ServiceContext, *, query: str | None, after_sku: str | None,
                    limit: int, category: str | None = None) -> list[Product]:
    """SKUs whose SKU, name or product's name holds ``query``, in ``category`` or under it."""
    with ctx.uow(read_only=True) as uow:
        return uow.products.search(query=query, after_sku=after_sku, limit=limit,
                                   category=category)


def product_by_barcode(ctx: ServiceContext, code: str) -> tuple[Product, ScanResult]:
    """The product a scanned code stands for, and what the code embeds (weight, price).

    Accepts EAN/UPC, GS1 element strings (FNC1 as the GS character) and in-store
    variable-measure codes; a symbology identifier (``]C1``, ``]E0`` ...) may lead.
    """
    with ctx.uow(read_only=True) as uow:
        rules = uow.details.read().rcn_rules or DEFAULT_RCN_RULES
        try:
            scan = parse_scan(code, rules)
        except BarcodeError as exc:
            raise InvalidInput(str(exc), details={"barcode": code}) from None
        product = uow.products.get_by_gtin(scan.lookup_gtin14)
    if product is None:
        raise NotFound(f"no product with barcode {code!r}", details={"barcode": code})
    return product, scan
