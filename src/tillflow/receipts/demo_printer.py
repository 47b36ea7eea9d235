"""The demo's receipt printer: a virtual ESC/POS printer that saves what it prints as PNGs."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from tillflow.devices.document import ReceiptDocument
from tillflow.devices.preview import render_png
from tillflow.devices.profiles import EPSON_80MM
from tillflow.devices.transports import NetworkTransport, send
from tillflow.receipts.documents import receipt_data, render
from tillflow.services.context import ServiceContext
from tillflow.simulators.escpos_printer import VirtualPrinter


def start_demo_printer(ctx: ServiceContext, documents: Sequence[str], *, png_dir: Path,
                       port: int = 0, report: Callable[[str], None] = print) -> VirtualPrinter:
    """Start the printer on ``port`` (0: any free one) and print ``documents`` on it.

    The caller stops the printer; until then it keeps printing (and saving) receipts sent
    to it, e.g. by ``tillflow receipt ID --printer tcp://127.0.0.1:PORT``.
    """
    png_dir.mkdir(parents=True, exist_ok=True)
    printer = VirtualPrinter(port=port, profile=EPSON_80MM)
    numbers = itertools.count(1)
    saved = threading.Semaphore(0)

    def save(receipt: ReceiptDocument) -> None:
        path = png_dir / f"receipt-{next(numbers):04d}.png"
        path.write_bytes(render_png(receipt, profile=EPSON_80MM))
        report(f"printed {path}")
        saved.release()

    printer.on_receipt = save
    printer.start()
    transport = NetworkTransport(host=printer.host, port=printer.port)
    for document_id in documents:
        data = receipt_data(ctx, document_id)
        send(transport, render(data, profile=EPSON_80MM, output="escpos"))
    # The printer saves after it has parsed a receipt: wait for the files, not the parse.
    for _document in documents:
        if not saved.acquire(timeout=10):
            printer.stop()
            raise TimeoutError("the virtual printer did not save the demo's receipts")
    return printer
