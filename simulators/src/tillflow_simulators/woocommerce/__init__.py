"""A WooCommerce REST API v3 simulator: state, auth, webhooks and injectable faults."""

from tillflow_simulators.woocommerce.simulator import WooCommerceSimulator

__all__ = ["WooCommerceSimulator"]
