"""``tillflow demo``: a fresh demo store with simulated shops and a virtual printer."""

from __future__ import annotations

import os
import shutil
from typing import Annotated

import typer

from tillflow.cli.common import errors, fail, settings

DEMO_CASHIER, DEMO_PIN = "Ana", "1234"
DEMO_MANAGER, DEMO_MANAGER_PIN = "Max", "9876"


def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Start a fresh demo store (SQLite, generated catalog, history) and serve it."""
    import uvicorn

    from tillflow import demo as demo_store
    from tillflow import simulation
    from tillflow.bootstrap import build_app, initialise_store, open_context
    from tillflow.receipts.demo_printer import start_demo_printer
    from tillflow.services import staff, tokens
    from tillflow.sync.demo import demo_shops

    missing = [name for name in ("shopify", "woocommerce", "magento", "printer")
               if name not in simulation.names()]
    if missing:
        fail(f"the demo needs the {', '.join(missing)} simulator(s); {simulation.INSTALL_HINT}")
    home = settings().home / "demo"
    shutil.rmtree(home, ignore_errors=True)
    os.environ["TILLFLOW_HOME"] = str(home)
    os.environ["TILLFLOW_DATABASE_URL"] = f"sqlite:///{home / 'tillflow.db'}"
    os.environ["TILLFLOW_PUBLIC_URL"] = f"http://{host}:{port}"
    demo_settings = settings()
    errors.print("building the demo store ...")
    initialise_store(demo_settings, store_name="tillflow demo store",
                     store_address="1 Main Street, Springfield")
    with open_context(demo_settings) as ctx:
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
        with open_context(demo_settings) as ctx, demo_shops(ctx, location="S1") as shops:
            for line in shops:
                typer.echo(line)
            uvicorn.run(build_app(demo_settings), host=host, port=port, access_log=False,
                        log_level="warning")
    finally:
        printer.stop()
