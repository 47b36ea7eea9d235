"""Sales reports: the period asked for, the keys rows are grouped by, and their sums.

Days, weeks and months are the store's local ones (its ``timezone`` setting). The
database sums sales per quarter-hour of UTC time and this module puts each quarter-hour
into its local day: every time zone's offset is a whole number of quarter-hours, so
no sale lands in the wrong day, and both databases need no time zone support of their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from tillflow.domain.errors import InvalidInput

DAY = "day"
WEEK = "week"
MONTH = "month"
PRODUCT = "product"
TAX_RATE = "tax_rate"
STAFF = "staff"
REGISTER = "register"
CHANNEL = "channel"
CALENDAR = (DAY, WEEK, MONTH)
GROUPINGS = (*CALENDAR, PRODUCT, TAX_RATE, STAFF, REGISTER, CHANNEL)

# The width of the buckets the database sums sales in, in seconds.
BUCKET_SECONDS = 900

Key = str | int | None


@dataclass(frozen=True)
class Period:
    """``start`` inclusive, ``end`` exclusive, both UTC."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Tally:
    """Sums for one key: sales counted, units sold less returned, money in minor units."""

    key: Key
    sales: int
    units: Decimal
    net: int
    tax: int

    def __add__(self, other: Tally) -> Tally:
        return Tally(key=self.key, sales=self.sales + other.sales,
                     units=self.units + other.units, net=self.net + other.net,
                     tax=self.tax + other.tax)


def grouping(value: str) -> str:
    if value not in GROUPINGS:
        raise InvalidInput(f"group_by must be one of {', '.join(GROUPINGS)}",
                           details={"field": "group_by"})
    return value


def period(start: str, end: str, zone: ZoneInfo) -> Period:
    """The period from ``start`` to ``end``: dates (local midnight) or ISO 8601 times
    (local time of the store when they carry no offset)."""
    bounds = Period(start=moment(start, zone, field="from"), end=moment(end, zone, field="to"))
    if bounds.start > bounds.end:
        raise InvalidInput("from is after to", details={"field": "from"})
    return bounds


def moment(text: str, zone: ZoneInfo, *, field: str) -> datetime:
    """A date (its local midnight) or an ISO 8601 time, as UTC."""
    try:
        parsed = (datetime.combine(date.fromisoformat(text), time()) if len(text) == 10
                  else datetime.fromisoformat(text))
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)).astimezone(UTC)
    except (ValueError, OverflowError):  # not a date, or one past the calendar's ends in UTC
        raise InvalidInput(f"{field} is not a date (2026-12-06) or an ISO 8601 time",
                           details={"field": field}) from None


def calendar_key(bucket: int, group_by: str, zone: ZoneInfo) -> str:
    """The local day (``2026-12-06``), ISO week (``2026-W49``) or month (``2026-12``) of
    the quarter-hour ``bucket`` (counted from the Unix epoch)."""
    local = (datetime(1970, 1, 1, tzinfo=UTC)
             + timedelta(seconds=bucket * BUCKET_SECONDS)).astimezone(zone)
    if group_by == DAY:
        return local.date().isoformat()
    if group_by == WEEK:
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{local.year}-{local.month:02d}"


def combined(tallies: Iterable[Tally]) -> list[Tally]:
    """One tally per key, sorted: calendar keys in time order, others by key (none last)."""
    by_key: dict[Key, Tally] = {}
    for tally in tallies:
        found = by_key.get(tally.key)
        by_key[tally.key] = tally if found is None else found + tally
    return sorted(by_key.values(), key=lambda t: _order(t.key))


def _order(key: Key) -> tuple[bool, str]:
    # Staff ids sort as numbers; no key (a web order's register) comes last.
    return key is None, f"{key:020d}" if isinstance(key, int) else str(key)
