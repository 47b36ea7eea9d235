"""A printed receipt as data: styled text lines, barcodes, QR codes, feeds, cuts, kicks.

The renderer produces it, the ESC/POS encoder turns it into bytes, the virtual printer
parses bytes back into it and the preview draws it, so all four agree on one model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeVar

Align = Literal["left", "center", "right"]
Font = Literal["a", "b"]
HriPosition = Literal["off", "above", "below", "both"]
ErrorCorrection = Literal["L", "M", "Q", "H"]
DrawerPin = Literal[2, 5]


@dataclass(frozen=True, kw_only=True)
class TextStyle:
    bold: bool = False
    underline: int = 0
    width: int = 1
    height: int = 1
    font: Font = "a"
    invert: bool = False


PLAIN = TextStyle()
BOLD = TextStyle(bold=True)
LARGE = TextStyle(bold=True, width=2, height=2)


@dataclass(frozen=True)
class Span:
    text: str
    style: TextStyle = PLAIN


@dataclass(frozen=True, kw_only=True)
class TextLine:
    spans: tuple[Span, ...] = ()
    align: Align = "left"

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True, kw_only=True)
class Barcode:
    data: str
    symbology: str = "CODE128"
    height: int = 64
    width: int = 2
    hri: HriPosition = "below"
    align: Align = "center"


@dataclass(frozen=True, kw_only=True)
class QrCode:
    data: str
    size: int = 6
    error_correction: ErrorCorrection = "M"
    align: Align = "center"


@dataclass(frozen=True, kw_only=True)
class Picture:
    """A bit image (the store's logo): ``width`` dots (a multiple of 8) by ``height``,
    rows packed 8 dots a byte, most significant bit first, a set bit printed black."""

    width: int
    height: int
    bits: bytes
    align: Align = "center"


@dataclass(frozen=True)
class Feed:
    lines: int


@dataclass(frozen=True, kw_only=True)
class Cut:
    """A cut; the printer feeds past the cutter first, which the cut's bytes include."""

    partial: bool = True


@dataclass(frozen=True, kw_only=True)
class DrawerKick:
    pin: DrawerPin = 2
    on_ms: int = 100
    off_ms: int = 100


Block = TextLine | Barcode | QrCode | Picture | Feed | Cut | DrawerKick
B = TypeVar("B", TextLine, Barcode, QrCode, Picture, Feed, Cut, DrawerKick)


@dataclass(frozen=True, kw_only=True)
class ReceiptDocument:
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        """The printed text, one line per text line, for assertions and logs."""
        return "\n".join(block.text for block in self.blocks if isinstance(block, TextLine))

    def of_type(self, kind: type[B]) -> list[B]:
        return [block for block in self.blocks if isinstance(block, kind)]


def line(text: str, *, style: TextStyle = PLAIN, align: Align = "left") -> TextLine:
    return TextLine(spans=(Span(text, style),) if text else (), align=align)
