"""The reconciler: compare a shop with tillflow in full, report every difference, heal it.

Products made in the shop are imported first (their stock counted in at the shop's
figure). Then orders: a web order the shop has and tillflow missed (a dropped webhook, a
poll gap) is recorded as the channel sale it should have been, so its ``channel_order``
movement explains the stock it took. Then stock, in pages within the rate limits: where
figures still differ, the connection's ``stock_master`` decides. ``tillflow`` (the
default) pushes the ledger's figure to the shop with a compare-and-set; ``shop`` records
a count movement in tillflow's ledger that names the shop's figure as the reason.
Nothing is overwritten without a line in the report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, update

from tillflow.db.tables import products, stock_levels
from tillflow.db.tables_sync import sync_reconciliations
from tillflow.db.uow import connection_of
from tillflow.domain.errors import DomainError
from tillflow.domain.inventory import Movement, MovementKind
from tillflow.ports.commerce import (
    CommerceChannel,
    RemoteProduct,
    StaleStock,
    StockTarget,
)
from tillflow.services import catalog
from tillflow.services import products as product_groups
from tillflow.services.context import SYSTEM, ServiceContext
from tillflow.services.inventory import record_movements
from tillflow.sync.channels import Channels, Shop
from tillflow.sync.polling import apply_changes, origin

PAGE = 100
FIELDS = ("kind", "sku", "location", "tillflow", "shop", "action", "external_id")


@dataclass(frozen=True)
class Report:
    id: int
    connection: str
    started_at: datetime
    finished_at: datetime | None
    checked: int
    drift_count: int
    items: list[dict[str, Any]]
    error: str | None

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "connection": self.connection,
                "started_at": self.started_at.isoformat(),
                "finished_at": self.finished_at.isoformat() if self.finished_at else None,
                "checked": self.checked, "drift_count": self.drift_count,
                "items": self.items, "error": self.error}

    def as_csv(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({k: item.get(k, "") for k in FIELDS} for item in self.items)
        return out.getvalue()


def reconcile(ctx: ServiceContext, channels: Channels, name: str) -> Report:
    shop = channels.shop(name)
    channel = channels.channel(shop)
    with ctx.uow() as uow:
        report_id = int(connection_of(uow).execute(
            insert(sync_reconciliations).values(
                connection=name, scope="all", started_at=uow.now, checked=0, drift_count=0,
                items=[]).returning(sync_reconciliations.c.id)
        ).scalar_one())
        uow.commit()
    items: list[dict[str, Any]] = []
    checked, error = 0, None
    try:
        items.extend(_import_products(ctx, shop, channel))
        items.extend(_orders(ctx, shop, channel))
        for platform, code in shop.platform_locations().items():
            location = platform or channel.primary_location
            found, count = _stock(ctx, shop, channel, code=code, location=location,
                                  report_id=report_id)
            items.extend(found)
            checked += count
    except Exception as exc:  # the report says how far it got
        error = f"{type(exc).__name__}: {exc}"
    with ctx.uow() as uow:
        connection_of(uow).execute(
            update(sync_reconciliations).where(sync_reconciliations.c.id == report_id)
            .values(finished_at=uow.now, checked=checked, drift_count=len(items), items=items,
                    error=error))
        uow.commit()
    found_report = latest(ctx, name)
    assert found_report is not None
    return found_report


def _orders(ctx: ServiceContext, shop: Shop, channel: CommerceChannel) -> list[dict[str, Any]]:
    cursor = origin(ctx, shop.name)
    items: list[dict[str, Any]] = []
    while cursor is not None:
        page = channel.order_changes(cursor)
        items.extend({"kind": "order", "external_id": order_id,
                      "action": f"missed web order {outcome}"}
                     for order_id, outcome in apply_changes(ctx, shop, channel, page)
                     if outcome not in ("unchanged", "stale", "not placed", "own order"))
        cursor = None if page.cursor == cursor else page.cursor
    return items


def _import_products(ctx: ServiceContext, shop: Shop,
                     channel: CommerceChannel) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page, cursor = channel.products(cursor)
        held: dict[str, list[RemoteProduct]] = {}
        for remote in page:
            held.setdefault(remote.external_id, []).append(remote)
        for its_skus in held.values():
            items.extend(import_new(ctx, shop, channel, its_skus))
        if cursor is None:
            return items


def import_product(ctx: ServiceContext, shop: Shop, channel: CommerceChannel,
                   remote: RemoteProduct) -> dict[str, Any]:
    """A product made in the shop becomes a tillflow product, its stock at the shop's
    primary location counted in; from then on tillflow owns it."""
    code = shop.platform_locations().get(None)
    item: dict[str, Any] = {"kind": "product", "sku": remote.sku,
                            "external_id": remote.external_id}
    barcodes = [remote.barcode] if remote.barcode else []
    for codes in (barcodes, []):  # a barcode tillflow refuses does not stop the product
        try:
            catalog.create_product(ctx, catalog.ProductInput(
                sku=remote.sku, name=remote.title, price=str(remote.price), barcodes=codes,
                active=remote.status == "active"))
            break
        except DomainError as exc:
            if not codes:
                return {**item, "action": f"not imported: {exc.message}"}
    if code is not None:
        shown = channel.stock([remote.sku], channel.primary_location).get(remote.sku, 0)
        if shown:
            _adopt(ctx, shop, code, [(remote.sku, Decimal(0), shown)])
        item.update(location=code, tillflow="0", shop=str(shown))
    return {**item, "action": "created in tillflow from the shop"}


def import_new(ctx: ServiceContext, shop: Shop, channel: CommerceChannel,
               held: Sequence[RemoteProduct]) -> list[dict[str, Any]]:
    """The SKUs of one shop product (``held``, all of them) that tillflow does not have:
    a product with options arrives whole, as one tillflow product, when all of it is
    new; otherwise each new SKU is a product of its own."""
    with ctx.uow(read_only=True) as uow:
        new = [p for p in held if uow.products.get(p.sku) is None]
    if new and len(new) == len(held) and all(p.options for p in held):
        return import_group(ctx, shop, channel, new)
    return [import_product(ctx, shop, channel, remote) for remote in new]


def import_group(ctx: ServiceContext, shop: Shop, channel: CommerceChannel,
                 remotes: Sequence[RemoteProduct]) -> list[dict[str, Any]]:
    """A shop product whose SKUs all carry their option values becomes one tillflow
    product with those options (values in the order the variants show them), each
    variant's stock counted in; one tillflow refuses is imported SKU by SKU instead."""
    names = [name for name, _ in remotes[0].options]
    values: dict[str, list[str]] = {name: [] for name in names}
    for remote in remotes:
        for name, value in remote.options:
            if name in values and value not in values[name]:
                values[name].append(value)
    for with_barcodes in (True, False):
        try:
            product_groups.create_group(ctx, product_groups.GroupInput(
                name=remotes[0].title, options=[(n, values[n]) for n in names],
                variants=[product_groups.VariantInput(
                    sku=r.sku, options=dict(r.options), price=str(r.price),
                    barcodes=[r.barcode] if r.barcode and with_barcodes else [],
                    active=r.status == "active") for r in remotes]))
            break
        except DomainError:
            if not with_barcodes:
                return [import_product(ctx, shop, channel, r) for r in remotes]
    items = [{"kind": "product", "sku": r.sku, "external_id": r.external_id,
              "action": "created in tillflow from the shop, as a variant"} for r in remotes]
    code = shop.platform_locations().get(None)
    if code is not None:
        shown = channel.stock([r.sku for r in remotes], channel.primary_location)
        _adopt(ctx, shop, code, [(sku, Decimal(0), n) for sku, n in shown.items() if n])
        for item in items:
            item.update(location=code, tillflow="0", shop=str(shown.get(item["sku"], 0)))
    return items


