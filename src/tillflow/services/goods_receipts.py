"""Receiving goods: many lines at once, each with its unit cost, as one document whose
lines are receipt movements in the ledger, all in one transaction, which also brings each
variant's cost to the moving weighted average of what it holds and what arrived."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tillflow.domain.costing import moving_average
from tillflow.domain.inventory import Movement, MovementKind
from tillflow.domain.stock_documents import check_lines, check_unit_cost
from tillflow.ports.persistence import UnitOfWork
from tillflow.ports.stock_records import DocumentLine, GoodsReceipt
from tillflow.services import payloads, stock_documents
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.inventory import parse_quantity, record_movements
from tillflow.services.payloads import quantity as shown

SCOPE = "goods_receipt"
ZERO = Decimal(0)


@dataclass(frozen=True)
class ReceiptLineRequest:
    sku: str
    quantity: object
    unit_cost: object


@dataclass(frozen=True)
class ReceiptRequest:
    location: str
    lines: Sequence[ReceiptLineRequest]
    # The supplier's delivery note or order number.
    reference: str | None = None


def receive(ctx: ServiceContext, actor: Actor, request: ReceiptRequest, *,
            idempotency_key: str | None, request_hash: str) -> tuple[GoodsReceipt, bool]:
    """The receipt, and whether it was recorded now (False: a retry of one recorded)."""
    quantities = [parse_quantity(line.quantity, field=f"lines.{n}.quantity")
                  for n, line in enumerate(request.lines)]
    costs = [check_unit_cost(ctx.currency.parse(line.unit_cost, field=f"lines.{n}.unit_cost"),
                             field=f"lines.{n}.unit_cost")
             for n, line in enumerate(request.lines)]
    check_lines([line.sku for line in request.lines], quantities)

    def create(uow: UnitOfWork, receipt_id: str) -> GoodsReceipt:
        where = stock_documents.location(uow, request.location, field="location")
        found = [stock_documents.product(uow, line.sku, field=f"lines.{n}.sku")
                 for n, line in enumerate(request.lines)]
        number = stock_documents.number(uow, "GR")
        lines = [DocumentLine(line_no=n, product_id=p.id, sku=p.sku, quantity=q,
                              unit_cost=c)
                 for n, (p, q, c) in enumerate(zip(found, quantities, costs, strict=True),
                                               start=1)]
        uow.stock_documents.add_receipt(receipt_id=receipt_id, number=number,
                                        location_id=where.id, reference=request.reference,
                                        lines=lines, now=uow.now, actor=actor.name)
        why = f"goods receipt {number}" + (f" ({request.reference})" if request.reference else "")
        average_costs(ctx, uow, lines, reference=number)
        record_movements(uow, actor, {line.product_id: line.sku for line in lines}, [where], [
            Movement(line.product_id, where.id, MovementKind.RECEIPT, line.quantity,
                     reason=why, reference=number) for line in lines])
        uow.emit("goods_receipt.recorded", {
            "id": receipt_id, "number": number, "location": where.code,
            "reference": request.reference,
            "lines": [{"sku": line.sku, "quantity": shown(line.quantity),
                       "unit_cost": ctx.currency.format(cost)}
                      for line, cost in zip(lines, costs, strict=True)]})
        made = uow.stock_documents.get_receipt(receipt_id)
        assert made is not None
        return made

    return stock_documents.create_once(ctx, scope=SCOPE, key=idempotency_key,
                                       request_hash=request_hash, create=create,
                                       load=lambda uow, i: uow.stock_documents.get_receipt(i))


def average_costs(ctx: ServiceContext, uow: UnitOfWork, lines: Sequence[DocumentLine], *,
                  reference: str) -> None:
    """Each line's variant now costs the weighted average of the units it had on hand
    (across every location, before the receipt) and those received. Its row is held
    first, so concurrent receipts of one variant average one after the other."""
    held = uow.products.costing(line.product_id for line in lines)
    for line in lines:
        on_hand, cost = held[line.product_id]
        assert line.unit_cost is not None
        new = moving_average(on_hand=on_hand, cost=cost, quantity=line.quantity,
                             unit_cost=line.unit_cost)
        if new == cost:
            continue
        uow.products.set_cost(line.product_id, new, uow.now)
        uow.emit("product.cost_changed", {
            "sku": line.sku, "cost": payloads.cost(new, ctx.currency),
            "previous_cost": None if cost is None else payloads.cost(cost, ctx.currency),
            "reference": reference})


def get_receipt(ctx: ServiceContext, receipt_id: str) -> GoodsReceipt | None:
    with ctx.uow(read_only=True) as uow:
        return uow.stock_documents.get_receipt(receipt_id)


def list_receipts(ctx: ServiceContext, *, limit: int) -> list[GoodsReceipt]:
    with ctx.uow(read_only=True) as uow:
        found = [uow.stock_documents.get_receipt(i)
                 for i in uow.stock_documents.receipt_ids(limit=limit)]
    return [r for r in found if r is not None]


def describe(ctx: ServiceContext, receipt: GoodsReceipt) -> dict[str, Any]:
    """The receipt with each line's cost (quantity × unit cost, rounded) and their total."""
    money = ctx.currency
    costs = [money.round((line.unit_cost or ZERO) * line.quantity) for line in receipt.lines]
    return {
        "id": receipt.id, "number": receipt.number, "location": receipt.location,
        "reference": receipt.reference,
        "lines": [{"sku": line.sku, "quantity": shown(line.quantity),
                   "unit_cost": money.format(line.unit_cost or ZERO),
                   "cost": money.format(cost)}
                  for line, cost in zip(receipt.lines, costs, strict=True)],
        "total_cost": money.format(sum(costs, ZERO)),
        "created_at": receipt.created_at.isoformat(), "created_by": receipt.created_by,
    }
