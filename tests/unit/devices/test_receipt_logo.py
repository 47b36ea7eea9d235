"""The store's logo: fitted to the paper, black and white, printed as a GS v 0 raster."""

from __future__ import annotations

import base64
import io
from datetime import UTC, datetime

import pytest
from PIL import Image

from tillflow.receipt_layout.data import ReceiptData, StoreHeader
from tillflow.receipt_layout.document import Picture
from tillflow.receipt_layout.escpos import encode
from tillflow.receipt_layout.logo import LogoError, check_logo, logo_picture
from tillflow.receipt_layout.preview import render_png
from tillflow.receipt_layout.profiles import EPSON_58MM, EPSON_80MM
from tillflow.receipt_layout.render import render_receipt


def _png(width: int, height: int, *, mode: str = "RGB") -> str:
    picture = Image.new(mode, (width, height), "white")
    picture.paste("black", (0, 0, width // 2, height))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return base64.b64encode(out.getvalue()).decode()


def test_a_logo_is_fitted_to_the_paper_and_its_left_half_is_black() -> None:
    picture = logo_picture(_png(1000, 200), dots=EPSON_58MM.dots)
    assert picture.width % 8 == 0
    assert picture.width <= EPSON_58MM.dots * 0.6 + 8
    assert picture.height <= 200
    row = picture.bits[:picture.width // 8]
    assert row[0] == 0xFF  # the first dots are burnt
    assert row[-1] == 0x00  # the last are paper


def test_the_logo_prints_above_the_name_as_a_raster_and_in_the_preview() -> None:
    data = ReceiptData(kind="sale", store=StoreHeader(name="Shop", logo=_png(64, 32)),
                       document_number="R1-000001", document_id="id",
                       issued_at=datetime(2026, 1, 1, tzinfo=UTC), currency="USD")
    document = render_receipt(data, profile=EPSON_80MM)
    [picture] = document.of_type(Picture)
    assert document.blocks.index(picture) < 3
    raw = encode(document, profile=EPSON_80MM)
    header = b"\x1dv0\x00" + bytes((picture.width // 8, 0, picture.height, 0))
    assert header + picture.bits in raw
    without = render_receipt(ReceiptData(**{**vars(data), "store": StoreHeader(name="Shop")}),
                             profile=EPSON_80MM)
    taller = Image.open(io.BytesIO(render_png(document, profile=EPSON_80MM))).height
    shorter = Image.open(io.BytesIO(render_png(without, profile=EPSON_80MM))).height
    assert taller - shorter == picture.height


@pytest.mark.parametrize("encoded", ["not base64", base64.b64encode(b"GIF89a...").decode(),
                                     "A" * 300_000])
def test_what_is_not_a_picture_is_refused(encoded: str) -> None:
    with pytest.raises(LogoError):
        check_logo(encoded)
