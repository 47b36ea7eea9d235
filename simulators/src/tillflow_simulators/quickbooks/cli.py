"""``tillflow simulate quickbooks``: a simulated QuickBooks Online in the foreground, and one
for the demo."""

from __future__ import annotations

import typer
import uvicorn

from tillflow_simulators.quickbooks.limits import Throttles
from tillflow_simulators.quickbooks.simulator import QuickBooksSimulator


def connection_lines(simulator: QuickBooksSimulator) -> list[str]:
    """What a connector needs to connect: the app's credentials, tokens and the realm."""
    tokens = simulator.connect()
    return [f"QuickBooks Online simulator: {simulator.url} "
            f"(company API {simulator.company_url()})",
            f"token URL:      {simulator.token_url}",
            f"client id:      {simulator.client.client_id}",
            f"client secret:  {simulator.client.client_secret}",
            f"refresh token:  {tokens.refresh_token}",
            f"realm id:       {simulator.realm_id}"]


def simulate_quickbooks(
    port: int = typer.Option(..., "--port", help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    no_throttles: bool = typer.Option(False, "--no-throttles",
                                      help="Never answer 429."),
) -> None:
    """Serve a simulated QuickBooks Online until Ctrl-C, printing what to connect with."""
    simulator = QuickBooksSimulator(host=host, port=port,
                                    throttles=Throttles.unlimited() if no_throttles else None)
    for line in connection_lines(simulator):
        typer.echo(line)
    try:
        uvicorn.run(simulator.app, host=host, port=port, log_level="warning", http="h11",
                    ws="none")
    except KeyboardInterrupt:
        typer.echo("QuickBooks Online simulator stopped")


def start_in_background() -> QuickBooksSimulator:
    """A QuickBooks Online on a free loopback port; ``stop()`` ends it."""
    return QuickBooksSimulator().start()
