"""Applying a shop's web orders to tillflow.

A web order becomes one channel sale at the shop's own figures (idempotent on the
platform's order id, so a webhook, a poll and a retry make one sale) with
``channel_order`` movements at the mapped location. Afterwards, each copy of the order
brings what changed in the shop: the money of an order paid later settles its receivable,
each refund becomes a return carrying the shop's refunded amounts (once per refund), a
cancellation gives back what is left, and units the platform put back come back through
the ledger once (the external-id map remembers how many, in the same transaction as the
movements). An older copy of an order than the one last applied (its ``updated_at`` is
earlier) changes nothing. An order tillflow made from a till sale (its source identifier
says so) is never applied.

An order tillflow cannot record raises ``InvalidInput`` or ``Rejected`` (see
``is_refusal``); the engine makes it a dead letter of its own and goes on.
"""

from __future__ import annotations

from decimal import Decimal

import structlog

from tillflow.db.uow import connection_of
from tillflow.domain.errors import Conflict, InvalidInput
from tillflow.domain.inventory import Movement, MovementKind
from tillflow.domain.web_orders import ShopCharge, ShopLine, ShopOrder, tender_method
from tillflow.domain.web_refunds import ShopRefund, ShopRefundLine
from tillflow.ports.commerce import SALE_SOURCE, Rejected, RemoteOrder, RemoteRefund, Retryable
from tillflow.ports.persistence import DuplicateRecord, UnitOfWork
from tillflow.services.channel_sales import (
    WebOrder,
    record_web_return,
    record_web_sale,
    settle_web_sale,
)
from tillflow.services.context import SYSTEM, ServiceContext
from tillflow.services.inventory import record_movements
from tillflow.sync import idmap, work_queue
from tillflow.sync.channels import Shop

log = structlog.get_logger("tillflow.sync")

CHANGED = frozenset({"recorded", "restocked", "refunded", "settled", "cancelled"})


def is_refusal(exc: BaseException) -> bool:
    """An order that applying again will not mend: its own fault, not the shop's or the
    network's (those are retried)."""
    return isinstance(exc, InvalidInput | Rejected)


def is_transient(exc: BaseException) -> bool:
    """The shop or the database away or busy (a race lost to another worker): trying the
    same order again later succeeds."""
    return isinstance(exc, Retryable | Conflict | DuplicateRecord)


def apply_order(ctx: ServiceContext, shop: Shop, order: RemoteOrder) -> str:
    """Record ``order`` or what changed in it; returns what happened ("recorded",
    "settled", "refunded", "cancelled", "restocked", "unchanged", "stale", "not placed",
    "own order")."""
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
    if known is None and not order.placed:
        return "not placed"
    outcomes = []
    if known is None:
        sale_id, created = _record_sale(ctx, shop, order, location)
        if created:  # else another worker recorded it a moment ago
            outcomes.append("recorded")
    else:
        sale_id = known.local_id
    outcomes += _money_since(ctx, shop, order, sale_id)
    if _restock(ctx, shop, order, location, sale_id):
        outcomes.append("restocked")
    return outcomes[0] if outcomes else "unchanged"


def _location(shop: Shop, order: RemoteOrder) -> str:
    mapped = shop.platform_locations()
    code = mapped.get(order.location) if order.location else None
    code = code or mapped.get(None)
    if code is None:
        raise Rejected(f"{shop.name} maps no tillflow location for {order.location or 'web'}")
    return code


def _record_sale(ctx: ServiceContext, shop: Shop, order: RemoteOrder,
                 location: str) -> tuple[str, bool]:
    payment = order.payment
    sale, created = record_web_sale(ctx, WebOrder(
        channel=shop.platform, external_id=order.external_id, location=location,
        order=shop_order(order, default_currency=ctx.currency.code),
        method=tender_method(payment.gateway if payment else None, shop.tenders),
        paid=payment is None or payment.paid, buyer=order.buyer))
    with ctx.uow() as uow:
        # Only if missing: a worker that recorded it a moment ago may have restocked since.
        idmap.put_new(connection_of(uow), shop.name, idmap.ORDER,
                      idmap.Mapping(sale.id, order.external_id, order.updated_at,
                                    {"restocked": {}}), now=uow.now)
        uow.commit()
    if created:
        log.info("web order recorded", connection=shop.name, order=order.external_id,
                 sale=sale.number, total=str(sale.total),
                 tenders=[p.method for p in sale.payments])
    return sale.id, created


def shop_order(order: RemoteOrder, *, default_currency: str) -> ShopOrder:
    """The order's figures as the shop charged them; a platform that reports no total is
    refused rather than booked at tillflow's prices."""
    if order.total is None:
        raise Rejected(f"order {order.external_id}: the shop reports no order total")
    return ShopOrder(
        currency=order.currency or default_currency, taxes_included=order.taxes_included,
        lines=tuple(ShopLine(
            sku=line.sku, quantity=Decimal(line.quantity),
            amount=line.amount if line.amount is not None else line.unit_price * line.quantity,
            discount=line.discount, order_discount=line.order_discount,
            tax=line.tax if line.tax is not None else Decimal(0), tax_rate=line.tax_rate)
            for line in order.lines),
        charges=tuple(ShopCharge(kind=c.kind, title=c.title, amount=c.amount, tax=c.tax,
                                 tax_rate=c.tax_rate) for c in order.charges),
        total=order.total, total_tax=order.total_tax)


def _money_since(ctx: ServiceContext, shop: Shop, order: RemoteOrder,
                 sale_id: str) -> list[str]:
    """Settlement, refunds and cancellation, each applied once, in that order: money paid
    later settles the receivable before a refund gives some back."""
    reference = f"{shop.platform}:{order.external_id}"
    outcomes = []
    if order.payment is not None and order.payment.paid:
        method = tender_method(order.payment.gateway, shop.tenders)
        if settle_web_sale(ctx, sale_id, method=method, reference=reference) is not None:
            outcomes.append("settled")
    cancel_key = f"cancel:{order.external_id}"
    if _recorded_return(ctx, shop, cancel_key):
        return outcomes  # a refund the shop shows after its cancellation was given back
    for refund in order.refunds:
        if record_web_return(ctx, sale_id, channel=shop.platform, key=refund.external_id,
                             refund=shop_refund(refund), restock=refund.restock,
                             reference=reference) is not None:
            outcomes.append("refunded")
    if order.cancelled and record_web_return(
            ctx, sale_id, channel=shop.platform, key=cancel_key, refund=None, restock=True,
            reference=reference) is not None:
        outcomes.append("cancelled")
    return outcomes


def _recorded_return(ctx: ServiceContext, shop: Shop, key: str) -> bool:
    with ctx.uow(read_only=True) as uow:
        return uow.keys.find(scope=f"web-return:{shop.platform}", key=key) is not None


def shop_refund(refund: RemoteRefund) -> ShopRefund:
    """A shop refund's figures, tax included, in the domain's terms."""
    return ShopRefund(
        lines=tuple(ShopRefundLine(sku=x.sku, quantity=Decimal(x.quantity), amount=x.amount,
                                   tax=x.tax) for x in refund.lines),
        charges=refund.charges, charges_tax=refund.charges_tax, total=refund.total)


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
        # Applied at last: a dead letter this order left behind is done with.
        work_queue.settle_order(connection_of(uow), shop.name, order.external_id, now=uow.now)
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
