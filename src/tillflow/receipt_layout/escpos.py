"""``ReceiptDocument`` -> ESC/POS bytes, through python-escpos's command encoder.

python-escpos's ``Dummy`` printer records the bytes instead of sending them, so encoding
stays pure and the transports only move bytes. Text starts in the profile's code page;
python-escpos switches page (``ESC t``) only for a character that page lacks, so accents,
€ and £ are never printed as the wrong glyph.
"""

from __future__ import annotations

from escpos.printer import Dummy

from tillflow.receipt_layout.document import (
    PLAIN,
    Align,
    Barcode,
    Block,
    Cut,
    DrawerKick,
    Feed,
    Picture,
    QrCode,
    ReceiptDocument,
    TextLine,
    TextStyle,
)
from tillflow.receipt_layout.profiles import PrinterProfile

ESC = 0x1B
_QR_LEVELS = {"L": 0, "M": 1, "Q": 2, "H": 3}
# Code 128 in python-escpos needs its code set named in the data; B covers printable ASCII.
_CODE128_SET_B = "{B"


class _Encoder:
    def __init__(self, profile: PrinterProfile) -> None:
        self.printer = Dummy(profile=profile.escpos_profile)
        self.align: Align = "left"
        self.style = PLAIN
        self.printer.hw("INIT")
        self.printer.charcode(profile.code_page)
        self.printer.charcode("AUTO")

    def block(self, block: Block) -> None:
        match block:
            case TextLine():
                self.text_line(block)
            case Barcode():
                self.barcode(block)
            case QrCode():
                self.set_align(block.align)
                level = _QR_LEVELS[block.error_correction]
                self.printer.qr(block.data, ec=level, size=block.size, native=True)
            case Picture():
                self.set_align(block.align)
                # GS v 0, normal density: width in bytes and height in dots, little-endian.
                width_bytes = block.width // 8
                self.printer._raw(b"\x1dv0\x00" + bytes((width_bytes % 256, width_bytes // 256,
                                                         block.height % 256, block.height // 256))
                                  + block.bits)
            case Feed():
                self.printer.print_and_feed(block.lines)
            case Cut():
                self.printer.cut(mode="PART" if block.partial else "FULL")
            case DrawerKick():
                pin = 0 if block.pin == 2 else 1
                self.printer.cashdraw([ESC, ord("p"), pin, block.on_ms // 2, block.off_ms // 2])

    def text_line(self, text_line: TextLine) -> None:
        self.set_align(text_line.align)
        for span in text_line.spans:
            self.set_style(span.style)
            self.printer.text(span.text)
        self.printer.text("\n")

    def barcode(self, barcode: Barcode) -> None:
        self.set_align(barcode.align)
        data = barcode.data
        if barcode.symbology == "CODE128":
            data = _CODE128_SET_B + data
        # barcode() prints a notice on stdout before delegating here; the printer renders
        # the symbol itself either way.
        self.printer._hw_barcode(
            data,
            barcode.symbology,
            height=barcode.height,
            width=barcode.width,
            pos=barcode.hri.upper(),
            align_ct=False,
            function_type="B",
        )

    def set_align(self, align: Align) -> None:
        if align != self.align:
            self.printer.set(align=align)
            self.align = align

    def set_style(self, style: TextStyle) -> None:
        old = self.style
        if (style.width, style.height) != (old.width, old.height):
            self.printer.set(custom_size=True, width=style.width, height=style.height)
        self.printer.set(
            bold=style.bold if style.bold != old.bold else None,
            underline=style.underline if style.underline != old.underline else None,
            font=style.font if style.font != old.font else None,
            invert=style.invert if style.invert != old.invert else None,
        )
        self.style = style


def encode(document: ReceiptDocument, *, profile: PrinterProfile) -> bytes:
    """The ESC/POS bytes that print ``document`` on a printer of ``profile``."""
    encoder = _Encoder(profile)
    for block in document.blocks:
        encoder.block(block)
    return bytes(encoder.printer.output)
