"""What a customer sees, in one shape for a ``ReceiptDocument`` the product lays out and for
the ``Printout`` the virtual printer read back from the bytes: printed lines with their
styles, barcode and QR payloads, cuts and drawer kicks. Paper feeds are left out: the
product counts the feed before a cut as part of the cut, the printer sees two commands."""

from __future__ import annotations

from collections.abc import Iterable

from tillflow.receipt_layout import document as product
from tillflow_simulators.escpos import model as printed

Seen = tuple[object, ...]
_HRI = {"off": "none"}


def expected(document: product.ReceiptDocument) -> list[Seen]:
    return [seen for block in document.blocks if (seen := _expected(block)) is not None]


def seen(printout: printed.Printout | Iterable[printed.Element]) -> list[Seen]:
    elements = printout.elements if isinstance(printout, printed.Printout) else printout
    return [shown for element in elements if (shown := _seen(element)) is not None]


def _expected(block: product.Block) -> Seen | None:
    match block:
        case product.TextLine():
            return ("line", block.align, *_runs((s.text, _style(s.style)) for s in block.spans))
        case product.Barcode():
            return ("barcode", block.symbology, block.data, block.height, block.width,
                    _HRI.get(block.hri, block.hri), block.align)
        case product.QrCode():
            return ("qr", block.data, block.size, block.error_correction, block.align)
        case product.Cut():
            return ("cut", block.partial)
        case product.DrawerKick():
            return ("kick", block.pin, block.on_ms, block.off_ms)
    return None


def _seen(element: printed.Element) -> Seen | None:
    match element:
        case printed.Line():
            return ("line", element.align, *((run.text, _printed_style(run.style))
                                             for run in element.runs))
        case printed.Barcode():
            return ("barcode", element.symbology, element.data, element.height,
                    element.module_width, element.hri, element.align)
        case printed.QrCode():
            return ("qr", element.data, element.module_size, element.level, element.align)
        case printed.Cut():
            return ("cut", element.partial)
        case printed.DrawerKick():
            return ("kick", element.pin, element.on_ms, element.off_ms)
        case printed.Image():
            return ("image", element.width, element.height)
    return None


def _style(style: product.TextStyle) -> Seen:
    return (style.bold, style.underline, style.width, style.height, style.font.upper(),
            style.invert)


def _printed_style(style: printed.Style) -> Seen:
    return (style.bold, style.underline, style.width, style.height, style.font, style.invert)


def _runs(spans: Iterable[tuple[str, Seen]]) -> list[tuple[str, Seen]]:
    """Adjacent spans of one style print as one run; empty ones print nothing."""
    runs: list[tuple[str, Seen]] = []
    for text, style in spans:
        if runs and runs[-1][1] == style:
            runs[-1] = (runs[-1][0] + text, style)
        elif text:
            runs.append((text, style))
    return runs
