"""Sales reports for the back office: sums by day, week, month, product, tax rate,
staff member, register or channel over a period of the store's local time."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tillflow.domain import reports
from tillflow.domain.reports import Tally
from tillflow.domain.store import time_zone
from tillflow.services.context import ServiceContext
from tillflow.services.payloads import quantity


def sales_report(ctx: ServiceContext, *, group_by: str, start: str,
                 end: str) -> list[dict[str, Any]]:
    """Rows ``{key, sales, units, net, tax, total}`` from ``start`` (inclusive) to ``end``
    (exclusive), each a date or an ISO 8601 time."""
    group_by = reports.grouping(group_by)
    with ctx.uow(read_only=True) as uow:
        zone = time_zone(uow.details.read().timezone)
        period = reports.period(start, end, zone)
        found = uow.reports.sales_tallies(group_by, period, zone)
    return _rows(ctx, reports.combined(found))


def _rows(ctx: ServiceContext, tallies: Iterable[Tally]) -> list[dict[str, Any]]:
    money = ctx.currency.from_minor
    return [{"key": t.key, "sales": t.sales, "units": quantity(t.units),
             "net": str(money(t.net)), "tax": str(money(t.tax)),
             "total": str(money(t.net + t.tax))} for t in tallies]
