"""The ``tillflow`` command."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from tillflow import demo as demo_store
from tillflow.bootstrap import build_app, build_runner, build_sync, open_context
from tillflow.db.engine import build_engine
from tillflow.devices.cli import serve as devices_serve
from tillflow.domain.barcodes.rcn_config import rules_from_json
from tillflow.domain.errors import DomainError
from tillflow.importer import count_rows, import_products
from tillflow.logs import configure as configure_logs
from tillflow.payments_cli import connection_app
from tillflow.receipts.cli import receipt as receipt_command
from tillflow.receipts.demo_printer import start_demo_printer
from tillflow.services import staff, tokens
from tillflow.services.inventory import verify_ledger
from tillflow.services.setup import NotInitialised, initialise
from tillflow.settings import Settings
from tillflow.simulators.adyen.cli import simulate_adyen
from tillflow.simulators.escpos_cli import printer as simulate_printer
from tillflow.simulators.odoo.cli import simulate_odoo
from tillflow.simulators.shopify.cli import simulate_shopify
from tillflow.simulators.woocommerce.cli import woocommerce as simulate_woocommerce
from tillflow.staff_cli import staff_app
from tillflow.sync.cli import connect_app, sync_app
from tillflow.sync.demo import demo_shops
from tillflow.sync.worker import run_until_stopped
from tillflow.vendure_cli import connect_vendure

app = typer.Typer(help="tillflow: the point of sale built for integration.",
                  no_args_is_help=True)
token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
import_app = typer.Typer(help="Import data from files.", no_args_is_help=True)
stock_app = typer.Typer(help="Stock ledger tools.", no_args_is_help=True)
app.add_typer(token_app, name="token")
app.add_typer(import_app, name="import")
app.add_typer(stock_app, name="stock")
simulate_app = typer.Typer(help="Run a platform simulator in the foreground.",
                           no_args_is_help=True)
simulate_app.command("shopify")(simulate_shopify)
simulate_app.command("woocommerce")(simulate_woocommerce)
simulate_app.command("adyen")(simulate_adyen)
simulate_app.command("printer")(simulate_printer)
simulate_app.command("odoo")(simulate_odoo)
app.add_typer(simulate_app, name="simulate")
devices_app = typer.Typer(help="The register's local device agent.", no_args_is_help=True)
devices_app.command("serve")(devices_serve)
app.add_typer(devices_app, name="devices")
app.command("receipt")(receipt_command)
app.add_typer(connection_app, name="connection")
app.add_typer(staff_app, name="staff")
app.add_typer(sync_app, name="sync")
connect_app.command("vendure")(connect_vendure)
app.add_typer(connect_app, name="connect")
console = Console()
errors = Console(stderr=True)


def _fail(message: str) -> typer.Exit:
    errors.print(f"[red]error:[/red] {message}")
    return typer.Exit(code=1)


@app.command()
def init(
    *,
    currency: Annotated[str, typer.Option(help="ISO 4217 store currency.")] = "USD",
    tax_inclusive: Annotated[bool, typer.Option(help="Prices include tax.")] = False,
    phone_region: Annotated[str, typer.Option(help="Region for phone numbers.")] = "US",
    store_name: Annotated[str | None, typer.Option(help="Name printed on receipts.")] = None,
    store_address: Annotated[
        str | None, typer.Option(help="Address on receipts, one line per comma part.")] = None,
    rcn_rules: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False, help="JSON file of in-store (RCN) barcode layouts.")] = None,
) -> None:
    """Create or migrate the database and record the store's settings."""
    settings = Settings.from_env()
    settings.ensure_home()
    engine = build_engine(settings.database_url)
    try:
        config = initialise(engine, currency=currency, tax_inclusive=tax_inclusive,
                            phone_region=phone_region, store_name=store_name,
                            store_address=store_address,
                            rcn_rules=rules_from_json(rcn_rules.read_text()) if rcn_rules else None)
    except DomainError as exc:
        raise _fail(exc.message) from None
    except ValueError as exc:
        raise _fail(str(exc)) from None
    finally:
        engine.dispose()
    console.print(f"store ready: currency {config.currency.code}, "
                  f"{'tax-inclusive' if config.tax_inclusive else 'tax-exclusive'} prices")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (PostgreSQL).")] = 1,
) -> None:
    """Serve the HTTP API."""
    try:
        with open_context(Settings.from_env()):
            pass
    except NotInitialised as exc:
        raise _fail(str(exc)) from None
    # Webhook subscriptions point here unless TILLFLOW_PUBLIC_URL says otherwise.
    os.environ.setdefault("TILLFLOW_PUBLIC_URL", f"http://{host}:{port}")
    uvicorn.run("tillflow.bootstrap:app_from_env", factory=True, host=host, port=port,
                workers=workers, access_log=False, log_level="warning")


