"""``tillflow connection``: check any connection; ``tillflow connect``: connect a shop."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tillflow.cli.common import command_group, console, fail, free_text, settings, store

if TYPE_CHECKING:
    from tillflow.sync.engine import SyncEngine

connection_app = command_group("Connections to shops, payments and ERPs.")
connect_app = command_group("Connect a web shop (its webhooks are created by the worker).")


@contextmanager
def sync_engine() -> Iterator[SyncEngine]:
    from tillflow.bootstrap import build_sync

    with store() as ctx:
        engine = build_sync(ctx, settings())
        try:
            yield engine
        finally:
            engine.close()


@connection_app.command("check")
def check(name: Annotated[str, typer.Argument(help="The connection's name.")]) -> None:
    """Prove a connection before going live: a payment gateway's credentials, webhook
    signing and (in test mode) an authorize-and-void; a shop's credentials and webhooks;
    an ERP's posting queue."""
    from tillflow import connection_status

    with sync_engine() as engine:
        report = connection_status.check(engine.ctx, engine, name)
    for result in report.get("checks", []):
        typer.echo(f"{'ok  ' if result['ok'] else 'FAIL'} {result['name']}: {result['detail']}")
    for problem in report.get("problems", []):
        typer.echo(f"FAIL {problem}")
    for hook in report.get("webhooks", []):
        typer.echo(f"webhook {hook}")
    if "state" in report:
        typer.echo(f"postings: {report['state']}, {report['pending']} pending, "
                   f"{report['failed']} failed"
                   + (f"; last error: {report['last_error']}" if report["last_error"] else ""))
    mode = f" ({report['mode']} mode)" if "mode" in report else ""
    typer.echo(f"{name}{mode}: {'ready' if report['ok'] else 'NOT ready'}")
    if not report["ok"]:
        raise typer.Exit(code=1)


def _connect(name: str, platform: str, shop_settings: dict[str, Any],
             shop_secrets: dict[str, str | None]) -> str:
    """Create the connection; answers the address its webhooks are to be sent to."""
    from tillflow.services import connections

    with sync_engine() as engine:
        view = connections.create_connection(
            engine.ctx, name=name, platform=platform,
            settings={k: v for k, v in shop_settings.items() if v is not None},
            secrets={k: v for k, v in shop_secrets.items() if v})
        return engine.callback_url(view.name)


Name = Annotated[str, typer.Option(help="Connection name.", callback=free_text)]
ShopUrl = Annotated[str, typer.Option(help="The shop's base URL.")]
Location = Annotated[str, typer.Option(help="tillflow location mapped to the shop.")]
Buffer = Annotated[int, typer.Option(help="Units held back from the shop.")]
PushSales = Annotated[bool, typer.Option(help="Make each till sale a paid order in the shop.")]
CaFile = Annotated[Path | None, typer.Option(
    help="A PEM file of the authority that signed the shop's certificate (a private CA).",
    resolve_path=True)]


@connect_app.command("shopify")
def connect_shopify(
    *, name: Name = "shopify", shop_url: ShopUrl, location: Location,
    access_token: Annotated[str, typer.Option(help="Admin API access token.")],
    webhook_secret: Annotated[str, typer.Option(help="The app's webhook secret.")],
    safety_buffer: Buffer = 0, push_pos_sales: PushSales = True, ca_file: CaFile = None,
) -> None:
    """Connect a Shopify shop (GraphQL Admin API)."""
    url = _connect(name, "shopify",
                   {"shop_url": shop_url, "location": location, "ca_file": _path(ca_file),
                    "safety_buffer": safety_buffer, "push_pos_sales": push_pos_sales},
                   {"access_token": access_token, "webhook_secret": webhook_secret})
    console.print(f"connected {name} (shopify); webhooks will point at {url}")


@connect_app.command("woocommerce")
def connect_woocommerce(
    *, name: Name = "woocommerce", shop_url: ShopUrl, location: Location,
    consumer_key: Annotated[str, typer.Option(help="REST API consumer key.")],
    consumer_secret: Annotated[str, typer.Option(help="REST API consumer secret.")],
    webhook_secret: Annotated[str | None, typer.Option(help="Secret for the webhooks.")] = None,
    safety_buffer: Buffer = 0, push_pos_sales: PushSales = True, ca_file: CaFile = None,
) -> None:
    """Connect a WooCommerce shop (REST API v3, over HTTPS)."""
    url = _connect(name, "woocommerce",
                   {"shop_url": shop_url, "location": location, "ca_file": _path(ca_file),
                    "safety_buffer": safety_buffer, "push_pos_sales": push_pos_sales},
                   {"consumer_key": consumer_key, "consumer_secret": consumer_secret,
                    "webhook_secret": webhook_secret})
    console.print(f"connected {name} (woocommerce); webhooks will point at {url}")


