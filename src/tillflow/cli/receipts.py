"""``tillflow receipt ID``: show, save or print the receipt of a sale, return or shift."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tillflow.cli.common import fail, store


def receipt(
    document_id: Annotated[str, typer.Argument(help="Id of a sale, a return or a shift.")],
    png: Annotated[Path | None, typer.Option(help="Save the receipt as a PNG here.")] = None,
    printer: Annotated[str | None, typer.Option(
        help="Print it: tcp://HOST[:PORT], usb://VID:PID, file:///path ...")] = None,
    profile: Annotated[str, typer.Option(help="Printer profile name.")] = "epson-80mm",
) -> None:
    """Reprint a receipt (the drawer stays shut); without options, show its text."""
    from tillflow.devices.agent.settings import parse_printer_url
    from tillflow.devices.transports import PrinterUnavailableError, send
    from tillflow.receipt_layout.profiles import get_profile
    from tillflow.receipt_layout.render import render_receipt
    from tillflow.receipts.reprint import receipt_data, render

    try:
        chosen = get_profile(profile)
        transport = parse_printer_url(printer) if printer else None
        with store() as ctx:
            data = receipt_data(ctx, document_id)
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
