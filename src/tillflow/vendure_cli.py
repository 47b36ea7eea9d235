"""``tillflow connect vendure``: a connection with a scoped API key.

Given an administrator's sign-in instead of an API key, it signs in once, creates the
role ``tillflow`` (only what the connector needs) and an API key with it, and keeps the
key as the connection's secret; the password is not stored. A webhook secret is made
when none is given and printed once: tillflow's Vendure plugin needs it.
"""

from __future__ import annotations

import secrets
from typing import Annotated

import typer
from rich.console import Console

from tillflow.bootstrap import build_sync, open_context
from tillflow.connectors.vendure.client import VendureClient
from tillflow.connectors.vendure.provision import provision_api_key, sign_in
from tillflow.domain.errors import DomainError
from tillflow.services import connections
from tillflow.settings import Settings
from tillflow.sync.port import ChannelError

console = Console()
errors = Console(stderr=True)


def connect_vendure(
    *, name: Annotated[str, typer.Option(help="Connection name.")] = "vendure",
    shop_url: Annotated[str, typer.Option(help="Vendure's base URL (without /admin-api).")],
    location: Annotated[str, typer.Option(help="tillflow location mapped to the shop.")],
    api_key: Annotated[str | None, typer.Option(help="An Admin API key to use as it is.")]
    = None,
    admin_username: Annotated[str | None, typer.Option(
        help="An administrator who creates the scoped API key.")] = None,
    admin_password: Annotated[str | None, typer.Option(
        help="That administrator's password (not stored).")] = None,
    webhook_secret: Annotated[str | None, typer.Option(
        help="The plugin's webhook secret (made when not given).")] = None,
    channel: Annotated[str | None, typer.Option(help="A Vendure channel token.")] = None,
    safety_buffer: Annotated[int, typer.Option(help="Units held back from the shop.")] = 0,
    push_pos_sales: Annotated[bool, typer.Option(
        help="Make each till sale a paid order in the shop.")] = True,
) -> None:
    """Connect a Vendure shop (Admin GraphQL API, with tillflow's Vendure plugin)."""
    try:
        key = api_key or _provision(shop_url, admin_username, admin_password)
    except ChannelError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(code=1) from None
    made = webhook_secret is None
    secret = webhook_secret or secrets.token_urlsafe(32)
    settings = Settings.from_env()
    try:
        with open_context(settings) as ctx:
            engine = build_sync(ctx, settings)
            try:
                view = connections.create_connection(
                    ctx, name=name, platform="vendure",
                    settings={k: v for k, v in (("shop_url", shop_url), ("location", location),
                                                ("channel", channel),
                                                ("safety_buffer", safety_buffer),
                                                ("push_pos_sales", push_pos_sales))
                              if v is not None},
                    secrets={"api_key": key, "webhook_secret": secret})
                url = engine.callback_url(view.name)
            finally:
                engine.close()
    except DomainError as exc:
        errors.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(code=1) from None
    console.print(f"connected {view.name} (vendure); configure tillflow's Vendure plugin with "
                  f"url {url}")
    if made:
        console.print(f"and secret {secret} (shown once)")


def _provision(shop_url: str, username: str | None, password: str | None) -> str:
    if not username or not password:
        errors.print("[red]error:[/red] give --api-key, or --admin-username and "
                     "--admin-password to create a scoped key")
        raise typer.Exit(code=2)
    with VendureClient(shop_url) as admin:
        sign_in(admin, username, password)
        return provision_api_key(admin)
