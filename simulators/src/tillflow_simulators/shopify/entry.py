"""The ``tillflow.simulators`` entry point of the Shopify simulator."""

from tillflow_simulators.common.entry import SimulatorEntry

SIMULATOR = SimulatorEntry(
    summary="A Shopify shop: the GraphQL Admin API, webhooks and faults.",
    command="tillflow_simulators.shopify.cli:simulate_shopify",
    starter="tillflow_simulators.shopify.cli:start_in_background",
)
