"""The ``tillflow.simulators`` entry point of the Adyen terminal simulator."""

from tillflow_simulators.common.entry import SimulatorEntry

SIMULATOR = SimulatorEntry(
    summary="Adyen's cloud Terminal API for simulated card terminals.",
    command="tillflow_simulators.adyen.cli:simulate_adyen",
)
