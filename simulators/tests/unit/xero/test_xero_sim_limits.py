"""Xero's call limits on a clock the test moves: 60 a minute, 5,000 a day per organisation,
10,000 a minute per app."""

from __future__ import annotations

from tillflow_simulators.common.clock import FakeClock
from tillflow_simulators.xero.limits import Meter, RateLimits


def test_the_sixty_first_call_in_a_minute_waits_for_the_first_to_leave_the_window() -> None:
    clock = FakeClock()
    meter = Meter(RateLimits(), clock)
    for second in range(60):
        verdict = meter.take("org")
        assert verdict.problem is None
        clock.advance(0.5 if second < 59 else 0)
    assert verdict.headers["X-MinLimit-Remaining"] == "0"
    refused = meter.take("org")
    assert refused.problem == "minute"
    assert refused.retry_after == 31  # the first call was 29.5 s ago
    assert meter.take("other-org").problem is None
    clock.advance(31)
    assert meter.take("org").problem is None


def test_a_spent_day_refuses_with_the_day_problem_until_the_day_rolls_on() -> None:
    clock = FakeClock()
    meter = Meter(RateLimits(), clock)
    meter.exhaust_day("org")
    refused = meter.take("org")
    assert (refused.problem, refused.headers["X-DayLimit-Remaining"]) == ("day", "0")
    assert refused.retry_after == 24 * 3600
    clock.advance(hours=24)
    assert meter.take("org").problem is None


def test_the_app_minute_counts_every_organisation() -> None:
    clock = FakeClock()
    meter = Meter(RateLimits(per_minute=100, app_per_minute=3), clock)
    assert [meter.take(org).problem for org in ("a", "b", "c", "d")] == [
        None, None, None, "appminute"]


def test_unlimited_counts_and_reports_but_never_refuses() -> None:
    meter = Meter(RateLimits.unlimited(), FakeClock())
    for _ in range(70):
        verdict = meter.take("org")
    assert verdict.problem is None
    assert verdict.headers["X-MinLimit-Remaining"] == "0"