@app.command()
def worker() -> None:
    """Run the consumers of the events log (sync, postings, emails) until stopped."""
    try:
        settings = Settings.from_env()
        with open_context(settings) as ctx:
            stop = threading.Event()
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: stop.set())
            errors.print("worker running; Ctrl-C stops it")
            run_until_stopped(build_runner(ctx, build_sync(ctx, settings)), stop)
    except NotInitialised as exc:
        raise _fail(str(exc)) from None


@token_app.command("create")
def token_create(
    role: Annotated[str, typer.Option(help="admin, manager, cashier or integration.")],
    name: Annotated[str, typer.Option(help="Who or what uses the token.")] = "",
) -> None:
    """Create an API token and print it (it is shown only this once)."""
    try:
        with open_context(Settings.from_env()) as ctx:
            token = tokens.create_token(ctx, role=role, name=name or role)
    except (NotInitialised, DomainError) as exc:
        raise _fail(getattr(exc, "message", str(exc))) from None
    typer.echo(token)


@import_app.command("products")
def import_products_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Create or update products from a CSV file (sku,name,price,tax_rate,barcodes,active)."""
    try:
        with open_context(Settings.from_env()) as ctx, \
                Progress(console=errors, transient=True) as progress:
            task = progress.add_task("importing", total=count_rows(file))
            report = import_products(ctx, file, on_row=lambda: progress.advance(task))
    except (NotInitialised, ValueError) as exc:
        raise _fail(str(exc)) from None
    console.print(f"{report.created} created, {report.updated} updated, "
                  f"{report.unchanged} unchanged, {len(report.rejected)} rejected")
    if report.rejected:
        table = Table("line", "sku", "reason", title="rejected rows")
        for row in report.rejected:
            table.add_row(str(row.line), row.sku, row.reason)
        console.print(table)
        raise typer.Exit(code=1)


@stock_app.command("verify")
def stock_verify() -> None:
    """Check every cached stock level against the sum of its ledger movements."""
    with open_context(Settings.from_env()) as ctx:
        drifts = verify_ledger(ctx)
    if not drifts:
        console.print("every stock level matches its ledger")
        return
    for d in drifts:
        console.print(f"product {d.product_id} at location {d.location_id}: "
                      f"cached {d.cached}, ledger {d.ledger}")
    raise typer.Exit(code=1)


DEMO_CASHIER, DEMO_PIN = "Ana", "1234"
DEMO_MANAGER, DEMO_MANAGER_PIN = "Max", "9876"


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Start a fresh demo store (SQLite, generated catalog, history) and serve it."""
    base = Settings.from_env()
    home = base.home / "demo"
    shutil.rmtree(home, ignore_errors=True)
    os.environ["TILLFLOW_HOME"] = str(home)
    os.environ["TILLFLOW_DATABASE_URL"] = f"sqlite:///{home / 'tillflow.db'}"
    os.environ["TILLFLOW_PUBLIC_URL"] = f"http://{host}:{port}"
    settings = Settings.from_env()
    settings.ensure_home()
    errors.print("building the demo store ...")
    engine = build_engine(settings.database_url)
    initialise(engine, store_name="tillflow demo store",
               store_address="1 Main Street, Springfield")
    engine.dispose()
    with open_context(settings) as ctx:
        documents = demo_store.seed(ctx)
        token = tokens.create_token(ctx, role="admin", name="demo admin")
        staff.add_staff(ctx, name=DEMO_CASHIER, role="cashier", pin=DEMO_PIN)
        staff.add_staff(ctx, name=DEMO_MANAGER, role="manager", pin=DEMO_MANAGER_PIN)
        pairing = staff.pair_register(ctx, register="R1")
        printer = start_demo_printer(ctx, documents, png_dir=home / "receipts",
                                     report=errors.print)
    typer.echo(f"tillflow demo: http://{host}:{port}/api/v1/docs")
    typer.echo(f"admin token:   {token}")
    typer.echo(f"try:  curl -H 'Authorization: Bearer {token}' "
               f"http://{host}:{port}/api/v1/products?limit=3", )
    typer.echo(f"register:      http://{host}:{port}/register/ (pairing token {pairing}; "
               f"{DEMO_CASHIER} PIN {DEMO_PIN}, {DEMO_MANAGER} PIN {DEMO_MANAGER_PIN})")
    typer.echo(f"receipts:      {home / 'receipts'} (PNGs of a virtual printer at "
               f"tcp://127.0.0.1:{printer.port}: tillflow receipt SALE_ID --printer ...)")
    try:
        with open_context(settings) as ctx, demo_shops(ctx, location="S1") as shops:
            for line in shops:
                typer.echo(line)
            uvicorn.run(build_app(settings), host=host, port=port, access_log=False,
                        log_level="warning")
    finally:
        printer.stop()


def main() -> None:
    # The demo is for reading its printed addresses, not the worker's chatter.
    configure_logs(default_level="warning" if sys.argv[1:2] == ["demo"] else "info")
    app()
