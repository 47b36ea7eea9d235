"""``tillflow simulate printer``: run the virtual ESC/POS network printer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from tillflow_simulators.escpos.printer import VirtualPrinter, saving_printer, serve
from tillflow_simulators.escpos.profiles import PROFILES, get_profile


def printer(
    port: Annotated[int, typer.Option(help="TCP port to listen on (printers use 9100).")] = 9100,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    profile: Annotated[
        str, typer.Option(help=f"Printer profile: {', '.join(sorted(PROFILES))}.")
    ] = "epson-80mm",
    png_dir: Annotated[
        Path | None, typer.Option(help="Save every receipt as a PNG in this folder.")
    ] = None,
) -> None:
    """Run a virtual ESC/POS network printer that shows what it prints."""
    try:
        chosen = get_profile(profile)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--profile") from None
    serve(host=host, port=port, profile=chosen, png_dir=png_dir, report=typer.echo)


def start_in_background(*, png_dir: Path, report: Callable[[str], None] = print,
                        port: int = 0) -> VirtualPrinter:
    """A printer on ``port`` (0: a free one) saving PNGs in ``png_dir``; ``stop()`` ends it."""
    return saving_printer(port=port, png_dir=png_dir, report=report).start()
