"""``tillflow sync status`` and ``tillflow connect shopify|woocommerce``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tillflow.bootstrap import build_sync, open_context
from tillflow.domain.errors import DomainError
from tillflow.services import connections
from tillflow.settings import Settings
from tillflow.sync.engine import SyncEngine

sync_app = typer.Typer(help="The web shop sync.", no_args_is_help=True)
connect_app = typer.Typer(help="Connect a web shop (its webhooks are created by the worker).",
                          no_args_is_help=True)
console = Console()
errors = Console(stderr=True)


@contextmanager
def _engine() -> Iterator[SyncEngine]:
    settings = Settings.from_env()
    try:
        with open_context(settings) as ctx:
            engine = build_sync(ctx, settings)
            try:
                yield engine
            finally:
                engine.close()
    except DomainError as exc:
        errors.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(code=1) from None


@sync_app.command("status")
def status() -> None:
    """One line per web shop connection: state, lag, pending, failed, last error."""
    with _engine() as engine:
        rows = [engine.health(shop.name) for shop in engine.shops()]
    table = Table("connection", "platform", "state", "lag (s)", "pending", "failed",
                  "last reconciliation", "last error")
    for row in rows:
        report = row["last_reconciliation"]
        table.add_row(row["name"], row["platform"], row["state"], f"{row['lag_seconds']:.1f}",
                      str(row["pending"]), str(row["failed"]),
                      "-" if report is None else f"{report['at']} ({report['drift_count']} drift)",
                      row["last_error"] or "")
    console.print(table)


def _connect(name: str, platform: str, settings: dict[str, Any],
             secrets: dict[str, str | None]) -> None:
    with _engine() as engine:
        view = connections.create_connection(
            engine.ctx, name=name, platform=platform,
            settings={k: v for k, v in settings.items() if v is not None},
            secrets={k: v for k, v in secrets.items() if v})
        console.print(f"connected {view.name} ({view.platform}); webhooks will point at "
                      f"{engine.callback_url(view.name)}")


Name = Annotated[str, typer.Option(help="Connection name.")]
ShopUrl = Annotated[str, typer.Option(help="The shop's base URL.")]
Location = Annotated[str, typer.Option(help="tillflow location mapped to the shop.")]
Buffer = Annotated[int, typer.Option(help="Units held back from the shop.")]
PushSales = Annotated[bool, typer.Option(help="Make each till sale a paid order in the shop.")]


@connect_app.command("shopify")
def connect_shopify(
    *, name: Name = "shopify", shop_url: ShopUrl, location: Location,
    access_token: Annotated[str, typer.Option(help="Admin API access token.")],
    webhook_secret: Annotated[str, typer.Option(help="The app's webhook secret.")],
    safety_buffer: Buffer = 0, push_pos_sales: PushSales = True,
) -> None:
    """Connect a Shopify shop (GraphQL Admin API)."""
    _connect(name, "shopify",
             {"shop_url": shop_url, "location": location, "safety_buffer": safety_buffer,
              "push_pos_sales": push_pos_sales},
             {"access_token": access_token, "webhook_secret": webhook_secret})


@connect_app.command("woocommerce")
def connect_woocommerce(
    *, name: Name = "woocommerce", shop_url: ShopUrl, location: Location,
    consumer_key: Annotated[str, typer.Option(help="REST API consumer key.")],
    consumer_secret: Annotated[str, typer.Option(help="REST API consumer secret.")],
    webhook_secret: Annotated[str | None, typer.Option(help="Secret for the webhooks.")] = None,
    safety_buffer: Buffer = 0, push_pos_sales: PushSales = True,
) -> None:
    """Connect a WooCommerce shop (REST API v3)."""
    _connect(name, "woocommerce",
             {"shop_url": shop_url, "location": location, "safety_buffer": safety_buffer,
              "push_pos_sales": push_pos_sales},
             {"consumer_key": consumer_key, "consumer_secret": consumer_secret,
              "webhook_secret": webhook_secret})
