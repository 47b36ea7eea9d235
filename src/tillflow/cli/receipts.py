"""``tillflow receipt ID``: show, save or print the receipt of a sale, return or shift."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tillflow.cli.common import fail, store


def receipt(
    document: Annotated[str, typer.Argument(
        help="A sale's or return's printed number (R1-000013, OFFLINE-…) or id, or a "
             "shift's id.")],
    png: Annotated[Path | None, typer.Option(help="Save the receipt as a PNG here.")] = None,
    printer: Annotated[str | None, typer.Option(
        help="Print it: tcp://HOST[:PORT], usb://VID:PID, file:///path ...")] = None,
    profile: Annotated[str, typer.Option(help="Printer profile name.")] = "epson-80mm",
    gift: Annotated[bool, typer.Option(help="A sale's gift receipt, without prices.")] = False,
) -> None:
    """Reprint a receipt (the drawer stays shut); without options, show its text."""
    from tillflow.devices.agent.settings import parse_printer_url
    from tillflow.devices.transports import PrinterUnavailableError, send
    from tillflow.receipt_layout.profiles import get_profile
    from tillflow.receipt_layout.render import render_receipt
    from tillflow.receipts.reprint import gift_receipt_data, receipt_data, render

    try:
        chosen = get_profile(profile)
        transport = parse_printer_url(printer) if printer else None
        with store() as ctx:
            data = gift_receipt_data(ctx, document) if gift else receipt_data(ctx, document)
        if png is not None:
            png.write_bytes(render(data, profile=chosen, output="png"))
            typer.echo(f"saved {png}")
        if transport is not None:
            send(transport, render(data, profile=chosen, output="escpos"))
            typer.echo(f"printed on {printer}")
        if png is None and transport is None:
            typer.echo(render_receipt(data, profile=chosen, open_drawer=False).text)
    except (PrinterUnavailableError, ValueError, OSError) as exc:
        fail(str(exc))
