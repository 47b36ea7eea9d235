"""Sales report sums, read with indexed range scans.

Sales are found by ``sales.sold_at`` and their lines by ``sale_lines.sold_at`` (copied
from the sale when it is recorded), so a period reads only the rows inside it. Returns
are few beside sales and are found by ``returns.created_at``. Money is summed in minor
units, so every sum is exact.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Select,
    cast,
    distinct,
    func,
    literal,
    null,
    select,
    union_all,
)

from tillflow.db.tables import registers, return_lines, returns, sale_lines, sales
from tillflow.db.tables_web_orders import return_charges, sale_charges
from tillflow.domain.reports import (
    BUCKET_SECONDS,
    CALENDAR,
    CHANNEL,
    PRODUCT,
    REGISTER,
    STAFF,
    TAX_RATE,
    Period,
    Tally,
)


class ReportRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def sales_tallies(self, group_by: str, period: Period) -> list[Tally]:
        """Sums per key (per quarter-hour bucket for a calendar grouping), sales and
        returns apart: a key may come twice."""
        if group_by in (PRODUCT, TAX_RATE):
            statements = [self._lines(group_by, period), self._line_returns(group_by, period)]
        else:
            statements = [self._sales(group_by, period), self._returns(group_by, period)]
        return [tally for statement in statements
                for tally in self._tallies(statement, group_by)]

    def _tallies(self, statement: Select[Any], group_by: str) -> list[Tally]:
        return [
            Tally(key=_key(row.key, group_by), sales=int(row.sales),
                  units=Decimal(row.units or 0), net=int(row.net or 0), tax=int(row.tax or 0))
            for row in self._connection.execute(statement)
        ]

    def _sales(self, group_by: str, period: Period) -> Select[Any]:
        key = self._sale_key(group_by, sales.c.sold_at, sales.c.staff_id,
                             sales.c.register_id, sales.c.channel).label("key")
        statement = (
            select(key, func.count().label("sales"), func.sum(sales.c.units).label("units"),
                   func.sum(sales.c.total - sales.c.tax_total).label("net"),
                   func.sum(sales.c.tax_total).label("tax"))
            .where(sales.c.sold_at >= period.start, sales.c.sold_at < period.end)
            .group_by(key)
        )
        return _with_register(statement, sales.c.register_id, group_by)

    def _returns(self, group_by: str, period: Period) -> Select[Any]:
        units = (select(func.sum(return_lines.c.quantity))
                 .where(return_lines.c.return_id == returns.c.id).scalar_subquery())
        key = self._sale_key(group_by, returns.c.created_at, returns.c.staff_id,
                             returns.c.register_id, sales.c.channel).label("key")
        statement = (
            select(key, literal(0).label("sales"), (-func.sum(units)).label("units"),
                   (-func.sum(returns.c.net_total)).label("net"),
                   (-func.sum(returns.c.tax_total)).label("tax"))
            .join_from(returns, sales, sales.c.id == returns.c.sale_id)
            .where(returns.c.created_at >= period.start, returns.c.created_at < period.end)
            .group_by(key)
        )
        return _with_register(statement, returns.c.register_id, group_by)

    def _sale_key(self, group_by: str, moment: Any, staff: Any, register: Any,
                  channel: Any) -> ColumnElement[Any]:
        if group_by in CALENDAR:
            return self._bucket(moment)
        if group_by == STAFF:
            return staff  # type: ignore[no-any-return]
        if group_by == REGISTER:
            return registers.c.code
        if group_by == CHANNEL:
            return channel  # type: ignore[no-any-return]
        raise ValueError(f"no sale-level key for {group_by!r}")

    def _bucket(self, moment: Any) -> ColumnElement[Any]:
        """The quarter-hour since the epoch that ``moment`` falls in."""
        if self._connection.dialect.name == "postgresql":
            return cast(func.floor(func.extract("epoch", moment) / BUCKET_SECONDS), BigInteger)
        return cast(func.strftime("%s", moment), BigInteger) // BUCKET_SECONDS

    def _lines(self, group_by: str, period: Period) -> Select[Any]:
        """What each product (or tax rate) sold: lines, and charges such as shipping
        under their kind."""
        line_key = sale_lines.c.sku if group_by == PRODUCT else sale_lines.c.tax_rate
        charge_key = sale_charges.c.kind if group_by == PRODUCT else sale_charges.c.tax_rate
        sold = union_all(
            select(line_key.label("key"), sale_lines.c.sale_id.label("sale_id"),
                   sale_lines.c.quantity.label("units"), sale_lines.c.net.label("net"),
                   sale_lines.c.tax.label("tax"))
            .where(sale_lines.c.sold_at >= period.start, sale_lines.c.sold_at < period.end),
            select(charge_key, sale_charges.c.sale_id, null(), sale_charges.c.net,
                   sale_charges.c.tax)
            .join_from(sale_charges, sales, sales.c.id == sale_charges.c.sale_id)
            .where(sales.c.sold_at >= period.start, sales.c.sold_at < period.end),
        ).subquery()
        return (select(sold.c.key, func.count(distinct(sold.c.sale_id)).label("sales"),
                       func.sum(sold.c.units).label("units"),
                       func.sum(sold.c.net).label("net"), func.sum(sold.c.tax).label("tax"))
                .group_by(sold.c.key))

    def _line_returns(self, group_by: str, period: Period) -> Select[Any]:
        line_key = return_lines.c.sku if group_by == PRODUCT else sale_lines.c.tax_rate
        charge_key = return_charges.c.kind if group_by == PRODUCT else return_charges.c.tax_rate
        in_period = (returns.c.created_at >= period.start, returns.c.created_at < period.end)
        returned = union_all(
            select(line_key.label("key"), return_lines.c.quantity.label("units"),
                   return_lines.c.net.label("net"), return_lines.c.tax.label("tax"))
            .join_from(return_lines, returns, returns.c.id == return_lines.c.return_id)
            .join(sale_lines, (sale_lines.c.sale_id == returns.c.sale_id)
                  & (sale_lines.c.line_no == return_lines.c.line_no))
            .where(*in_period),
            select(charge_key, null(), return_charges.c.net, return_charges.c.tax)
            .join_from(return_charges, returns, returns.c.id == return_charges.c.return_id)
            .where(*in_period),
        ).subquery()
        return (select(returned.c.key, literal(0).label("sales"),
                       (-func.sum(returned.c.units)).label("units"),
                       (-func.sum(returned.c.net)).label("net"),
                       (-func.sum(returned.c.tax)).label("tax"))
                .group_by(returned.c.key))


def _with_register(statement: Select[Any], register_id: Any, group_by: str) -> Select[Any]:
    if group_by != REGISTER:
        return statement
    return statement.outerjoin(registers, registers.c.id == register_id)


def _key(value: Any, group_by: str) -> str | int | None:
    """Keys as the report shows them; the calendar ones are still quarter-hour buckets."""
    if value is None or group_by in CALENDAR or group_by == STAFF:
        return None if value is None else int(value)
    return str(value)
