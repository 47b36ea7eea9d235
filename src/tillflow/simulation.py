"""The platform simulators, found through the ``tillflow.simulators`` entry points.

The simulators are a distribution of their own (``simulators/`` in the source tree): the
product never imports them, so they can stay true to the platforms' specifications
without sharing a line with the connectors they test.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import entry_points
from typing import Any, Protocol

GROUP = "tillflow.simulators"
INSTALL_HINT = ("the platform simulators are not installed: run `pip install -e ./simulators` "
                "in tillflow's source tree (scripts/setup does it)")


class SimulatorMissing(LookupError):
    """The simulators' distribution, or the asked-for simulator, is not installed."""


class Simulator(Protocol):
    summary: str

    def main(self, args: Sequence[str], *, prog_name: str) -> None: ...

    def start(self, **options: Any) -> Any: ...


def names() -> list[str]:
    """The installed simulators, without importing any of them."""
    return sorted(point.name for point in entry_points(group=GROUP))


def load(name: str) -> Simulator:
    found = entry_points(group=GROUP, name=name)
    if not found:
        if not names():
            raise SimulatorMissing(INSTALL_HINT)
        raise SimulatorMissing(f"no simulator named {name!r}; installed: {', '.join(names())}")
    simulator: Simulator = next(iter(found)).load()
    return simulator
