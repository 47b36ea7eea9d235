"""Report periods and keys: local days, ISO weeks across a year end, any time zone's
quarter-hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tillflow.domain.errors import InvalidInput
from tillflow.domain.reports import (
    BUCKET_SECONDS,
    Tally,
    calendar_key,
    combined,
    grouping,
    period,
)
from tillflow.domain.store import time_zone

NEW_YORK = ZoneInfo("America/New_York")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def bucket(moment: datetime) -> int:
    return int((moment - EPOCH).total_seconds()) // BUCKET_SECONDS


def test_dates_are_local_midnights_and_times_keep_their_offset() -> None:
    found = period("2026-12-06", "2026-12-07T09:30:00+01:00", NEW_YORK)
    assert found.start == datetime(2026, 12, 6, 5, tzinfo=UTC)
    assert found.end == datetime(2026, 12, 7, 8, 30, tzinfo=UTC)
    assert period("2026-12-06T00:30:00", "2026-12-06T06:00:00Z", NEW_YORK).start == datetime(
        2026, 12, 6, 5, 30, tzinfo=UTC)


def test_a_summer_day_starts_at_its_own_offset() -> None:
    assert period("2026-07-01", "2026-07-02", NEW_YORK).start == datetime(
        2026, 7, 1, 4, tzinfo=UTC)


@pytest.mark.parametrize(("start", "end", "field"), [
    ("2026-02-30", "2026-03-01", "from"),
    ("2026-03-01", "tomorrow", "to"),
    ("2026-03-02", "2026-03-01", "from"),
    ("0001-01-01T00:00:00+05:00", "2026-03-01", "from"),
    ("2026-03-01", "9999-12-31T23:59:59-12:00", "to"),
])
def test_bad_periods_name_the_field(start: str, end: str, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        period(start, end, NEW_YORK)
    assert refused.value.details["field"] == field


def test_an_unknown_grouping_or_zone_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        grouping("hour")
    assert refused.value.details["field"] == "group_by"
    for name in ("Mars/Olympus", "", "../etc/passwd"):
        with pytest.raises(InvalidInput):
            time_zone(name)


def test_keys_across_a_year_end() -> None:
    zone = ZoneInfo("UTC")
    keys = [(calendar_key(bucket(datetime(2026, 12, d, 12, tzinfo=UTC)), "week", zone),
             calendar_key(bucket(datetime(2026, 12, d, 12, tzinfo=UTC)), "month", zone))
            for d in (28, 31)]
    assert keys == [("2026-W53", "2026-12"), ("2026-W53", "2026-12")]
    assert calendar_key(bucket(datetime(2027, 1, 1, 12, tzinfo=UTC)), "week", zone) == "2026-W53"
    assert calendar_key(bucket(datetime(2027, 1, 4, tzinfo=UTC)), "week", zone) == "2027-W01"
    # 02:00 UTC on Jan 1 is still New Year's Eve in New York.
    assert calendar_key(bucket(datetime(2027, 1, 1, 2, tzinfo=UTC)), "day", NEW_YORK) == (
        "2026-12-31")


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1),
                    timezones=st.just(UTC)),
       st.sampled_from(["Asia/Kathmandu", "Asia/Kolkata", "America/St_Johns",
                        "Australia/Eucla", "Europe/Paris", "Pacific/Chatham", "UTC"]))
def test_a_moments_quarter_hour_lies_in_the_moments_local_day(moment: datetime,
                                                               name: str) -> None:
    zone = ZoneInfo(name)
    assert calendar_key(bucket(moment), "day", zone) == moment.astimezone(zone).date().isoformat()


def test_tallies_of_a_key_add_up_and_sort_with_none_last() -> None:
    tallies = [Tally("B", 1, Decimal(2), 500, 40), Tally(None, 1, Decimal(1), 100, 8),
               Tally("A", 2, Decimal(3), 900, 72), Tally("B", 0, Decimal(-1), -250, -20)]
    assert combined(tallies) == [Tally("A", 2, Decimal(3), 900, 72),
                                 Tally("B", 1, Decimal(1), 250, 20),
                                 Tally(None, 1, Decimal(1), 100, 8)]
    assert [t.key for t in combined([Tally(10, 1, Decimal(1), 1, 0),
                                     Tally(9, 1, Decimal(1), 1, 0)])] == [9, 10]
    assert timedelta(seconds=BUCKET_SECONDS) == timedelta(minutes=15)