@connect_app.command("vendure")
def connect_vendure(
    *, name: Name = "vendure", shop_url: Annotated[str, typer.Option(
        help="Vendure's base URL (without /admin-api).")], location: Location,
    api_key: Annotated[str | None, typer.Option(help="An Admin API key to use as it is.")]
    = None,
    admin_username: Annotated[str | None, typer.Option(
        help="An administrator who creates the scoped API key.")] = None,
    admin_password: Annotated[str | None, typer.Option(
        help="That administrator's password (not stored).")] = None,
    webhook_secret: Annotated[str | None, typer.Option(
        help="The plugin's webhook secret (made when not given).")] = None,
    channel: Annotated[str | None, typer.Option(help="A Vendure channel token.")] = None,
    safety_buffer: Buffer = 0, push_pos_sales: PushSales = True, ca_file: CaFile = None,
) -> None:
    """Connect a Vendure shop (Admin GraphQL API, with tillflow's Vendure plugin).

    Given an administrator's sign-in instead of an API key, it signs in once, creates the
    role ``tillflow`` (only what the connector needs) and an API key with it, and keeps
    the key as the connection's secret; the password is not stored. A webhook secret is
    made when none is given and printed once: tillflow's Vendure plugin needs it.
    """
    key = api_key or _provision_vendure_key(shop_url, admin_username, admin_password, ca_file)
    secret = webhook_secret or secrets.token_urlsafe(32)
    url = _connect(name, "vendure",
                   {"shop_url": shop_url, "location": location, "channel": channel,
                    "ca_file": _path(ca_file),
                    "safety_buffer": safety_buffer, "push_pos_sales": push_pos_sales},
                   {"api_key": key, "webhook_secret": secret})
    console.print(f"connected {name} (vendure); configure tillflow's Vendure plugin with "
                  f"url {url}")
    if webhook_secret is None:
        console.print(f"and secret {secret} (shown once)")


@connect_app.command("magento")
def connect_magento(
    *, name: Name = "magento", shop_url: Annotated[str, typer.Option(
        help="The store's base URL (without /rest).")], location: Location,
    source: Annotated[str, typer.Option(
        help="The MSI source the location's stock is written to.")] = "default",
    access_token: Annotated[str, typer.Option(
        help="The integration's access token.")],
    consumer_key: Annotated[str | None, typer.Option(
        help="The integration's consumer key (signs with OAuth 1.0a).")] = None,
    consumer_secret: Annotated[str | None, typer.Option(
        help="The integration's consumer secret.")] = None,
    access_token_secret: Annotated[str | None, typer.Option(
        help="The integration's access token secret.")] = None,
    poll_seconds: Annotated[int | None, typer.Option(
        help="Seconds between polls of the store for orders and customers.")] = None,
    safety_buffer: Buffer = 0, ca_file: CaFile = None,
) -> None:
    """Connect a Magento 2 store (REST API; Magento Open Source or Adobe Commerce).

    With the consumer key and secret and the access token secret, every request is
    signed with OAuth 1.0a; with the access token alone it goes as a bearer token, which
    the store must allow (Stores > Configuration > Services > OAuth > Consumer Settings >
    Allow OAuth Access Tokens to be used as standalone Bearer tokens). Magento Open
    Source sends no webhooks: the worker polls it. Till sales stay in tillflow.
    """
    _connect(name, "magento",
             {"shop_url": shop_url, "location": location, "source": source,
              "poll_interval": poll_seconds, "ca_file": _path(ca_file),
              "safety_buffer": safety_buffer},
             {"access_token": access_token, "consumer_key": consumer_key,
              "consumer_secret": consumer_secret, "access_token_secret": access_token_secret})
    signing = "OAuth 1.0a" if consumer_key else "bearer token"
    console.print(f"connected {name} (magento, {signing}); the worker polls it for orders")


def _path(path: Path | None) -> str | None:
    return None if path is None else str(path)


def _provision_vendure_key(shop_url: str, username: str | None, password: str | None,
                           ca_file: Path | None) -> str:
    from tillflow.connectors.common.shop_settings import validate_shop_settings
    from tillflow.connectors.common.tls import verify_setting
    from tillflow.connectors.vendure.provision import provision_scoped_key
    from tillflow.domain.errors import InvalidInput
    from tillflow.ports.commerce import ChannelError

    if not username or not password:
        fail("give --api-key, or --admin-username and --admin-password to create a scoped key",
             code=2)
    settings = {k: v for k, v in (("shop_url", shop_url), ("ca_file", _path(ca_file))) if v}
    try:
        validate_shop_settings(settings)
        return provision_scoped_key(shop_url, username, password,
                                    verify=verify_setting(settings))
    except InvalidInput as exc:
        fail(str(exc), code=2)
    except ChannelError as exc:
        fail(str(exc))
