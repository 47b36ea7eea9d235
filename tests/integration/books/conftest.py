"""The simulated Xero and QuickBooks Online the books tests post to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.live_server import free_port
from support.saas_books import Books, company_in_usd, in_usd
from tillflow_simulators.quickbooks.limits import Throttles
from tillflow_simulators.quickbooks.simulator import QuickBooksSimulator
from tillflow_simulators.xero.limits import RateLimits
from tillflow_simulators.xero.simulator import XeroSimulator


@pytest.fixture
def xero() -> Iterator[XeroSimulator]:
    # A fixed port, so a test can stop the simulator and start it again at one address.
    simulator = XeroSimulator(rate_limits=RateLimits.unlimited(), port=free_port(),
                              organisation=in_usd())
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


@pytest.fixture
def qbo() -> Iterator[QuickBooksSimulator]:
    simulator = QuickBooksSimulator(throttles=Throttles.unlimited(), port=free_port(),
                                    company=company_in_usd())
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


@pytest.fixture(params=["xero", "quickbooks"])
def books(request: pytest.FixtureRequest) -> Books:
    sim = request.getfixturevalue("xero" if request.param == "xero" else "qbo")
    return Books(str(request.param), sim)
