"""A PNG picture of a ``ReceiptDocument``, drawn the way a thermal printer would print it.

Each character sits in a fixed cell of the printer's column grid, so Pillow's bundled
default font (proportional, present on a bare machine) still lines columns up.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from functools import cache

import barcode as python_barcode
import qrcode
from PIL import Image, ImageDraw, ImageFont, ImageOps

from tillflow.receipt_layout.document import (
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

ROW_DOTS = 24
MONOSPACE_FONT = "DejaVuSansMono.ttf"
MARGIN = 8
WHITE, BLACK, GREY = 255, 0, 160
_QR_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}
_BARCODE_NAMES = {"CODE128": "code128", "EAN13": "ean13", "EAN8": "ean8", "UPC-A": "upca"}
_BARCODE_NAMES |= {"CODE39": "code39", "ITF": "itf", "GS1-128": "gs1_128"}


def render_png(document: ReceiptDocument, *, profile: PrinterProfile) -> bytes:
    """PNG bytes of the paper, ``profile.dots`` wide."""
    parts = [part for block in document.blocks for part in _draw(block, profile)]
    height = sum(part.height for part in parts) + 2 * MARGIN
    paper = Image.new("L", (profile.dots + 2 * MARGIN, height), WHITE)
    top = MARGIN
    for part in parts:
        paper.paste(part, (MARGIN, top))
        top += part.height
    out = io.BytesIO()
    paper.save(out, format="PNG")
    return out.getvalue()


def _draw(block: Block, profile: PrinterProfile) -> Iterator[Image.Image]:
    match block:
        case TextLine():
            yield _text_line(block, profile)
        case Barcode():
            yield _aligned(_barcode(block, profile), block.align, profile)
        case QrCode():
            yield _aligned(_qr(block), block.align, profile)
        case Picture():
            picture = Image.frombytes("1", (block.width, block.height), block.bits)
            yield _aligned(ImageOps.invert(picture.convert("L")), block.align, profile)
        case Feed():
            yield Image.new("L", (profile.dots, ROW_DOTS * block.lines), WHITE)
        case Cut():
            yield _cut(profile)
        case DrawerKick():
            return


def _text_line(text_line: TextLine, profile: PrinterProfile) -> Image.Image:
    height = ROW_DOTS * max((span.style.height for span in text_line.spans), default=1)
    row = Image.new("L", (profile.dots, height), WHITE)
    cells = [
        (char, span.style, profile.dots // profile.columns_for(span.style.font))
        for span in text_line.spans
        for char in span.text
    ]
    used = sum(cell * style.width for _char, style, cell in cells)
    x = _offset(text_line.align, used, profile.dots)
    for char, style, cell in cells:
        glyph = _glyph(char, style, cell)
        row.paste(glyph, (x, height - glyph.height))
        x += glyph.width
    return row


def _glyph(char: str, style: TextStyle, cell: int) -> Image.Image:
    """One character in its cell, then scaled as the printer scales double width/height."""
    ink, paper = (WHITE, BLACK) if style.invert else (BLACK, WHITE)
    image = Image.new("L", (cell, ROW_DOTS), paper)
    pen = ImageDraw.Draw(image)
    font = _font(int(ROW_DOTS * 0.8) if style.font == "a" else int(ROW_DOTS * 0.65))
    pen.text((0, 2), char, fill=ink, font=font, stroke_width=1 if style.bold else 0)
    if style.underline:
        pen.line((0, ROW_DOTS - 2, cell, ROW_DOTS - 2), fill=ink, width=style.underline)
    return image.resize((cell * style.width, ROW_DOTS * style.height))


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans Mono where the system has it (full Latin, €, £); Pillow's own otherwise."""
    try:
        return ImageFont.truetype(MONOSPACE_FONT, size)
    except OSError:
        return ImageFont.load_default(size=size)


def _offset(align: Align, used: int, available: int) -> int:
    free = max(available - used, 0)
    return {"left": 0, "center": free // 2, "right": free}[align]


def _aligned(image: Image.Image, align: Align, profile: PrinterProfile) -> Image.Image:
    row = Image.new("L", (profile.dots, image.height), WHITE)
    row.paste(image, (_offset(align, image.width, profile.dots), 0))
    return row


def _barcode(block: Barcode, profile: PrinterProfile) -> Image.Image:
    name = _BARCODE_NAMES.get(block.symbology)
    modules = python_barcode.get(name, block.data).build()[0] if name else ""
    width = max(len(modules) * block.width, 1)
    label_rows = ROW_DOTS if block.hri in ("below", "both") else 0
    image = Image.new("L", (min(width, profile.dots), block.height + label_rows), WHITE)
    pen = ImageDraw.Draw(image)
    for index, module in enumerate(modules):
        if module == "1":
            left = index * block.width
            pen.rectangle((left, 0, left + block.width - 1, block.height - 1), fill=BLACK)
    if not modules:
        pen.rectangle((0, 0, image.width - 1, block.height - 1), outline=GREY)
    if label_rows:
        font = ImageFont.load_default(size=int(ROW_DOTS * 0.7))
        pen.text((0, block.height), block.data, fill=BLACK, font=font)
    return image


def _qr(block: QrCode) -> Image.Image:
    code = qrcode.QRCode(error_correction=_QR_LEVELS[block.error_correction], border=0)
    code.add_data(block.data)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    size = len(matrix) * block.size
    image = Image.new("L", (size, size + ROW_DOTS // 2), WHITE)
    pen = ImageDraw.Draw(image)
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            if dark:
                left, top = column * block.size, row * block.size
                pen.rectangle((left, top, left + block.size - 1, top + block.size - 1), fill=BLACK)
    return image


def _cut(profile: PrinterProfile) -> Image.Image:
    image = Image.new("L", (profile.dots, ROW_DOTS), WHITE)
    pen = ImageDraw.Draw(image)
    for left in range(0, profile.dots, 12):
        pen.line((left, ROW_DOTS // 2, left + 6, ROW_DOTS // 2), fill=GREY)
    return image
