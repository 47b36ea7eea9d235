"""Intuit's throttles on a clock the test moves: 10 a second and 500 a minute per company."""

from __future__ import annotations

from tillflow_simulators.common.clock import FakeClock
from tillflow_simulators.quickbooks.limits import Meter, Throttles


def test_ten_requests_a_second() -> None:
    clock = FakeClock()
    meter = Meter(Throttles(), clock)
    assert all(meter.allow("realm") for _ in range(10))
    assert not meter.allow("realm")
    assert meter.allow("another realm")
    clock.advance(1)
    assert meter.allow("realm")


def test_five_hundred_a_minute() -> None:
    clock = FakeClock()
    meter = Meter(Throttles(), clock)
    for _ in range(50):
        assert all(meter.allow("realm") for _ in range(10))
        clock.advance(1)
    assert not meter.allow("realm")
    clock.advance(10)
    assert meter.allow("realm")
