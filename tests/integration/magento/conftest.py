"""One simulated Magento store per test module; each test keeps to SKUs and emails of its
own (the store keeps what earlier tests made)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tillflow_simulators.magento import MagentoSimulator

TOKEN = "magentotestsaccesstoken000000001"


@pytest.fixture(scope="module")
def magento() -> Iterator[MagentoSimulator]:
    with MagentoSimulator(access_token=TOKEN) as sim:
        yield sim
        assert sim.violations == []


@pytest.fixture
def own_store() -> Iterator[MagentoSimulator]:
    """A store of the test's own, for a test that runs the sync engine against it."""
    with MagentoSimulator(access_token=TOKEN) as sim:
        yield sim
        assert sim.violations == []
