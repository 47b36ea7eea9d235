"""The Odoo simulator as each version the project runs against (17 and 19)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tillflow_simulators.odoo.simulator import OdooSimulator


@pytest.fixture(params=["17.0", "19.0"])
def odoo(request: pytest.FixtureRequest) -> Iterator[OdooSimulator]:
    simulator = OdooSimulator(version=str(request.param))
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()
