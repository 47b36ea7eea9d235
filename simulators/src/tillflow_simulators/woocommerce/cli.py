"""``tillflow simulate woocommerce``: serve the simulator in the foreground until Ctrl-C.

It serves HTTPS on ``--port`` with a certificate it makes at start, written to
``--certificate`` (or a temporary file it names), and plain HTTP on ``--http-port``,
where, as in WooCommerce, REST keys are refused.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import typer

from tillflow_simulators.woocommerce.simulator import (
    DEFAULT_CONSUMER_KEY,
    DEFAULT_CONSUMER_SECRET,
    WooCommerceSimulator,
)


def woocommerce(  # noqa: PLR0917 - typer reads the options from the signature
    port: int = typer.Option(..., "--port", help="Port for HTTPS."),
    http_port: int = typer.Option(0, "--http-port", help="Port for plain HTTP (0: any)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    certificate: Path | None = typer.Option(
        None, "--certificate", help="Write the shop's certificate (PEM) here for clients."
    ),
    consumer_key: str = typer.Option(DEFAULT_CONSUMER_KEY, "--consumer-key"),
    consumer_secret: str = typer.Option(DEFAULT_CONSUMER_SECRET, "--consumer-secret"),
    seed: int = typer.Option(0, "--seed", min=0, help="Add this many sample products."),
) -> None:
    """Serve a simulated WooCommerce shop (REST API v3 under /wp-json/wc/v3)."""
    simulator = WooCommerceSimulator(
        consumer_key=consumer_key,
        consumer_secret=consumer_secret,
        host=host,
        port=port,
        http_port=http_port,
    )
    simulator.start()
    try:
        trusted = simulator.certificate
        if certificate is not None:  # whole or not at all: a client may be waiting for it
            partial = certificate.with_name(f".{certificate.name}.partial")
            shutil.copyfile(simulator.certificate, partial)
            partial.replace(certificate)
            trusted = certificate
        if seed:
            simulator.seed(seed)
        typer.echo(
            f"WooCommerce simulator on {simulator.state.api_root} ({seed} products); "
            f"its certificate: {trusted}; plain HTTP on {simulator.http_url}"
        )
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()


def start_in_background() -> WooCommerceSimulator:
    """A shop on a free loopback port; ``stop()`` ends it."""
    return WooCommerceSimulator().start()
