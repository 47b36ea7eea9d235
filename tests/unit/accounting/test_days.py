"""The store's days: local midnight to local midnight, 23 or 25 hours when clocks change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tillflow.domain.accounting.days import is_over, local_day

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
SANTIAGO = ZoneInfo("America/Santiago")  # clocks change at midnight there
TICK = timedelta(microseconds=1)


@pytest.mark.parametrize(("moment", "zone", "day"), [
    # 23:30 in Paris on the 6th is 22:30 UTC: the 6th.
    (datetime(2026, 12, 6, 22, 30, tzinfo=UTC), PARIS, date(2026, 12, 6)),
    (datetime(2026, 12, 6, 23, 0, tzinfo=UTC) - TICK, PARIS, date(2026, 12, 6)),
    (datetime(2026, 12, 6, 23, 0, tzinfo=UTC), PARIS, date(2026, 12, 7)),
    # West of Greenwich, the UTC morning is still the evening before.
    (datetime(2026, 12, 7, 4, 59, tzinfo=UTC), NEW_YORK, date(2026, 12, 6)),
    (datetime(2026, 12, 7, 5, 0, tzinfo=UTC), NEW_YORK, date(2026, 12, 7)),
    # Paris in summer (UTC+2): midnight is 22:00 UTC.
    (datetime(2026, 7, 14, 21, 59, tzinfo=UTC), PARIS, date(2026, 7, 14)),
    (datetime(2026, 7, 14, 22, 0, tzinfo=UTC), PARIS, date(2026, 7, 15)),
    (datetime(2026, 12, 6, 12, 0, tzinfo=UTC), ZoneInfo("UTC"), date(2026, 12, 6)),
])
def test_the_local_day_of_a_moment(moment: datetime, zone: ZoneInfo, day: date) -> None:
    assert local_day(moment, zone) == day


def _hours(day: date, zone: ZoneInfo) -> set[datetime]:
    """Every whole UTC hour whose local day is ``day``, found by walking the hours."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(days=1)
    hours = (start + timedelta(hours=n) for n in range(72))
    return {hour for hour in hours if local_day(hour, zone) == day}


@pytest.mark.parametrize(("day", "zone", "length"), [
    (date(2026, 3, 29), PARIS, 23),  # clocks go forward at 02:00
    (date(2026, 10, 25), PARIS, 25),  # and back at 03:00
    (date(2026, 3, 8), NEW_YORK, 23),
    (date(2026, 11, 1), NEW_YORK, 25),
    (date(2026, 12, 6), PARIS, 24),
])
def test_a_day_lasts_from_local_midnight_to_the_next(day: date, zone: ZoneInfo,
                                                      length: int) -> None:
    hours = _hours(day, zone)
    assert len(hours) == length
    first = min(hours)
    assert first.astimezone(zone).replace(tzinfo=None) == datetime(
        day.year, day.month, day.day)


def test_where_clocks_go_back_at_midnight_the_repeated_hour_is_the_day_before() -> None:
    # Santiago goes back from 00:00 to 23:00 on 2026-04-05: 23:30 happens twice, both
    # times on the 4th, and the day after only begins at the second midnight.
    first, second = (datetime(2026, 4, 5, 2, 30, tzinfo=UTC),
                     datetime(2026, 4, 5, 3, 30, tzinfo=UTC))
    assert first.astimezone(SANTIAGO).hour == second.astimezone(SANTIAGO).hour == 23
    assert local_day(first, SANTIAGO) == local_day(second, SANTIAGO) == date(2026, 4, 4)
    assert not is_over(date(2026, 4, 4), now=second, zone=SANTIAGO)
    assert is_over(date(2026, 4, 4), now=datetime(2026, 4, 5, 4, 0, tzinfo=UTC),
                   zone=SANTIAGO)


def test_a_day_is_over_from_the_next_local_midnight() -> None:
    sixth = date(2026, 12, 6)
    assert not is_over(sixth, now=datetime(2026, 12, 6, 23, 0, tzinfo=UTC) - TICK,
                       zone=PARIS)
    assert is_over(sixth, now=datetime(2026, 12, 6, 23, 0, tzinfo=UTC), zone=PARIS)
    assert not is_over(sixth, now=datetime(2026, 12, 7, 4, 0, tzinfo=UTC), zone=NEW_YORK)


def test_a_moment_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="no day"):
        local_day(datetime(2026, 12, 6, 12), PARIS)
