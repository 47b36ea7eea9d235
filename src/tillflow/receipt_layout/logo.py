"""The store's logo (a PNG or JPEG, base64 in the store's settings) as a printable bit image."""

from __future__ import annotations

import base64
import binascii
import io
from functools import lru_cache

from PIL import Image, ImageOps, UnidentifiedImageError

from tillflow.receipt_layout.document import Picture

# Wider than this reads as a banner, not a logo, and costs paper on every receipt.
MAX_WIDTH_SHARE = 0.6
MAX_HEIGHT_DOTS = 200
MAX_ENCODED_CHARS = 200_000


class LogoError(ValueError):
    pass


def check_logo(encoded: str) -> None:
    """Refuse what is not a picture this module can print (raises ``LogoError``)."""
    _decoded(encoded)


@lru_cache(maxsize=8)
def logo_picture(encoded: str, *, dots: int) -> Picture:
    """The logo fitted to ``dots`` of paper, dithered to black and white."""
    image = _decoded(encoded)
    image.thumbnail((int(dots * MAX_WIDTH_SHARE), MAX_HEIGHT_DOTS))
    width = (image.width + 7) // 8 * 8
    canvas = Image.new("L", (width, image.height), 255)
    canvas.paste(image, (0, 0))
    # In mode "1" a set bit is white; a printer burns set bits, so invert first.
    bits = ImageOps.invert(canvas).convert("1").tobytes()
    return Picture(width=width, height=image.height, bits=bits)


def _decoded(encoded: str) -> Image.Image:
    if len(encoded) > MAX_ENCODED_CHARS:
        raise LogoError(f"the logo is larger than {MAX_ENCODED_CHARS * 3 // 4} bytes")
    try:
        raw = base64.b64decode(encoded, validate=True)
        with Image.open(io.BytesIO(raw)) as opened:
            if opened.format not in ("PNG", "JPEG"):
                raise LogoError("the logo must be a PNG or JPEG image")
            flat = Image.new("RGBA", opened.size, "white")
            flat.alpha_composite(opened.convert("RGBA"))
            return flat.convert("L")
    except (binascii.Error, UnidentifiedImageError, OSError) as exc:
        raise LogoError("the logo is not a base64 PNG or JPEG image") from exc
