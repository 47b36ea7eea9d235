"""Pushing tillflow's changes to a shop: stock and products.

Stock is pushed as a figure, not a delta: the shop is told on-hand (read now, from the
ledger) less the safety buffer, with the compare-and-set against the figure the shop
last showed. That figure is remembered from the last read or write, so a push costs one
call; when the shop moved meanwhile (a web order) the compare-and-set fails, the figure
is read again and the push retried. A retry never double-counts.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tillflow.domain.catalog import Product
from tillflow.ports.commerce import (
    CommerceChannel,
    ProductData,
    ProductWithVariants,
    Refused,
    Rejected,
    SellsVariants,
    StaleStock,
    StockTarget,
    Upserted,
    UpsertsProductsInBulk,
    VariantData,
)
from tillflow.ports.persistence import UnitOfWork
from tillflow.ports.records import Location
from tillflow.services.context import ServiceContext
from tillflow.services.variant_groups import read_group
from tillflow.sync.channels import Shop
from tillflow.sync.work_queue import Delivery

CAS_ROUNDS = 3
CATALOG_PAGE = 500


@dataclass(frozen=True)
class StockPush:
    read_at: datetime
    changed: int


class ShownStock:
    """The figure each shop last showed for a SKU at a location, as this worker saw it."""

    def __init__(self) -> None:
        self._figures: dict[tuple[str, str, str], int] = {}

    def get(self, shop: str, location: str, sku: str) -> int | None:
        return self._figures.get((shop, location, sku))

    def remember(self, shop: str, location: str, figures: Mapping[str, int]) -> None:
        self._figures.update({(shop, location, sku): n for sku, n in figures.items()})

    def forget(self, shop: str, targets: Sequence[StockTarget]) -> None:
        for t in targets:
            self._figures.pop((shop, t.location, t.sku), None)


def push_stock(ctx: ServiceContext, shop: Shop, channel: CommerceChannel,
               rows: Sequence[Delivery], *, shown: ShownStock) -> StockPush:
    wanted = sorted({(r.payload["sku"], r.payload["location"]) for r in rows})
    key_base = f"{shop.name}:{','.join(str(r.id) for r in rows)}"
    for attempt in range(CAS_ROUNDS):
        read_at = ctx.clock()
        targets = _targets(ctx, shop, channel, wanted, shown=shown, trust=attempt == 0)
        if not targets:
            return StockPush(read_at=read_at, changed=0)
        try:
            channel.set_stock(targets, idempotency_key=_key(key_base, targets))
        except StaleStock:
            shown.forget(shop.name, targets)
            continue
        for t in targets:
            shown.remember(shop.name, t.location, {t.sku: t.available})
        return StockPush(read_at=read_at, changed=len(targets))
    raise StaleStock(f"stock kept moving in {shop.name} over {CAS_ROUNDS} tries")


def _targets(ctx: ServiceContext, shop: Shop, channel: CommerceChannel,
             wanted: Sequence[tuple[str, str]], *, shown: ShownStock,
             trust: bool) -> list[StockTarget]:
    by_code = {code: platform for platform, code in shop.platform_locations().items()}
    desired = _desired(ctx, shop, wanted)
    targets: list[StockTarget] = []
    for code in sorted({code for _, code in wanted}):
        location = by_code[code] or channel.primary_location
        skus = [sku for sku, c in wanted if c == code]
        known = {sku: n for sku in skus
                 if trust and (n := shown.get(shop.name, location, sku)) is not None}
        unknown = [sku for sku in skus if sku not in known]
        fresh = channel.stock(unknown, location) if unknown else {}
        missing = [sku for sku in unknown if sku not in fresh]
        if missing:
            raise Rejected(f"SKU {missing[0]!r} is not in {shop.name}'s catalog")
        shown.remember(shop.name, location, fresh)
        figures = {**known, **fresh}
        targets.extend(StockTarget(sku=sku, location=location, available=desired[(sku, code)],
                                   expected=figures[sku])
                       for sku in skus if figures[sku] != desired[(sku, code)])
    return targets


def _desired(ctx: ServiceContext, shop: Shop,
             wanted: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
    figures: dict[tuple[str, str], int] = {}
    with ctx.uow(read_only=True) as uow:
        for sku, code in wanted:
            product, location = uow.products.get(sku), uow.locations.get(code)
            if product is None or product.id is None or location is None:
                raise Rejected(f"tillflow has no {sku!r} at {code!r}")
            figures[(sku, code)] = shop.available(uow.stock.on_hand(product.id, location.id))
    return figures


def _key(base: str, targets: Sequence[StockTarget]) -> str:
    """Same rows and same figures give the same key: a retried call is not applied twice."""
    raw = json.dumps([base, [(t.sku, t.location, t.available, t.expected) for t in targets]])
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


def push_product(ctx: ServiceContext, shop: Shop, channel: CommerceChannel, sku: str, *,
                 shown: ShownStock) -> Upserted:
    """Create or update the product; a new one starts with tillflow's figure."""
    code = shop.platform_locations().get(None)
    with ctx.uow(read_only=True) as uow:
        product = uow.products.get(sku)
        location = uow.locations.get(code) if code else None
        data = None if product is None else _product_data(uow, shop, product, location)
    if data is None:
        raise Rejected(f"tillflow has no product {sku!r}")
    result = channel.upsert_product(data)
    if result.created:
        shown.remember(shop.name, channel.primary_location, {sku: data.available})
    return result


