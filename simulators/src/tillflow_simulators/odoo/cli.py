"""``tillflow simulate odoo``: serve the Odoo simulator in the foreground until Ctrl-C."""

from __future__ import annotations

import typer
import uvicorn

from tillflow_simulators.odoo.simulator import (
    DEFAULT_API_KEY,
    DEFAULT_DATABASE,
    DEFAULT_LOGIN,
    OdooSimulator,
)


def simulate_odoo(
    port: int = typer.Option(..., "--port", help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    version: str = typer.Option("19.0", "--version", help="Odoo version it reports."),
) -> None:
    """Serve a simulated Odoo (JSON-2 under /json/2, JSON-RPC at /jsonrpc)."""
    simulator = OdooSimulator(version=version, host=host, port=port)
    typer.echo(f"Odoo simulator on http://{host}:{port} database {DEFAULT_DATABASE!r}, "
               f"login {DEFAULT_LOGIN!r}, API key {DEFAULT_API_KEY!r}")
    uvicorn.run(simulator.app.asgi, host=host, port=port, log_level="warning", http="h11",
                ws="none")
