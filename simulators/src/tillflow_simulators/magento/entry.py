"""The ``tillflow.simulators`` entry point of the Magento simulator."""

from tillflow_simulators.common.entry import SimulatorEntry

SIMULATOR = SimulatorEntry(
    summary="A Magento Open Source store: the REST API on Adobe's schema, MSI, guest "
    "checkout, OAuth 1.0a and faults.",
    command="tillflow_simulators.magento.cli:simulate_magento",
    starter="tillflow_simulators.magento.cli:start_in_background",
)
