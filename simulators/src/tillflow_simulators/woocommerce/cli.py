"""``tillflow simulate woocommerce``: serve the simulator in the foreground until Ctrl-C."""

from __future__ import annotations

import typer
import uvicorn

from tillflow_simulators.woocommerce.simulator import (
    DEFAULT_CONSUMER_KEY,
    DEFAULT_CONSUMER_SECRET,
    WooCommerceSimulator,
)


def woocommerce(
    port: int = typer.Option(..., "--port", help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    consumer_key: str = typer.Option(DEFAULT_CONSUMER_KEY, "--consumer-key"),
    consumer_secret: str = typer.Option(DEFAULT_CONSUMER_SECRET, "--consumer-secret"),
    seed: int = typer.Option(0, "--seed", min=0, help="Add this many sample products."),
) -> None:
    """Serve a simulated WooCommerce shop (REST API v3 under /wp-json/wc/v3)."""
    simulator = WooCommerceSimulator(
        consumer_key=consumer_key, consumer_secret=consumer_secret, host=host, port=port
    )
    simulator.state.site_url = f"http://{host}:{port}"
    if seed:
        simulator.seed(seed)
    typer.echo(f"WooCommerce simulator on {simulator.state.api_root} ({seed} products)")
    uvicorn.run(simulator.app, host=host, port=port, log_level="warning", http="h11", ws="none")


def start_in_background() -> WooCommerceSimulator:
    """A shop on a free loopback port; ``stop()`` ends it."""
    return WooCommerceSimulator().start()
