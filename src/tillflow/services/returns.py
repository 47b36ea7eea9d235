"""Returns against a recorded sale: partial, never more than sold, optional restock."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from tillflow.domain.errors import Conflict, InvalidInput, NotFound
from tillflow.domain.inventory import Movement, MovementKind
from tillflow.domain.records import PaymentRecord, ReturnLineRecord, ReturnRecord, SaleRecord
from tillflow.domain.returns import (
    PricedReturn,
    ReturnRequestLine,
    SoldLine,
    check_refunds,
    price_return,
)
from tillflow.domain.sales import ZERO
from tillflow.ports.persistence import UnitOfWork
from tillflow.ports.records import Location, Register
from tillflow.services import audit, payloads, return_keys, voids
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.inventory import parse_quantity, record_movements
from tillflow.services.return_keys import ReturnKey
from tillflow.services.sales import TenderRequest, document_number, parse_tenders


@dataclass(frozen=True)
class ReturnLineRequest:
    sku: str
    quantity: object


@dataclass(frozen=True)
class ReturnRequest:
    lines: Sequence[ReturnLineRequest]
    restock: bool = True
    refunds: Sequence[TenderRequest] = ()
    register: str | None = None
    # Why the goods come back; "void" takes back a whole sale in its own shift.
    reason: str | None = None
    # A manager's approval token (a cashier's void needs one).
    approval: str | None = None


def record_return(ctx: ServiceContext, actor: Actor, sale_id: str,
                  request: ReturnRequest, *, also_approved: Sequence[str] = (),
                  key: ReturnKey | None = None) -> ReturnRecord:
    """Record a return (a void with ``reason="void"``). ``also_approved`` names the acts
    besides ``void`` whose approval was checked on the void's token (its card refund) and
    is spent here with it. With ``key``, a return made with it already is raised as
    ``return_keys.Replayed``."""
    actor.check_register(request.register)
    requested = [
        ReturnRequestLine(sku=line.sku,
                          quantity=parse_quantity(line.quantity, field=f"lines[{i}].quantity"))
        for i, line in enumerate(request.lines)
    ]
    refund_inputs = parse_tenders(ctx, request.refunds, field="refunds")
    with ctx.uow() as uow:
        if not uow.sales.lock(sale_id):
            raise NotFound(f"no sale {sale_id!r}", details={"id": sale_id})
        sale = uow.sales.get(sale_id)
        assert sale is not None
        # Under the sale's lock: a duplicate that waited for it sees the return made.
        earlier = return_keys.recorded(uow, key)
        if earlier is not None:
            raise return_keys.Replayed(earlier)
        priced = price_return(sold_lines(uow, sale), requested, currency=ctx.currency)
        refunds = check_refunds(priced.total, refund_inputs)
        register, shift_id = register_and_shift(uow, request.register)
        voided_by = (voids.check_void(uow, actor, sale, priced, shift_id=shift_id,
                                      approval=request.approval, also=also_approved)
                     if request.reason == voids.VOID else None)
        # Goods come back where the return is taken: the register's store, else the sale's.
        location = uow.locations.get(register.location_code if register else sale.location)
        assert location is not None
        if request.restock:
            _restock(uow, actor, sale, priced, location)
        record = ReturnRecord(
            id=str(uuid.uuid4()),
            number=document_number(uow, "return", register, location),
            sale_id=sale.id, location=location.code,
            register=register.code if register else None, restock=request.restock,
            lines=tuple(ReturnLineRecord(line_no=line.line_no, sku=line.sku,
                                         quantity=line.quantity, net=line.net, tax=line.tax,
                                         total=line.total) for line in priced.lines),
            net_total=priced.net_total, tax_total=priced.tax_total, total=priced.total,
            refunds=tuple(PaymentRecord(r.method, r.amount, r.reference) for r in refunds),
            created_at=uow.now, created_by=actor.name, reason=request.reason,
            staff_id=actor.staff_id,
        )
        return_keys.claim(uow, key, record.id)
        uow.sales.add_return(record, location_id=location.id,
                             register_id=register.id if register else None, shift_id=shift_id)
        uow.emit("return.completed", payloads.sale_return(record, ctx.currency))
        if voided_by is not None:
            audit.record(uow, actor, "sale.voided", subject=f"sale:{sale.id}",
                         register=record.register, number=sale.number, return_id=record.id,
                         total=ctx.currency.format(record.total), approved_by=voided_by)
        if record.refunds:
            audit.record(uow, actor, "refund", subject=f"sale:{sale.id}",
                         return_id=record.id, number=record.number,
                         total=ctx.currency.format(record.total),
                         refunds=[{"method": r.method, "amount": ctx.currency.format(r.amount)}
                                  for r in record.refunds])
        uow.commit()
    return record


def sold_lines(uow: UnitOfWork, sale: SaleRecord) -> list[SoldLine]:
    refunded = uow.sales.refunded_by_line(sale.id)
    return [
        SoldLine(line_no=line.line_no, sku=line.sku, quantity=line.quantity, net=line.net,
                 tax=line.tax, total=line.total, returned_quantity=line.returned_quantity,
                 refunded_net=refunded.get(line.line_no, (ZERO, ZERO))[0],
                 refunded_tax=refunded.get(line.line_no, (ZERO, ZERO))[1])
        for line in sale.lines
    ]


def register_and_shift(uow: UnitOfWork,
                        code: str | None) -> tuple[Register | None, str | None]:
    if code is None:
        return None, None
    register = uow.registers.get(code)
    if register is None:
        raise InvalidInput(f"unknown register {code!r}", details={"field": "register"})
    shift_id = uow.shifts.open_shift_of(register.id)
    if shift_id is None:
        raise Conflict(f"register {code!r} has no open shift; open one first",
                       details={"register": code})
    return register, shift_id


def _restock(uow: UnitOfWork, actor: Actor, sale: SaleRecord, priced: PricedReturn,
             location: Location) -> None:
    catalog = uow.products.for_checkout(line.sku for line in priced.lines)
    record_movements(
        uow, actor, {p.id: p.sku for p in catalog.values()}, [location],
        [Movement(catalog[line.sku].id, location.id, MovementKind.RETURN, line.quantity,
                  reference=f"sale:{sale.id}") for line in priced.lines],
    )
