"""``tillflow simulate printer``: run the virtual ESC/POS network printer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from tillflow.devices.profiles import get_profile
from tillflow_simulators.escpos.printer import VirtualPrinter, saving_printer, serve


def printer(
    port: Annotated[int, typer.Option(help="TCP port to listen on (printers use 9100).")] = 9100,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    profile: Annotated[str, typer.Option(help="Printer profile name.")] = "epson-80mm",
    png_dir: Annotated[
        Path | None, typer.Option(help="Save every receipt as a PNG in this folder.")
    ] = None,
) -> None:
    """Run a virtual ESC/POS network printer that shows what it prints."""
    serve(host=host, port=port, profile=get_profile(profile), png_dir=png_dir, report=typer.echo)


def start_in_background(*, png_dir: Path, report: Callable[[str], None] = print,
                        port: int = 0) -> VirtualPrinter:
    """A printer on ``port`` (0: a free one) saving PNGs in ``png_dir``; ``stop()`` ends it."""
    return saving_printer(port=port, png_dir=png_dir, report=report).start()
