"""Bit images from their three ESC/POS forms: ``GS v 0`` raster, ``GS ( L`` graphics and
``ESC *`` columns, all turned into rows of dots."""

from __future__ import annotations

from tillflow_simulators.escpos.model import Align, Image

# ESC * m: dots per column byte count and magnification, by density (single density
# dots are printed twice as wide, 8-dot ones three times as tall).
COLUMN_MODES = {0: (1, 2, 3), 1: (1, 1, 3), 32: (3, 2, 1), 33: (3, 1, 1)}


def raster(mode: int, width_bytes: int, height: int, data: bytes, align: Align) -> Image:
    """``GS v 0 m``: m 0 normal, 1 double width, 2 double height, 3 both (or '0'-'3')."""
    scale = mode & 0x03
    return Image(
        width=width_bytes * 8,
        height=height,
        data=data,
        scale_x=2 if scale & 1 else 1,
        scale_y=2 if scale & 2 else 1,
        align=align,
    )


def graphics(header: bytes, data: bytes) -> Image:
    """``GS ( L`` function 112: ``a bx by c xL xH yL yH``; bx and by magnify (1 or 2)."""
    _tone, scale_x, scale_y, _colour, xl, xh, yl, yh = header
    return Image(width=xl + xh * 256, height=yl + yh * 256, data=data, scale_x=scale_x,
                 scale_y=scale_y)


def graphics_size(header: bytes) -> int:
    width, height = header[4] + header[5] * 256, header[6] + header[7] * 256
    return (width + 7) // 8 * height


def columns(mode: int, width: int, data: bytes, align: Align) -> Image:
    """``ESC * m``: each column is 1 or 3 bytes from the top, most significant bit first."""
    depth, scale_x, scale_y = COLUMN_MODES[mode]
    height, row_bytes = depth * 8, (width + 7) // 8
    rows = bytearray(row_bytes * height)
    for x in range(width):
        for y in range(height):
            if data[x * depth + y // 8] & (0x80 >> (y % 8)):
                rows[y * row_bytes + x // 8] |= 0x80 >> (x % 8)
    return Image(
        width=width, height=height, data=bytes(rows), scale_x=scale_x, scale_y=scale_y,
        align=align,
    )
