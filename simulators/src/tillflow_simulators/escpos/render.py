"""A PNG of a ``Printout``: the paper as a person would see it.

Text is drawn character by character in the printer's cells, in DejaVu Sans Mono where
the system has it (Pillow's own font otherwise); barcodes and QR codes are drawn again
from their data, so what shows is what the data says, not a copy of the bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from functools import cache

import barcode as python_barcode
import qrcode
from barcode.errors import BarcodeError
from PIL import Image as Pil
from PIL import ImageDraw, ImageFont, ImageOps

from tillflow_simulators.escpos.model import (
    Align,
    Barcode,
    Cut,
    Element,
    Feed,
    Image,
    Line,
    Printout,
    QrCode,
    Style,
)
from tillflow_simulators.escpos.profiles import PrinterProfile

MONOSPACE_FONT = "DejaVuSansMono.ttf"
# Character heights in dots (Epson font A is 12 x 24, font B 9 x 17) and the default
# line spacing (1/6 inch at 203 dpi).
CHARACTER_HEIGHT = {"A": 24, "B": 17}
LINE_SPACING = 34
MARGIN = 16
WHITE, BLACK, GREY = 255, 0, 150
QR_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}
# The printer's symbologies python-barcode can draw, with the options that keep its
# output to the data given (no check character of its own added to Code 39).
BARCODES: dict[str, tuple[str, dict[str, bool]]] = {
    "UPC-A": ("upca", {}),
    "EAN13": ("ean13", {}),
    "EAN8": ("ean8", {}),
    "CODE39": ("code39", {"add_checksum": False}),
    "ITF": ("itf", {}),
    "CODABAR": ("codabar", {}),
    "CODE128": ("code128", {}),
    "GS1-128": ("gs1_128", {}),
}


def render_png(printout: Printout, *, profile: PrinterProfile) -> bytes:
    """PNG bytes of the paper: the print width plus a margin on each side."""
    parts = [part for element in printout.elements for part in _draw(element, profile)]
    paper = Pil.new("L", (profile.dots + 2 * MARGIN, sum(p.height for p in parts) + 2 * MARGIN),
                    WHITE)
    top = MARGIN
    for part in parts:
        paper.paste(part, (MARGIN, top))
        top += part.height
    out = io.BytesIO()
    paper.save(out, format="PNG")
    return out.getvalue()


def _draw(element: Element, profile: PrinterProfile) -> Iterator[Pil.Image]:
    match element:
        case Line():
            yield _line(element, profile)
        case Barcode():
            yield _placed(_barcode(element, profile), element.align, profile)
        case QrCode():
            yield _placed(_qr(element), element.align, profile)
        case Image():
            yield _placed(_image(element), element.align, profile)
        case Feed():
            yield Pil.new("L", (profile.dots, LINE_SPACING * element.lines), WHITE)
        case Cut():
            yield _cut(element, profile)


def _line(line: Line, profile: PrinterProfile) -> Pil.Image:
    glyphs = [
        _glyph(char, run.style, profile.cell_width(run.style.font))
        for run in line.runs
        for char in run.text
    ]
    height = max([LINE_SPACING, *(glyph.height + 10 for glyph in glyphs)])
    row = Pil.new("L", (profile.dots, height), WHITE)
    x = _offset(line.align, sum(glyph.width for glyph in glyphs), profile.dots)
    for glyph in glyphs:
        # Characters of different heights share their baseline, as on the printer.
        row.paste(glyph, (x, height - 5 - glyph.height))
        x += glyph.width
    return row


@cache
def _glyph(char: str, style: Style, cell: int) -> Pil.Image:
    """One character in its cell, magnified the way the printer repeats dots."""
    height = CHARACTER_HEIGHT[style.font]
    ink, paper = (WHITE, BLACK) if style.invert else (BLACK, WHITE)
    image = Pil.new("L", (cell, height), paper)
    pen = ImageDraw.Draw(image)
    font = _font(height * 5 // 6)
    # Emphasis prints each dot again one dot to the right.
    for shift in (0, 1) if style.bold else (0,):
        pen.text((cell / 2 + shift, height * 0.45), char, fill=ink, font=font, anchor="mm")
    if style.underline:
        pen.rectangle((0, height - style.underline, cell - 1, height - 1), fill=ink)
    return image.resize((cell * style.width, height * style.height), Pil.Resampling.NEAREST)


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(MONOSPACE_FONT, size)
    except OSError:
        return ImageFont.load_default(size=size)


def _offset(align: Align, used: int, available: int) -> int:
    free = max(available - used, 0)
    return {"left": 0, "center": free // 2, "right": free}[align]


def _placed(image: Pil.Image, align: Align, profile: PrinterProfile) -> Pil.Image:
    row = Pil.new("L", (profile.dots, image.height), WHITE)
    row.paste(image, (_offset(align, image.width, profile.dots), 0))
    return row


def _barcode(symbol: Barcode, profile: PrinterProfile) -> Pil.Image:
    modules = _modules(symbol)
    width = min(max(len(modules) * symbol.module_width, 1), profile.dots)
    label = _label(symbol.data, profile.cell_width("A"))
    above = label.height if symbol.hri in ("above", "both") else 0
    below = label.height if symbol.hri in ("below", "both") else 0
    image = Pil.new("L", (max(width, label.width), above + symbol.height + below), WHITE)
    pen = ImageDraw.Draw(image)
    bars = (0, above, width - 1, above + symbol.height - 1)
    if not modules:
        # A symbology nothing here can draw: its outline, and its data as text.
        pen.rectangle(bars, outline=GREY)
        image.paste(label, ((image.width - label.width) // 2, above + symbol.height // 3))
    for index, module in enumerate(modules):
        if module == "1":
            left = index * symbol.module_width
            pen.rectangle((left, bars[1], left + symbol.module_width - 1, bars[3]), fill=BLACK)
    for top in ([0] if above else []) + ([above + symbol.height] if below else []):
        image.paste(label, ((image.width - label.width) // 2, top))
    return image


def _modules(symbol: Barcode) -> str:
    """The symbol's bars as '1' (bar) and '0' (space) modules; '' if it cannot be drawn."""
    if symbol.symbology not in BARCODES:
        return ""
    name, options = BARCODES[symbol.symbology]
    try:
        code = python_barcode.get_barcode_class(name)(symbol.data, **options)
    except (BarcodeError, ValueError):
        return ""
    modules: list[str] = code.build()
    return "".join(modules)


