"""``tillflow simulate shopify``: a simulated Shopify shop in the foreground."""

from __future__ import annotations

import typer

from tillflow_simulators.shopify.core import DEFAULT_ACCESS_TOKEN, DEFAULT_WEBHOOK_SECRET
from tillflow_simulators.shopify.delivery import SHOPIFY_RETRY_DELAYS, DeliveryPolicy
from tillflow_simulators.shopify.server import API_VERSION, ShopifySimulator


def simulate_shopify(
    *,
    port: int = typer.Option(..., "--port", help="Port to listen on (127.0.0.1)."),
    access_token: str = typer.Option(
        DEFAULT_ACCESS_TOKEN, "--access-token", help="Token clients must send."
    ),
    seed: int = typer.Option(0, "--seed", min=0, help="Products to create at start."),
    webhook_secret: str = typer.Option(
        DEFAULT_WEBHOOK_SECRET, "--webhook-secret", help="App secret webhooks are signed with."
    ),
    real_rate_limits: bool = typer.Option(
        False, "--real-rate-limits", help="Throttle like a standard shop (2000 points, 100/s)."
    ),
    real_retry_schedule: bool = typer.Option(
        False, "--real-retry-schedule", help="Retry failed webhooks over 4 hours, as Shopify."
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind."),
) -> None:
    """Run a simulated Shopify GraphQL Admin API until Ctrl-C."""
    delivery = DeliveryPolicy(retry_delays=SHOPIFY_RETRY_DELAYS) if real_retry_schedule else None
    simulator = ShopifySimulator(
        access_token=access_token,
        webhook_secret=webhook_secret,
        rate_limits=real_rate_limits,
        delivery=delivery,
        host=host,
        port=port,
    )
    if seed:
        simulator.seed(seed)
    typer.echo(
        f"Shopify simulator: http://{host}:{port}/admin/api/{API_VERSION}/graphql.json "
        f"({seed} products, rate limits {'on' if real_rate_limits else 'off'})"
    )
    try:
        simulator.run_foreground()
    except KeyboardInterrupt:
        # The server already shut down cleanly; Ctrl-C is the normal way to stop it.
        typer.echo("Shopify simulator stopped")


def start_in_background(*, webhook_secret: str = DEFAULT_WEBHOOK_SECRET) -> ShopifySimulator:
    """A shop on a free loopback port; ``stop()`` ends it."""
    return ShopifySimulator(webhook_secret=webhook_secret).start()
