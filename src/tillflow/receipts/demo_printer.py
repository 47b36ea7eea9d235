"""The demo's receipt printer: a virtual ESC/POS printer that saves what it prints as PNGs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, cast

from tillflow import simulation
from tillflow.devices.transports import NetworkTransport, send
from tillflow.receipt_layout.profiles import EPSON_80MM
from tillflow.receipts.reprint import receipt_data, render
from tillflow.services.context import ServiceContext


class DemoPrinter(Protocol):
    host: str
    port: int

    def wait_for_receipts(self, count: int, *, timeout: float = 5.0) -> object: ...

    def stop(self) -> None: ...


def start_demo_printer(ctx: ServiceContext, documents: Sequence[str], *, png_dir: Path,
                       port: int = 0, report: Callable[[str], None] = print) -> DemoPrinter:
    """Start the printer on ``port`` (0: any free one) and print ``documents`` on it.

    The caller stops the printer; until then it keeps printing (and saving) receipts sent
    to it, e.g. by ``tillflow receipt ID --printer tcp://127.0.0.1:PORT``.
    """
    printer = cast(DemoPrinter, simulation.load("printer").start(
        png_dir=png_dir, report=report, port=port))
    transport = NetworkTransport(host=printer.host, port=printer.port)
    for document_id in documents:
        send(transport, render(receipt_data(ctx, document_id), profile=EPSON_80MM,
                               output="escpos"))
    try:
        # The printer saves after it has parsed a receipt: wait for the files, not the parse.
        printer.wait_for_receipts(len(documents), timeout=10)
    except TimeoutError:
        printer.stop()
        raise
    return printer
