"""Register shifts, their cash movements, and the sums a Z report is made of."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, case, func, insert, select, update

from tillflow.db.tables import (
    cash_movements,
    refunds,
    registers,
    returns,
    sale_payments,
    sales,
    shifts,
)
from tillflow.domain.money import Currency
from tillflow.domain.sales import CASH, ZERO
from tillflow.domain.shifts import ShiftActivity, TenderTotals
from tillflow.ports.records import CLOSED, OPEN, ShiftRecord

_OPEN_SHIFT_OF = (
    select(shifts.c.id)
    .where(shifts.c.register_id == bindparam("register"), shifts.c.status == OPEN)
    .with_for_update(read=True)
)


class ShiftRepository:
    def __init__(self, connection: Connection, currency: Currency) -> None:
        self._connection = connection
        self._currency = currency

    def add(self, *, shift_id: str, register_id: int, opening_float: Decimal, now: datetime,
            actor: str | None) -> None:
        self._connection.execute(
            insert(shifts).values(
                id=shift_id, register_id=register_id, status=OPEN,
                opening_float=self._currency.to_minor(opening_float), opened_at=now,
                opened_by=actor,
            )
        )

    def open_shift_of(self, register_id: int) -> str | None:
        """The register's open shift, share-locked on PostgreSQL so a close waits for us."""
        found: str | None = self._connection.execute(
            _OPEN_SHIFT_OF, {"register": register_id}
        ).scalar_one_or_none()
        return found

    def get(self, shift_id: str) -> ShiftRecord | None:
        row = self._connection.execute(
            select(shifts, registers.c.code.label("register_code"))
            .join(registers, registers.c.id == shifts.c.register_id)
            .where(shifts.c.id == shift_id)
        ).first()
        if row is None:
            return None
        money = self._currency.from_minor
        return ShiftRecord(
            id=row.id, register=row.register_code, register_id=row.register_id,
            status=row.status, opening_float=money(row.opening_float), opened_at=row.opened_at,
            opened_by=row.opened_by, closed_at=row.closed_at,
            counted_cash=None if row.counted_cash is None else money(row.counted_cash),
            z_report=row.z_report,
        )

    def list_ids(self, *, register_id: int | None, status: str | None,
                 limit: int) -> list[str]:
        """The latest shifts first."""
        statement = (select(shifts.c.id).order_by(shifts.c.opened_at.desc(), shifts.c.id)
                     .limit(limit))
        if register_id is not None:
            statement = statement.where(shifts.c.register_id == register_id)
        if status is not None:
            statement = statement.where(shifts.c.status == status)
        return list(self._connection.execute(statement).scalars())

    def lock(self, shift_id: str) -> None:
        """Take the shift row's write lock: sales that share-lock it finish first."""
        self._connection.execute(
            update(shifts).where(shifts.c.id == shift_id).values(status=shifts.c.status)
        )

    def add_cash_movement(self, *, shift_id: str, amount: Decimal, reason: str,
                          actor: str | None, now: datetime) -> None:
        self._connection.execute(
            insert(cash_movements).values(
                shift_id=shift_id, amount=self._currency.to_minor(amount), reason=reason,
                actor=actor, occurred_at=now,
            )
        )

    def close(self, *, shift_id: str, counted_cash: Decimal, z_report: dict[str, Any],
              now: datetime, actor: str | None) -> None:
        self._connection.execute(
            update(shifts).where(shifts.c.id == shift_id).values(
                status=CLOSED, counted_cash=self._currency.to_minor(counted_cash),
                z_report=z_report, closed_at=now, closed_by=actor,
            )
        )

    def activity(self, shift_id: str) -> ShiftActivity:
        money = self._currency.from_minor
        sold = self._connection.execute(
            select(func.count(), func.coalesce(func.sum(sales.c.total), 0),
                   func.coalesce(func.sum(sales.c.tax_total), 0),
                   func.coalesce(func.sum(sales.c.discount_total), 0),
                   func.coalesce(func.sum(sales.c.change_due), 0))
            .where(sales.c.shift_id == shift_id)
        ).one()
        returned = self._connection.execute(
            select(func.count(), func.coalesce(func.sum(returns.c.total), 0),
                   func.coalesce(func.sum(returns.c.tax_total), 0))
            .where(returns.c.shift_id == shift_id)
        ).one()
        cash = self._connection.execute(
            select(
                func.coalesce(func.sum(case((cash_movements.c.amount > 0,
                                             cash_movements.c.amount), else_=0)), 0),
                func.coalesce(func.sum(case((cash_movements.c.amount < 0,
                                             -cash_movements.c.amount), else_=0)), 0),
            ).where(cash_movements.c.shift_id == shift_id)
        ).one()
        return ShiftActivity(
            sales_count=int(sold[0]), sales_total=money(int(sold[1])),
            sales_tax=money(int(sold[2])), discount_total=money(int(sold[3])),
            returns_count=int(returned[0]), returns_total=money(int(returned[1])),
            returns_tax=money(int(returned[2])),
            cash_in=money(int(cash[0])), cash_out=money(int(cash[1])),
            tenders=self._tenders(shift_id, change_given=money(int(sold[4]))),
        )

    def _tenders(self, shift_id: str, *, change_given: Decimal) -> tuple[TenderTotals, ...]:
        money = self._currency.from_minor
        taken = dict(
            self._connection.execute(
                select(sale_payments.c.method, func.sum(sale_payments.c.amount))
                .join(sales, sales.c.id == sale_payments.c.sale_id)
                .where(sales.c.shift_id == shift_id).group_by(sale_payments.c.method)
            ).all()
        )
        paid_back = dict(
            self._connection.execute(
                select(refunds.c.method, func.sum(refunds.c.amount))
                .join(returns, returns.c.id == refunds.c.return_id)
                .where(returns.c.shift_id == shift_id).group_by(refunds.c.method)
            ).all()
        )
        methods = sorted(set(taken) | set(paid_back))
        return tuple(
            TenderTotals(
                method=method,
                # Change is handed back in cash, so the cash kept is tendered minus change.
                taken=money(int(taken.get(method, 0))) - (change_given if method == CASH else ZERO),
                refunded=money(int(paid_back.get(method, 0))),
            )
            for method in methods
        )
