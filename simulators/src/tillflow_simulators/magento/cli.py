"""``tillflow simulate magento``: a simulated Magento Open Source store in the foreground."""

from __future__ import annotations

import typer

from tillflow_simulators.magento.schema import DEFAULT_VERSION, VERSIONS
from tillflow_simulators.magento.server import MagentoSimulator


def simulate_magento(
    *,
    port: int = typer.Option(..., "--port", help="Port to listen on."),
    access_token: str | None = typer.Option(
        None,
        "--access-token",
        help="The integration's access token, accepted as a bearer token. Without it only "
        "OAuth 1.0a signatures sign in, as in a store since 2.4.4.",
    ),
    version: str = typer.Option(
        DEFAULT_VERSION, "--version", help=f"Magento version: {', '.join(VERSIONS)}."
    ),
    seed: int = typer.Option(0, "--seed", min=0, help="Products to create at start."),
    input_limits: bool = typer.Option(
        False,
        "--input-limits",
        help="Turn on the Web API input limits (20 list items, page size 300).",
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind."),
) -> None:
    """Serve a simulated Magento Open Source REST API until Ctrl-C."""
    if version not in VERSIONS:
        raise typer.BadParameter(f"choose one of {', '.join(VERSIONS)}", param_hint="--version")
    simulator = MagentoSimulator(
        access_token=access_token, version=version, input_limits=input_limits, host=host, port=port
    )
    if seed:
        simulator.seed(seed)
    integration = simulator.integration
    typer.echo(
        f"Magento {version} simulator: http://{host}:{port}/rest/V1/ "
        f"(also /rest/default/V1/ and /rest/all/V1/; {seed} products)"
    )
    typer.echo(
        f"OAuth 1.0a (HMAC-SHA256): consumer key {integration.consumer_key}, "
        f"consumer secret {integration.consumer_secret}, "
        f"access token {integration.access_token}, "
        f"token secret {integration.access_token_secret}"
    )
    typer.echo(
        "Bearer token: "
        + (
            integration.access_token
            if integration.bearer_allowed
            else "not accepted (pass --access-token)"
        )
    )
    try:
        simulator.run_foreground()
    except KeyboardInterrupt:
        # The server already shut down cleanly; Ctrl-C is the normal way to stop it.
        typer.echo("Magento simulator stopped")


def start_in_background(*, access_token: str = "tillflow-magento-demo") -> MagentoSimulator:  # noqa: S107
    """A store on a free loopback port that accepts ``access_token`` as a bearer token;
    ``stop()`` ends it."""
    return MagentoSimulator(access_token=access_token).start()
