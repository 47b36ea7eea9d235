"""The ``tillflow.simulators`` entry point of the QuickBooks Online simulator."""

from tillflow_simulators.common.entry import SimulatorEntry

SIMULATOR = SimulatorEntry(
    summary="A QuickBooks Online company: the v3 API checked against Intuit's XSD, OAuth 2.0, "
            "webhooks.",
    command="tillflow_simulators.quickbooks.cli:simulate_quickbooks",
    starter="tillflow_simulators.quickbooks.cli:start_in_background",
)
