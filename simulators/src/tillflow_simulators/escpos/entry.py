"""The ``tillflow.simulators`` entry point of the virtual receipt printer."""

from tillflow_simulators.common.entry import SimulatorEntry

SIMULATOR = SimulatorEntry(
    summary="A virtual ESC/POS network printer that saves what it prints as PNGs.",
    command="tillflow_simulators.escpos.cli:printer",
    starter="tillflow_simulators.escpos.cli:start_in_background",
)
