"""The store's days, which the books' day summaries follow.

A store's day runs from its local midnight to the next, so it lasts 23 or 25 hours on
the days its clocks change. Days are compared by their local dates rather than by the
instant of midnight: where clocks go back at midnight that instant happens twice, and
the hour between belongs to the day before.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    """The store's date at ``moment`` (an aware datetime)."""
    if moment.tzinfo is None:
        raise ValueError("a moment without a time zone has no day")
    return moment.astimezone(zone).date()


def is_over(day: date, *, now: datetime, zone: ZoneInfo) -> bool:
    """Whether the store's ``day`` has ended by ``now``."""
    return day < local_day(now, zone)
