"""The ``tillflow.simulators`` entry point of the Odoo simulator."""

from tillflow_simulators.common.entry import SimulatorEntry

SIMULATOR = SimulatorEntry(
    summary="An Odoo server: JSON-2 and JSON-RPC over the models tillflow posts to.",
    command="tillflow_simulators.odoo.cli:simulate_odoo",
)
