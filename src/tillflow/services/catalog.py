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
from tillflow.domain.errors import Conflict, InvalidInput, NotFound
from tillflow.domain.money import parse_decimal
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


@dataclass(frozen=True)
class ProductChanges:
    name: str | None = None
    price: object | None = None
    tax_rate: object | None = None
    barcodes: Sequence[str] | None = None
    active: bool | None = None
    cost: object | None = None


def build_product(ctx: ServiceContext, data: ProductInput) -> Product:
    return Product(
        sku=validate_sku(data.sku),
        name=validate_name(data.name),
        price=validate_price(ctx.currency.parse(data.price, field="price")),
        tax_rate=parse_tax_rate(data.tax_rate),
        barcodes=parse_barcodes(data.barcodes),
        active=data.active,
        cost=None if data.cost is None else parse_cost(ctx, data.cost),
    )


def parse_cost(ctx: ServiceContext, raw: object) -> Decimal:
    cost = ctx.currency.parse(raw, field="cost")
    if cost < 0:
        raise InvalidInput("cost must not be negative", details={"field": "cost"})
    return cost


def parse_tax_rate(raw: object) -> Decimal:
    return validate_tax_rate(parse_decimal(raw, field="tax_rate", places=TAX_RATE_PLACES))


def create_product(ctx: ServiceContext, data: ProductInput, *,
                   source: str | None = None) -> Product:
    """``source`` names the ERP connection whose product this is, when it comes from one."""
    product = build_product(ctx, data)
    with ctx.uow() as uow:
        if uow.products.get(product.sku) is not None:
            raise Conflict(f"a product with SKU {product.sku!r} exists",
                           details={"sku": product.sku})
        catalog_master.check_edit(ctx, uow, None, product, source=source)
        _check_barcodes_free(uow, product.barcodes, owner=None)
        try:
            product.id = uow.products.add(product, uow.now)
        except DuplicateRecord:
            raise Conflict(f"a product with SKU {product.sku!r} or one of its barcodes exists",
                           details={"sku": product.sku}) from None
        uow.emit("product.created", payloads.product(product, ctx.currency))
        uow.commit()
    return product


def update_product(ctx: ServiceContext, sku: str, changes: ProductChanges, *,
                   source: str | None = None) -> Product:
    """``source`` names the ERP connection whose change this is, when it comes from one."""
    with ctx.uow() as uow:
        current = uow.products.get(sku)
        if current is None:
            raise NotFound(f"no product with SKU {sku!r}", details={"sku": sku})
        changed = apply_changes(ctx, current, changes)
        if changed == current:
            return current
        catalog_master.check_edit(ctx, uow, current, changed, source=source)
        _check_barcodes_free(uow, changed.barcodes, owner=current.id)
        uow.products.update(changed, uow.now)
        changed = replace(changed, version=current.version + 1)
        uow.emit("product.updated", payloads.product(changed, ctx.currency))
        uow.commit()
    return changed


def apply_changes(ctx: ServiceContext, current: Product, changes: ProductChanges) -> Product:
    updated = replace(current, barcodes=list(current.barcodes))
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
        updated.cost = parse_cost(ctx, changes.cost)
    return updated


def _check_barcodes_free(uow: UnitOfWork, codes: Sequence[Barcode], *, owner: int | None) -> None:
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
                    limit: int) -> list[Product]:
    with ctx.uow(read_only=True) as uow:
        return uow.products.search(query=query, after_sku=after_sku, limit=limit)


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
