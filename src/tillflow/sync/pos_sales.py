"""Till sales pushed to the shops as paid orders, one order per sale and shop, and their
returns as refunds on those orders where the channel can record them.

The order carries ``SALE_SOURCE`` + the sale id as its source identifier: the channel
finds an order an earlier try made before it creates one, and the inbound side knows the
order as tillflow's own when the shop announces it. The order does not move the shop's
stock; the sale's stock movements reach the shop as figures, like every other change.
"""

from __future__ import annotations

from decimal import Decimal

import structlog

from tillflow.db.uow import connection_of
from tillflow.domain.customers import Customer
from tillflow.domain.money import Currency
from tillflow.domain.records import ReturnRecord, SaleRecord
from tillflow.ports.commerce import (
    RETURN_SOURCE,
    SALE_SOURCE,
    CommerceChannel,
    OrderLine,
    PosRefund,
    PosSale,
    RefundsTillReturns,
    Rejected,
    Retryable,
)
from tillflow.services.context import ServiceContext
from tillflow.sync import idmap, work_queue
from tillflow.sync.channels import Shop
from tillflow.sync.customers import buyer_of
from tillflow.sync.polling import platform_time
from tillflow.sync.relay import PRODUCT, sku_key
from tillflow.sync.work_queue import Delivery

log = structlog.get_logger("tillflow.sync")

# A shop's order search is eventually consistent: an order made by a call whose answer was
# lost may not be found for a few seconds. The retry waits this long before it looks. A
# throttled call (it names its own wait) was refused unread and needs no such wait.
LOOKUP_SETTLE_SECONDS = 10.0


def _settled_retry(exc: Retryable) -> Retryable:
    if exc.retry_after is not None:
        return exc
    return Retryable(str(exc), retry_after=LOOKUP_SETTLE_SECONDS)


def pos_sale(record: SaleRecord, customer: Customer | None, currency: Currency) -> PosSale:
    """The order a sale becomes: discounts and tax folded into each line's unit price."""
    return PosSale(source_id=f"{SALE_SOURCE}{record.id}", number=record.number,
                   placed_at=platform_time(record.created_at), currency=currency.code,
                   total=record.total,
                   lines=_lines(record.number, [(line.sku, line.quantity, line.total)
                                                for line in record.lines], currency),
                   buyer=None if customer is None else buyer_of(customer))


def pos_refund(record: ReturnRecord, order_id: str, currency: Currency) -> PosRefund:
    return PosRefund(source_id=f"{RETURN_SOURCE}{record.id}", order_id=order_id,
                     number=record.number, currency=currency.code, total=record.total,
                     lines=_lines(record.number, [(line.sku, line.quantity, line.total)
                                                  for line in record.lines], currency))


def _lines(number: str, lines: list[tuple[str, Decimal, Decimal]],
           currency: Currency) -> tuple[OrderLine, ...]:
    """Whole units at the price paid (discounts and tax folded in)."""
    found = []
    for sku, quantity, total in lines:
        if quantity != quantity.to_integral_value() or quantity <= 0:
            raise Rejected(f"{number}: {quantity} of {sku} is not a whole number of units, "
                           "which a web order cannot hold")
        whole = int(quantity)
        found.append(OrderLine(sku=sku, quantity=whole,
                               unit_price=currency.round(total / whole)))
    return tuple(found)


def push_sale(ctx: ServiceContext, shop: Shop, channel: CommerceChannel,
              row: Delivery) -> None:
    sale_id = str(row.payload["sale"])
    with ctx.uow(read_only=True) as uow:
        if idmap.by_local(connection_of(uow), shop.name, idmap.ORDER, sale_id) is not None:
            return  # pushed before; this row is a replay
        record = uow.sales.get(sale_id)
        if record is None:
            raise Rejected(f"tillflow has no sale {sale_id!r}")
        # A product sold right after it was made may not have reached the shop yet.
        if work_queue.waiting(connection_of(uow), shop.name, PRODUCT,
                         [sku_key(line.sku) for line in record.lines], before=row.id):
            raise Retryable("the sale's products are not in the shop yet", retry_after=1.0)
        customer = (uow.customers.get(record.customer_id)
                    if record.customer_id is not None else None)
    try:
        order_id = channel.push_sale(pos_sale(record, customer, ctx.currency))
    except Retryable as exc:
        raise _settled_retry(exc) from exc
    with ctx.uow() as uow:
        idmap.put(connection_of(uow), shop.name, idmap.ORDER,
                  idmap.Mapping(sale_id, order_id, None, {"pushed": True}), now=uow.now)
        uow.commit()
    log.info("till sale pushed as an order", connection=shop.name, sale=record.number,
             order=order_id)


def push_return(ctx: ServiceContext, shop: Shop, channel: CommerceChannel,
                row: Delivery) -> None:
    """A return of a sale that is an order in the shop, recorded there as a refund."""
    return_id = str(row.payload["return"])
    with ctx.uow(read_only=True) as uow:
        if idmap.by_local(connection_of(uow), shop.name, idmap.REFUND, return_id) is not None:
            return  # recorded before; this row is a replay
        record = uow.sales.get_return(return_id)
        if record is None:
            raise Rejected(f"tillflow has no return {return_id!r}")
        order = idmap.by_local(connection_of(uow), shop.name, idmap.ORDER, record.sale_id)
    if order is None or not order.data.get("pushed"):
        log.info("return reaches the shop as stock only", connection=shop.name,
                 number=record.number, reason="its sale is no order tillflow made there")
        return
    if not isinstance(channel, RefundsTillReturns):
        log.info("return reaches the shop as stock only", connection=shop.name,
                 number=record.number, reason="the channel records no refunds")
        return
    try:
        refund_id = channel.push_refund(pos_refund(record, order.external_id, ctx.currency))
    except Retryable as exc:
        raise _settled_retry(exc) from exc
    with ctx.uow() as uow:
        idmap.put(connection_of(uow), shop.name, idmap.REFUND,
                  idmap.Mapping(return_id, refund_id, None, {"order": order.external_id}),
                  now=uow.now)
        uow.commit()
    log.info("till return pushed as a refund", connection=shop.name, number=record.number,
             order=order.external_id, refund=refund_id)
