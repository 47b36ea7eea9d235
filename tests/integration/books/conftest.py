"""The simulated Xero and QuickBooks Online the books tests post to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tillflow_simulators.quickbooks.limits import Throttles
from tillflow_simulators.quickbooks.simulator import QuickBooksSimulator
from tillflow_simulators.xero.limits import RateLimits
from tillflow_simulators.xero.simulator import XeroSimulator


@pytest.fixture
def xero() -> Iterator[XeroSimulator]:
    simulator = XeroSimulator(rate_limits=RateLimits.unlimited())
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


@pytest.fixture
def qbo() -> Iterator[QuickBooksSimulator]:
    simulator = QuickBooksSimulator(throttles=Throttles.unlimited())
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()