def _stock(ctx: ServiceContext, shop: Shop, channel: CommerceChannel, *, code: str,
           location: str, report_id: int) -> tuple[list[dict[str, Any]], int]:
    items: list[dict[str, Any]] = []
    checked, after = 0, ""
    while True:
        ledger = _ledger_page(ctx, shop, code, after)
        if not ledger:
            return items, checked
        after = ledger[-1][0]
        shown = channel.stock([sku for sku, _ in ledger], location)
        checked += len(ledger)
        drift = [(sku, want, shown[sku]) for sku, want in ledger
                 if sku in shown and shown[sku] != shop.available(want)]
        items.extend({"kind": "missing", "sku": sku, "location": code,
                      "tillflow": str(want), "action": "not in the shop's catalog"}
                     for sku, want in ledger if sku not in shown)
        items.extend(_heal(ctx, shop, channel, code=code, location=location, drift=drift,
                           key=f"{report_id}-{after}"))


def _ledger_page(ctx: ServiceContext, shop: Shop, code: str,
                 after: str) -> list[tuple[str, Decimal]]:
    with ctx.uow(read_only=True) as uow:
        location = uow.locations.get(code)
        if location is None:
            return []
        rows = connection_of(uow).execute(
            select(products.c.sku, stock_levels.c.on_hand)
            .select_from(products.outerjoin(stock_levels, (stock_levels.c.product_id
                                                          == products.c.id)
                                            & (stock_levels.c.location_id == location.id)))
            .where(products.c.sku > after).order_by(products.c.sku).limit(PAGE)
        ).all()
    return [(r.sku, r.on_hand if r.on_hand is not None else Decimal(0)) for r in rows]