@dataclass(frozen=True)
class VariantsPush:
    """The shop's id of each SKU of the product it holds, every SKU of the product, and
    when tillflow read the product."""

    saved: Mapping[str, Upserted]
    skus: tuple[str, ...]
    read_at: datetime


def push_variants(ctx: ServiceContext, shop: Shop, channel: CommerceChannel, product_id: int,
                  *, shown: ShownStock) -> VariantsPush:
    """The product with every variant, as one product of the shop; each variant the shop
    did not have starts with tillflow's figure."""
    code = shop.platform_locations().get(None)
    read_at = ctx.clock()
    with ctx.uow(read_only=True) as uow:
        read = read_group(uow, product_id)
        if read is None:
            raise Rejected(f"tillflow has no product {product_id}")
        location = uow.locations.get(code) if code else None
        variants = tuple(
            VariantData(sku=d.sku, price=d.price, barcode=d.barcode, status=d.status,
                        available=d.available, values=read.values(v))
            for v in read.variants
            for d in [_product_data(uow, shop, v, location)])
    group = read.group
    data = ProductWithVariants(
        key=str(read.id), title=group.name, category=group.category,
        options=tuple((o.name, o.values) for o in group.options), variants=variants)
    if not isinstance(channel, SellsVariants):
        raise Rejected(f"{shop.name} sells each SKU as a product of its own")
    saved = channel.upsert_variants(data)
    shown.remember(shop.name, channel.primary_location,
                   {v.sku: v.available for v in variants if v.sku in saved
                    and saved[v.sku].created})
    return VariantsPush(saved=saved, skus=tuple(v.sku for v in variants), read_at=read_at)


@dataclass(frozen=True)
class CatalogPush:
    """What a bulk push of the catalog did: the shop's id of each SKU it saved, the
    figure each product it created starts with, the shop's reason for each SKU it
    refused, and the SKUs left to push one by one."""

    saved: dict[str, str]
    created: dict[str, int]
    refused: dict[str, str]
    left: list[str]


def push_catalog(ctx: ServiceContext, shop: Shop,
                 channel: UpsertsProductsInBulk) -> CatalogPush:
    """Every product in one call of the shop's bulk API."""
    code = shop.platform_locations().get(None)
    batch: list[ProductData] = []
    after: str | None = None
    while True:
        with ctx.uow(read_only=True) as uow:
            found = uow.products.search(query=None, after_sku=after, limit=CATALOG_PAGE)
            location = uow.locations.get(code) if code else None
            batch += [_product_data(uow, shop, p, location) for p in found]
        if len(found) < CATALOG_PAGE:
            break
        after = found[-1].sku
    answer = channel.upsert_products(batch) if batch else {}
    done = {sku: r for sku, r in answer.items() if isinstance(r, Upserted)}
    return CatalogPush(saved={sku: result.external_id for sku, result in done.items()},
                       created={p.sku: p.available for p in batch
                                if p.sku in done and done[p.sku].created},
                       refused={sku: r.reason for sku, r in answer.items()
                                if isinstance(r, Refused)},
                       left=[p.sku for p in batch if p.sku not in answer])


def _product_data(uow: UnitOfWork, shop: Shop, product: Product,
                  location: Location | None) -> ProductData:
    on_hand = (uow.stock.on_hand(product.id, location.id)
               if product.id is not None and location is not None else Decimal(0))
    return ProductData(
        sku=product.sku, title=product.name, price=product.price,
        barcode=product.barcodes[0].code if product.barcodes else None,
        status="active" if product.active else "draft", available=shop.available(on_hand))
