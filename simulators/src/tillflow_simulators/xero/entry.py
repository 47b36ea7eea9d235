"""The ``tillflow.simulators`` entry point of the Xero simulator."""

from tillflow_simulators.common.entry import SimulatorEntry

SIMULATOR = SimulatorEntry(
    summary="A Xero organisation: the Accounting API on Xero's OpenAPI, OAuth 2.0, webhooks.",
    command="tillflow_simulators.xero.cli:simulate_xero",
    starter="tillflow_simulators.xero.cli:start_in_background",
)
