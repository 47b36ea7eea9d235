"""Sales report sums, read with indexed range scans.

Sales are found by ``sales.sold_at`` and their lines by ``sale_lines.sold_at`` (copied
from the sale when it is recorded), so a period reads only the rows inside it; on
PostgreSQL both indexes carry the summed columns, so the scans read no table. Returns
are few beside sales and are found by ``returns.created_at``. Money is summed in minor
units, so every sum is exact.

Calendar keys are the store's local days, weeks and months: PostgreSQL makes them
itself from the zone's name; SQLite, which knows no time zones, sums per quarter-hour of
UTC and the domain puts each quarter-hour into its local day.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Select,
    cast,
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
    DAY,
    MONTH,
    PRODUCT,
    REGISTER,
    STAFF,
    TAX_RATE,
    WEEK,
    Period,
    Tally,
    calendar_key,
)

# PostgreSQL's spelling of the calendar keys: 2026-12-06, 2026-W49, 2026-12.
LOCAL_FORMATS = {DAY: "YYYY-MM-DD", WEEK: 'IYYY-"W"IW', MONTH: "YYYY-MM"}


class ReportRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def sales_tallies(self, group_by: str, period: Period, zone: ZoneInfo) -> list[Tally]:
        """Sums per key, sales and returns apart: a key may come twice."""
        if group_by in (PRODUCT, TAX_RATE):
            statements = [self._lines(group_by, period), self._charges(group_by, period),
                          self._line_returns(group_by, period)]
        else:
            statements = [self._sales(group_by, period, zone),
                          self._returns(group_by, period, zone)]
        found = [tally for statement in statements
                 for tally in self._tallies(statement, group_by)]
        if group_by in CALENDAR and not self._native_zones:
            return [replace(t, key=calendar_key(int(t.key or 0), group_by, zone)) for t in found]
        return found

    @property
    def _native_zones(self) -> bool:
        return self._connection.dialect.name == "postgresql"

    def _tallies(self, statement: Select[Any], group_by: str) -> list[Tally]:
        return [
            Tally(key=_key(row.key, group_by), sales=int(row.sales),
                  units=Decimal(row.units or 0), net=int(row.net or 0), tax=int(row.tax or 0))
            for row in self._connection.execute(statement)
        ]

    def _sales(self, group_by: str, period: Period, zone: ZoneInfo) -> Select[Any]:
        key = self._sale_key(group_by, zone, moment=sales.c.sold_at, staff=sales.c.staff_id,
                             register=sales.c.register_id, channel=sales.c.channel).label("key")
        statement = (
            select(key, func.count().label("sales"), func.sum(sales.c.units).label("units"),
                   func.sum(sales.c.total - sales.c.tax_total).label("net"),
                   func.sum(sales.c.tax_total).label("tax"))
            .where(sales.c.sold_at >= period.start, sales.c.sold_at < period.end)
            .group_by(key)
        )
        return _with_register(statement, sales.c.register_id, group_by)

    def _returns(self, group_by: str, period: Period, zone: ZoneInfo) -> Select[Any]:
        units = (select(func.sum(return_lines.c.quantity))
                 .where(return_lines.c.return_id == returns.c.id).scalar_subquery())
        key = self._sale_key(group_by, zone, moment=returns.c.created_at,
                             staff=returns.c.staff_id, register=returns.c.register_id,
                             channel=returns.c.channel).label("key")
        statement = (
            select(key, literal(0).label("sales"), (-func.sum(units)).label("units"),
                   (-func.sum(returns.c.net_total)).label("net"),
                   (-func.sum(returns.c.tax_total)).label("tax"))
            .select_from(returns)
            .where(returns.c.created_at >= period.start, returns.c.created_at < period.end)
            .group_by(key)
        )
        return _with_register(statement, returns.c.register_id, group_by)

    def _sale_key(self, group_by: str, zone: ZoneInfo, *, moment: Any, staff: Any,
                  register: Any, channel: Any) -> ColumnElement[Any]:
        if group_by in CALENDAR and self._native_zones:
            return func.to_char(func.timezone(zone.key, moment), LOCAL_FORMATS[group_by])
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
        """The quarter-hour since the epoch that ``moment`` falls in (SQLite)."""
        return cast(func.strftime("%s", moment), BigInteger) // BUCKET_SECONDS

    def _lines(self, group_by: str, period: Period) -> Select[Any]:
        """What each product (or tax rate) sold. A line counts its sale if it is the
        sale's first line of that key (marked when the sale is recorded), so no sale is
        counted twice and no distinct count is needed."""
        key = sale_lines.c.sku if group_by == PRODUCT else sale_lines.c.tax_rate
        first = (sale_lines.c.counts_sale_for_sku if group_by == PRODUCT
                 else sale_lines.c.counts_sale_for_rate)
        return (select(key.label("key"), func.sum(first).label("sales"),
                       func.sum(sale_lines.c.quantity).label("units"),
                       func.sum(sale_lines.c.net).label("net"),
                       func.sum(sale_lines.c.tax).label("tax"))
                .where(sale_lines.c.sold_at >= period.start, sale_lines.c.sold_at < period.end)
                .group_by(key))

    def _charges(self, group_by: str, period: Period) -> Select[Any]:
        """Web orders' shipping and fees under their kind (or tax rate), counting their
        sale by the marks set when it was recorded, like lines."""
        key = sale_charges.c.kind if group_by == PRODUCT else sale_charges.c.tax_rate
        first = (sale_charges.c.counts_sale_for_kind if group_by == PRODUCT
                 else sale_charges.c.counts_sale_for_rate)
        return (select(key.label("key"), func.sum(first).label("sales"),
                       null().label("units"), func.sum(sale_charges.c.net).label("net"),
                       func.sum(sale_charges.c.tax).label("tax"))
                .where(sale_charges.c.sold_at >= period.start,
                       sale_charges.c.sold_at < period.end)
                .group_by(key))

    def _line_returns(self, group_by: str, period: Period) -> Select[Any]:
        line_key = return_lines.c.sku if group_by == PRODUCT else return_lines.c.tax_rate
        charge_key = return_charges.c.kind if group_by == PRODUCT else return_charges.c.tax_rate
        in_period = (returns.c.created_at >= period.start, returns.c.created_at < period.end)
        returned = union_all(
            select(line_key.label("key"), return_lines.c.quantity.label("units"),
                   return_lines.c.net.label("net"), return_lines.c.tax.label("tax"))
            .join_from(return_lines, returns, returns.c.id == return_lines.c.return_id)
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
    """Keys as the report shows them (SQLite's calendar keys still quarter-hour buckets)."""
    if value is None or isinstance(value, int):
        return value
    return int(value) if group_by == STAFF else str(value)
