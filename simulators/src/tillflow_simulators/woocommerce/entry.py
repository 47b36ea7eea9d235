"""The ``tillflow.simulators`` entry point of the WooCommerce simulator."""

from tillflow_simulators.common.entry import SimulatorEntry

SIMULATOR = SimulatorEntry(
    summary="A WooCommerce shop: the REST API v3, webhooks and faults.",
    command="tillflow_simulators.woocommerce.cli:woocommerce",
    starter="tillflow_simulators.woocommerce.cli:start_in_background",
)