def _heal(ctx: ServiceContext, shop: Shop, channel: CommerceChannel, *, code: str,
          location: str, drift: list[tuple[str, Decimal, int]],
          key: str) -> list[dict[str, Any]]:
    if not drift:
        return []
    master = str(shop.view.settings.get("stock_master") or "tillflow")
    if master == "shop":
        _adopt(ctx, shop, code, drift)
        action = "tillflow counted to the shop's figure"
    else:
        try:
            channel.set_stock([StockTarget(sku=sku, location=location,
                                           available=shop.available(want), expected=shown)
                               for sku, want, shown in drift], idempotency_key=f"rec-{key}")
            action = "shop set to tillflow's figure"
        except StaleStock:
            action = "shop moved meanwhile; left to the next delivery"
    return [{"kind": "stock", "sku": sku, "location": code, "tillflow": str(want),
             "shop": str(shown), "action": action} for sku, want, shown in drift]


def _adopt(ctx: ServiceContext, shop: Shop, code: str,
           drift: list[tuple[str, Decimal, int]]) -> None:
    with ctx.uow() as uow:
        location = uow.locations.get(code)
        assert location is not None
        ids = {}
        movements = []
        for sku, want, shown in drift:
            product = uow.products.get(sku)
            if product is None or product.id is None:
                continue
            ids[product.id] = sku
            movements.append(Movement(
                product.id, location.id, MovementKind.COUNT,
                Decimal(shown + shop.buffer) - want,
                reason=f"reconciliation with {shop.name}: the shop showed {shown}"))
        record_movements(uow, SYSTEM, ids, [location], movements, guard=False)
        uow.commit()


def latest(ctx: ServiceContext, name: str) -> Report | None:
    t = sync_reconciliations
    with ctx.uow(read_only=True) as uow:
        row = connection_of(uow).execute(
            select(t).where(t.c.connection == name).order_by(t.c.id.desc()).limit(1)).first()
    if row is None:
        return None
    return Report(id=row.id, connection=row.connection, started_at=row.started_at,
                  finished_at=row.finished_at, checked=row.checked,
                  drift_count=row.drift_count, items=row.items, error=row.error)
