"""Applying a shop's web orders to tillflow.

A web order becomes one channel sale (idempotent on the platform's order id, so a webhook,
a poll and a retry make one sale) with ``channel_order`` movements at the mapped
location. Units the platform put back (a cancelled or refunded order with restock) come
back through the ledger once: the external-id map remembers how many were restocked, in
the same transaction as the movements. An older copy of an order than the one last
applied (its ``updated_at`` is earlier) changes nothing. An order tillflow made from a
till sale (its source identifier says so) is never applied.
"""

from __future__ import annotations

from decimal import Decimal

import structlog

from tillflow.db.uow import connection_of
from tillflow.domain.errors import Conflict, DomainError
from tillflow.domain.inventory import Movement, MovementKind
from tillflow.domain.sales import LineInput, price_sale
from tillflow.ports.commerce import SALE_SOURCE, Buyer, Rejected, RemoteOrder
from tillflow.ports.persistence import UnitOfWork
from tillflow.services import customers
from tillflow.services.context import SYSTEM, ServiceContext
from tillflow.services.inventory import record_movements
from tillflow.services.sales import (
    Origin,
    SaleLineRequest,
    SaleRequest,
    TenderRequest,
    record_sale,
)
from tillflow.sync import idmap
from tillflow.sync.channels import Shop

log = structlog.get_logger("tillflow.sync")


def apply_order(ctx: ServiceContext, shop: Shop, order: RemoteOrder) -> str:
    """Record ``order``; returns what happened ("recorded", "restocked", "unchanged",
    "stale", "not placed", "own order")."""
    with ctx.uow(read_only=True) as uow:
        known = idmap.by_external(connection_of(uow), shop.name, idmap.ORDER, order.external_id)
    if (order.source_id or "").startswith(SALE_SOURCE) or (known and known.data.get("pushed")):
        # A till sale pushed as an order: its stock moved at the till already.
        log.info("own order seen again, not applied", connection=shop.name,
                 order=order.external_id, source=order.source_id)
        return "own order"
    location = _location(shop, order)
    if known is not None and known.version is not None and order.updated_at < known.version:
        log.info("older copy of an order ignored", connection=shop.name,
                 order=order.external_id, seen=known.version, got=order.updated_at)
        return "stale"
    outcome = "unchanged"
    if known is None and not order.placed:
        return "not placed"
    if known is None:
        sale_id = _record_sale(ctx, shop, order, location)
        outcome = "recorded"
    else:
        sale_id = known.local_id
    if _restock(ctx, shop, order, location, sale_id):
        outcome = "restocked" if outcome == "unchanged" else outcome
    return outcome


def _location(shop: Shop, order: RemoteOrder) -> str:
    mapped = shop.platform_locations()
    code = mapped.get(order.location) if order.location else None
    code = code or mapped.get(None)
    if code is None:
        raise Rejected(f"{shop.name} maps no tillflow location for {order.location or 'web'}")
    return code


def _record_sale(ctx: ServiceContext, shop: Shop, order: RemoteOrder, location: str) -> str:
    if not order.lines:
        raise Rejected(f"order {order.external_id} has no lines with a SKU")
    lines = [SaleLineRequest(sku=line.sku, quantity=line.quantity,
                             unit_price=str(line.unit_price))
             for line in order.lines]
    total = _total(ctx, order)
    payments = [TenderRequest(method="card", amount=str(total),
                              reference=f"{shop.platform}:{order.external_id}")] if total else []
    sale, _created = record_sale(
        ctx, SYSTEM,
        SaleRequest(location=location, lines=lines, payments=payments,
                    customer=_customer(ctx, order.buyer)),
        origin=Origin(channel=shop.platform, external_id=order.external_id),
    )
    with ctx.uow() as uow:
        idmap.put(connection_of(uow), shop.name, idmap.ORDER,
                  idmap.Mapping(sale.id, order.external_id, order.updated_at, {"restocked": {}}),
                  now=uow.now)
        uow.commit()
    return sale.id


def _total(ctx: ServiceContext, order: RemoteOrder) -> Decimal:
    with ctx.uow(read_only=True) as uow:
        rates = {}
        for line in order.lines:
            product = uow.products.get(line.sku)
            if product is None:
                raise Rejected(f"order {order.external_id}: tillflow has no SKU {line.sku!r}")
            rates[line.sku] = product.tax_rate
    priced = price_sale(
        [LineInput(sku=line.sku, quantity=Decimal(line.quantity), unit_price=line.unit_price,
                   discount=Decimal(0), tax_rate=rates[line.sku]) for line in order.lines],
        order_discount=Decimal(0), tax_inclusive=ctx.config.tax_inclusive,
        currency=ctx.currency,
    )
    return priced.total


def _customer(ctx: ServiceContext, buyer: Buyer | None) -> str | None:
    """The same person once: matched by normalised email, then phone, else created.
    Contact details tillflow cannot read leave the sale without a customer."""
    if buyer is None:
        return None
    try:
        return _match_or_create(ctx, buyer)
    except DomainError as exc:
        log.info("web order buyer not recorded", reason=exc.code)
        return None


def _match_or_create(ctx: ServiceContext, buyer: Buyer) -> str:
    for email, phone in ((buyer.email, None), (None, buyer.phone)):
        if email or phone:
            found = customers.find_customers(ctx, email=email, phone=phone)
            if found:
                return found[0].id
    name = " ".join(p for p in (buyer.first_name, buyer.last_name) if p) or None
    try:
        return customers.create_customer(ctx, name=name, email=buyer.email,
                                         phone=buyer.phone).id
    except Conflict:  # created meanwhile by another worker
        return customers.find_customers(ctx, email=buyer.email, phone=None)[0].id


def _restock(ctx: ServiceContext, shop: Shop, order: RemoteOrder, location: str,
             sale_id: str) -> bool:
    with ctx.uow() as uow:
        known = idmap.by_external(connection_of(uow), shop.name, idmap.ORDER, order.external_id,
                                  lock=True)
        assert known is not None
        done: dict[str, int] = dict(known.data.get("restocked", {}))
        due = {sku: qty - done.get(sku, 0) for sku, qty in order.restocked.items()
               if qty > done.get(sku, 0)}
        if due:
            _movements(uow, shop, order, location, due)
        version = max(known.version or "", order.updated_at)
        idmap.put(connection_of(uow), shop.name, idmap.ORDER,
                  idmap.Mapping(sale_id, order.external_id, version,
                                {"restocked": {**done, **{s: done.get(s, 0) + q
                                                          for s, q in due.items()}}}),
                  now=uow.now)
        uow.commit()
    return bool(due)


def _movements(uow: UnitOfWork, shop: Shop, order: RemoteOrder, location: str,
               due: dict[str, int]) -> None:
    loc = uow.locations.get(location)
    if loc is None:
        raise Rejected(f"tillflow has no location {location!r}")
    products = {sku: uow.products.get(sku) for sku in due}
    ids = {p.id: p.sku for p in products.values() if p is not None and p.id is not None}
    record_movements(uow, SYSTEM, ids, [loc], [
        Movement(product_id, loc.id, MovementKind.CHANNEL_ORDER, Decimal(due[sku]),
                 reason=f"{shop.platform} order restocked",
                 reference=f"{shop.platform}:{order.external_id}")
        for product_id, sku in ids.items()
    ])
