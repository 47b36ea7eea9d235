"""Xero's call limits over HTTP on a clock the test moves, and injected faults."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sim_support.books import XeroApi
from tillflow_simulators.common.clock import FakeClock
from tillflow_simulators.xero import XeroSimulator


@pytest.fixture
def xero() -> Iterator[XeroSimulator]:
    with XeroSimulator(clock=FakeClock()) as sim:
        yield sim


def test_sixty_calls_a_minute_then_429_with_retry_after_and_the_problem(
        xero: XeroSimulator) -> None:
    api = XeroApi(xero)
    for _ in range(60):
        answer = api.call("GET", "/Organisation")
        assert answer.status_code == 200
    assert answer.headers["X-MinLimit-Remaining"] == "0"
    assert answer.headers["X-DayLimit-Remaining"] == "4940"
    refused = api.call("GET", "/Organisation")
    assert refused.status_code == 429
    assert (refused.headers["Retry-After"], refused.headers["X-Rate-Limit-Problem"]) == (
        "60", "minute")
    xero.advance_clock(minutes=1)
    assert api.call("GET", "/Organisation").status_code == 200


def test_an_exhausted_day_is_the_day_problem(xero: XeroSimulator) -> None:
    api = XeroApi(xero)
    xero.exhaust_daily_allowance()
    refused = api.call("GET", "/Organisation")
    assert (refused.status_code, refused.headers["X-Rate-Limit-Problem"]) == (429, "day")
    other = XeroApi(xero, tenant_id=xero.add_organisation())
    assert other.call("GET", "/Organisation").status_code == 200


def test_injected_faults_answer_in_xero_shape_then_clear(xero: XeroSimulator) -> None:
    api = XeroApi(xero)
    xero.fail_next(1, status=503, retry_after=5)
    failed = api.call("GET", "/Organisation")
    assert (failed.status_code, failed.headers["Retry-After"]) == (503, "5")
    assert failed.json()["Title"] == "Service Unavailable"
    assert api.call("GET", "/Organisation").status_code == 200
