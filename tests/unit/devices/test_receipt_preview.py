"""The PNG preview is drawn from the same document the printer gets."""

import io

from PIL import Image

from support.receipt_samples import sale
from tillflow.receipt_layout.document import QrCode, ReceiptDocument, line
from tillflow.receipt_layout.preview import MARGIN, render_png
from tillflow.receipt_layout.profiles import EPSON_80MM, GENERIC_58MM_NO_CUTTER
from tillflow.receipt_layout.render import render_receipt


def _image(data: bytes) -> Image.Image:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(io.BytesIO(data))


def test_preview_is_paper_wide_and_grows_with_the_receipt() -> None:
    for profile in (EPSON_80MM, GENERIC_58MM_NO_CUTTER):
        image = _image(render_png(render_receipt(sale(), profile=profile), profile=profile))
        assert image.width == profile.dots + 2 * MARGIN
        assert image.height > 600


def test_text_and_qr_leave_ink_on_the_paper() -> None:
    blank = _image(render_png(ReceiptDocument(blocks=(line(""),)), profile=EPSON_80MM))
    assert blank.getextrema() == (255, 255)
    inked = _image(render_png(ReceiptDocument(blocks=(line("€ £ é"),)), profile=EPSON_80MM))
    assert inked.getextrema() == (0, 255)
    qr = _image(
        render_png(ReceiptDocument(blocks=(QrCode(data="S-1", size=4),)), profile=EPSON_80MM)
    )
    histogram = qr.convert("1").histogram()
    assert histogram[0] > 21 * 21 * 16 // 3