def _label(text: str, cell: int) -> Pil.Image:
    """The human-readable text of a barcode, in font A."""
    glyphs = [_glyph(char, Style(), cell) for char in text]
    row = Pil.new("L", (len(glyphs) * cell, CHARACTER_HEIGHT["A"]), WHITE)
    for index, glyph in enumerate(glyphs):
        row.paste(glyph, (index * cell, 0))
    return row


def _qr(symbol: QrCode) -> Pil.Image:
    code = qrcode.QRCode(error_correction=QR_LEVELS[symbol.level], box_size=symbol.module_size,
                         border=0)
    code.add_data(symbol.data.encode("utf-8"))
    code.make(fit=True)
    image: Pil.Image = code.make_image().get_image()
    return image.convert("L")


def _image(image: Image) -> Pil.Image:
    # A set bit burns a dot; Pillow's 1-bit mode reads a set bit as white.
    dots = Pil.frombytes("1", (image.width, image.height), image.data)
    printed = ImageOps.invert(dots.convert("L"))
    size = (image.width * image.scale_x, image.height * image.scale_y)
    return printed.resize(size, Pil.Resampling.NEAREST)


def _cut(cut: Cut, profile: PrinterProfile) -> Pil.Image:
    """A dashed line; a partial cut leaves a bridge of paper in the middle."""
    image = Pil.new("L", (profile.dots, LINE_SPACING), WHITE)
    pen = ImageDraw.Draw(image)
    bridge = range(profile.dots // 2 - 24, profile.dots // 2 + 24) if cut.partial else range(0)
    for left in range(0, profile.dots, 12):
        if left not in bridge:
            pen.line((left, LINE_SPACING // 2, left + 6, LINE_SPACING // 2), fill=GREY)
    return image
