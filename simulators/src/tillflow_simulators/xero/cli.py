"""``tillflow simulate xero``: a simulated Xero in the foreground, and one for the demo."""

from __future__ import annotations

import typer
import uvicorn

from tillflow_simulators.xero.limits import RateLimits
from tillflow_simulators.xero.simulator import XeroSimulator


def connection_lines(simulator: XeroSimulator) -> list[str]:
    """What a connector needs to connect: the app's credentials, tokens and the tenant."""
    tokens = simulator.connect()
    return [f"Xero simulator: {simulator.url} (Accounting API {simulator.api_url})",
            f"token URL:      {simulator.token_url}",
            f"client id:      {simulator.client.client_id}",
            f"client secret:  {simulator.client.client_secret}",
            f"refresh token:  {tokens.refresh_token}",
            f"tenant id:      {simulator.tenant_id}"]


def simulate_xero(
    port: int = typer.Option(..., "--port", help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    no_rate_limits: bool = typer.Option(False, "--no-rate-limits",
                                        help="Count calls but never answer 429."),
) -> None:
    """Serve a simulated Xero until Ctrl-C, printing what a connector connects with."""
    simulator = XeroSimulator(host=host, port=port,
                              rate_limits=RateLimits.unlimited() if no_rate_limits else None)
    simulator.state.webhooks.api_url = simulator.api_url
    for line in connection_lines(simulator):
        typer.echo(line)
    try:
        uvicorn.run(simulator.app, host=host, port=port, log_level="warning", http="h11",
                    ws="none")
    except KeyboardInterrupt:
        typer.echo("Xero simulator stopped")


def start_in_background() -> XeroSimulator:
    """A Xero on a free loopback port; ``stop()`` ends it."""
    return XeroSimulator().start()
