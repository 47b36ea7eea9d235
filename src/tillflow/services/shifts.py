"""Shifts: open with a float, move cash in and out, close with a count into a Z report."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from tillflow.domain.errors import Conflict, InvalidInput, NotFound
from tillflow.domain.money import Currency
from tillflow.domain.shifts import (
    ZReport,
    validate_cash_movement,
    validate_float,
    z_report,
)
from tillflow.ports.persistence import DuplicateRecord
from tillflow.ports.records import OPEN, ShiftRecord
from tillflow.services import audit, payloads
from tillflow.services.context import Actor, ServiceContext


def open_shift(ctx: ServiceContext, actor: Actor, register_code: str,
               opening_float: object) -> ShiftRecord:
    actor.check_register(register_code)
    amount = validate_float(ctx.currency.parse(opening_float, field="opening_float"),
                            field="opening_float")
    shift_id = str(uuid.uuid4())
    with ctx.uow() as uow:
        register = uow.registers.get(register_code)
        if register is None:
            raise NotFound(f"no register {register_code!r}", details={"code": register_code})
        if uow.shifts.open_shift_of(register.id) is not None:
            raise Conflict(f"register {register_code!r} already has an open shift",
                           details={"register": register_code})
        try:
            uow.shifts.add(shift_id=shift_id, register_id=register.id, opening_float=amount,
                           now=uow.now, actor=actor.name)
        except DuplicateRecord:
            raise Conflict(f"register {register_code!r} already has an open shift",
                           details={"register": register_code}) from None
        record = uow.shifts.get(shift_id)
        assert record is not None
        uow.emit("shift.opened", payloads.shift(record, ctx.currency))
        uow.commit()
    return record


def get_shift(ctx: ServiceContext, shift_id: str) -> ShiftRecord:
    with ctx.uow(read_only=True) as uow:
        record = uow.shifts.get(shift_id)
    if record is None:
        raise NotFound(f"no shift {shift_id!r}", details={"id": shift_id})
    return record


def list_shifts(ctx: ServiceContext, *, register: str | None, status: str | None,
                limit: int) -> list[ShiftRecord]:
    """The latest shifts first, with their Z reports once closed."""
    with ctx.uow(read_only=True) as uow:
        register_id = None
        if register is not None:
            found = uow.registers.get(register)
            if found is None:
                raise InvalidInput(f"unknown register {register!r}",
                                   details={"field": "register"})
            register_id = found.id
        shifts = [uow.shifts.get(i) for i in uow.shifts.list_ids(register_id=register_id,
                                                                 status=status, limit=limit)]
    return [s for s in shifts if s is not None]


def move_cash(ctx: ServiceContext, actor: Actor, shift_id: str, *, amount: object,
              reason: str) -> ShiftRecord:
    value = ctx.currency.parse(amount, field="amount")
    validate_cash_movement(value, reason)
    with ctx.uow() as uow:
        uow.shifts.lock(shift_id)
        record = uow.shifts.get(shift_id)
        if record is None:
            raise NotFound(f"no shift {shift_id!r}", details={"id": shift_id})
        actor.check_register(record.register)
        if record.status != OPEN:
            raise Conflict("the shift is closed", details={"id": shift_id})
        uow.shifts.add_cash_movement(shift_id=shift_id, amount=value, reason=reason.strip(),
                                     actor=actor.name, now=uow.now)
        uow.emit("cash.moved", {"shift_id": shift_id, "register": record.register,
                                "amount": ctx.currency.format(value), "reason": reason.strip()})
        audit.record(uow, actor, "cash.moved", subject=f"shift:{shift_id}",
                     register=record.register, amount=ctx.currency.format(value),
                     reason=reason.strip())
        uow.commit()
    return record


def close_shift(ctx: ServiceContext, actor: Actor, shift_id: str,
                counted_cash: object) -> dict[str, Any]:
    counted = ctx.currency.parse(counted_cash, field="counted_cash")
    with ctx.uow() as uow:
        # The write lock makes a sale that is still writing to this shift finish first.
        uow.shifts.lock(shift_id)
        record = uow.shifts.get(shift_id)
        if record is None:
            raise NotFound(f"no shift {shift_id!r}", details={"id": shift_id})
        actor.check_register(record.register)
        if record.status != OPEN:
            raise Conflict("the shift is already closed", details={"id": shift_id})
        report = z_report(record.opening_float, uow.shifts.activity(shift_id), counted)
        document = z_report_payload(record, report, closed_at=uow.now.isoformat(),
                                    currency=ctx.currency)
        uow.shifts.close(shift_id=shift_id, counted_cash=counted, z_report=document,
                         now=uow.now, actor=actor.name)
        uow.emit("shift.closed", document)
        if report.over_short:
            audit.record(uow, actor, "shift.closed_with_difference", subject=f"shift:{shift_id}",
                         register=record.register, expected=document["expected_cash"],
                         counted=document["counted_cash"], over_short=document["over_short"])
        uow.commit()
    return document


def current_report(ctx: ServiceContext, shift_id: str) -> dict[str, Any]:
    """An X report: the Z report's figures so far, for an open shift (nothing is counted)."""
    with ctx.uow(read_only=True) as uow:
        record = uow.shifts.get(shift_id)
        if record is None:
            raise NotFound(f"no shift {shift_id!r}", details={"id": shift_id})
        if record.z_report is not None:
            return record.z_report
        report = z_report(record.opening_float, uow.shifts.activity(shift_id), Decimal(0))
    document = z_report_payload(record, report, closed_at=None, currency=ctx.currency)
    document["counted_cash"] = document["over_short"] = None
    return document


def z_report_payload(record: ShiftRecord, report: ZReport, *, closed_at: str | None,
                     currency: Currency) -> dict[str, Any]:
    money = currency.format
    activity = report.activity
    return {
        "shift_id": record.id,
        "register": record.register,
        "opened_at": record.opened_at.isoformat(),
        "closed_at": closed_at,
        "currency": currency.code,
        "opening_float": money(report.opening_float),
        "sales": {"count": activity.sales_count, "total": money(activity.sales_total),
                  "tax": money(activity.sales_tax),
                  "discounts": money(activity.discount_total)},
        "returns": {"count": activity.returns_count, "total": money(activity.returns_total),
                    "tax": money(activity.returns_tax)},
        "tax_total": money(report.tax_total),
        "net_sales": money(activity.sales_total - activity.returns_total),
        "tenders": [
            {"method": t.method, "taken": money(t.taken), "refunded": money(t.refunded),
             "net": money(t.net)}
            for t in activity.tenders
        ],
        "cash_in": money(activity.cash_in),
        "cash_out": money(activity.cash_out),
        "expected_cash": money(report.expected_cash),
        "counted_cash": money(report.counted_cash),
        "over_short": money(report.over_short),
    }
