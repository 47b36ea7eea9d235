"""``tillflow init``, ``serve`` and ``worker``: create a store and run it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from tillflow.cli.common import (
    console,
    errors,
    fail,
    free_text,
    operator,
    reported_errors,
    settings,
    store,
)


def init(
    *,
    currency: Annotated[str, typer.Option(help="ISO 4217 store currency.")] = "USD",
    tax_inclusive: Annotated[bool, typer.Option(help="Prices include tax.")] = False,
    phone_region: Annotated[str, typer.Option(help="Region for phone numbers.")] = "US",
    store_name: Annotated[str | None, typer.Option(help="Name printed on receipts.",
                                                   callback=free_text)] = None,
    store_address: Annotated[str | None, typer.Option(
        help="Address on receipts, one line per comma part.", callback=free_text)] = None,
    rcn_rules: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False, help="JSON file of in-store (RCN) barcode layouts.")] = None,
    store_tax_id: Annotated[str | None, typer.Option(
        help="Tax id printed on receipts (VAT, GST number).", callback=free_text)] = None,
    receipt_footer: Annotated[list[str] | None, typer.Option(
        help="A line printed at the end of sales' receipts (repeat for more).")] = None,
    store_logo: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False, help="PNG or JPEG printed above the store's name.")] = None,
    cashier_discount_limit: Annotated[str | None, typer.Option(
        help="Percent of a sale a cashier may discount without a manager (default 0).")] = None,
    cashier_price_override_limit: Annotated[str | None, typer.Option(
        help="Percent below the price a cashier may sell without a manager (default 0).")
    ] = None,
) -> None:
    """Create or migrate the database and record the store's settings."""
    from tillflow.bootstrap import initialise_store
    from tillflow.domain.barcodes.rcn_config import rules_from_json

    with reported_errors():
        try:
            config = initialise_store(
                settings(), currency=currency, tax_inclusive=tax_inclusive,
                phone_region=phone_region, store_name=store_name, store_address=store_address,
                rcn_rules=rules_from_json(rcn_rules.read_text()) if rcn_rules else None)
        except ValueError as exc:
            fail(str(exc))
    if cashier_discount_limit is not None or cashier_price_override_limit is not None:
        _set_limits(discount=cashier_discount_limit, price=cashier_price_override_limit)
    console.print(f"store ready: currency {config.currency.code}, "
                  f"{'tax-inclusive' if config.tax_inclusive else 'tax-exclusive'} prices")
    if store_tax_id is not None or receipt_footer or store_logo is not None:
        _set_receipt(tax_id=store_tax_id, footer=receipt_footer, logo=store_logo)


def _set_limits(*, discount: str | None, price: str | None) -> None:
    from tillflow.services import store_limits

    with store() as ctx:
        limits = store_limits.set_limits(ctx, operator(), {"cashier": store_limits.LimitsChange(
            discount_percent=discount, price_override_percent=price)})["cashier"]
    console.print(f"a cashier gives up to {limits.discount_percent} % of discounts and sells "
                  f"up to {limits.price_override_percent} % below the price without a manager")


def _set_receipt(*, tax_id: str | None, footer: list[str] | None, logo: Path | None) -> None:
    import base64

    from tillflow.receipts import store_settings
    from tillflow.services import store_details

    for line in footer or []:
        free_text(line)
    change = store_settings.ReceiptSettingsChange(
        footer="\n".join(footer) if footer else None,
        logo=base64.b64encode(logo.read_bytes()).decode() if logo else None)
    with store() as ctx:
        if tax_id is not None:
            store_details.change(ctx, operator(), tax_id=tax_id)
        if change.footer is not None or change.logo is not None:
            store_settings.change_settings(ctx, operator(), change)
    console.print("receipts print the store's " + ", ".join(
        what for what, value in (("tax id", tax_id), ("footer", footer), ("logo", logo)) if value))


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (PostgreSQL).")] = 1,
) -> None:
    """Serve the HTTP API."""
    import uvicorn

    with store():
        pass
    # Webhook subscriptions point here unless TILLFLOW_PUBLIC_URL says otherwise.
    os.environ.setdefault("TILLFLOW_PUBLIC_URL", f"http://{host}:{port}")
    uvicorn.run("tillflow.bootstrap:app_from_env", factory=True, host=host, port=port,
                workers=workers, access_log=False, log_level="warning")


def worker() -> None:
    """Run the consumers of the events log (sync, postings, emails) until stopped."""
    import signal
    import threading

    from tillflow.bootstrap import build_runner, build_sync
    from tillflow.sync.worker import run_until_stopped

    with store() as ctx:
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        errors.print("worker running; Ctrl-C stops it")
        run_until_stopped(build_runner(ctx, build_sync(ctx, settings())), stop)
