"""The ``xero`` and ``quickbooks`` entry points: found by name, started in the background
for the demo, and stopped."""

from __future__ import annotations

from importlib.metadata import entry_points

import httpx
import pytest


@pytest.mark.parametrize(("name", "probe"), [
    ("xero", "/connections"), ("quickbooks", "/v3/company/1/companyinfo/1")])
def test_the_entry_point_starts_a_simulator_that_answers(name: str, probe: str) -> None:
    [point] = entry_points(group="tillflow.simulators", name=name)
    simulator = point.load().start()
    try:
        answer = httpx.get(f"{simulator.url}{probe}", timeout=10)
        assert answer.status_code in (401, 403)  # served, and guarded like the real one
    finally:
        simulator.stop()
