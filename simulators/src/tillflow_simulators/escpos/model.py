"""What came out of the virtual printer: lines of styled text, symbols, images, cuts, kicks.

This is the printer's own account of the paper, read from the bytes alone, so tests can
hold the product's encoder against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeVar

Align = Literal["left", "center", "right"]
Font = Literal["A", "B"]
HriPosition = Literal["none", "above", "below", "both"]
QrLevel = Literal["L", "M", "Q", "H"]


@dataclass(frozen=True, kw_only=True)
class Style:
    """Character style: ``width``/``height`` are the 1-8 magnifications of ``GS !``."""

    bold: bool = False
    underline: int = 0
    width: int = 1
    height: int = 1
    font: Font = "A"
    invert: bool = False


PLAIN = Style()


@dataclass(frozen=True)
class Run:
    """Consecutive characters of one style."""

    text: str
    style: Style = PLAIN


@dataclass(frozen=True, kw_only=True)
class Line:
    """One printed line; an empty line is a line feed on an empty buffer."""

    runs: tuple[Run, ...] = ()
    align: Align = "left"

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True, kw_only=True)
class Barcode:
    """A 1D symbol; ``data`` is what a scanner reads (Code 128 set switches taken out)."""

    symbology: str
    data: str
    height: int
    module_width: int
    hri: HriPosition
    align: Align


@dataclass(frozen=True, kw_only=True)
class QrCode:
    data: str
    module_size: int
    level: QrLevel
    align: Align


@dataclass(frozen=True, kw_only=True)
class Image:
    """A bit image as printed: ``width`` x ``height`` dots, rows packed 8 dots a byte,
    most significant bit first, a set bit burnt; ``scale_x``/``scale_y`` its magnification."""

    width: int
    height: int
    data: bytes
    scale_x: int = 1
    scale_y: int = 1
    align: Align = "left"

    def dot(self, x: int, y: int) -> bool:
        row_bytes = (self.width + 7) // 8
        return bool(self.data[y * row_bytes + x // 8] & (0x80 >> (x % 8)))


@dataclass(frozen=True)
class Feed:
    """Paper fed by ``ESC d n``: ``lines`` blank lines."""

    lines: int


@dataclass(frozen=True, kw_only=True)
class Cut:
    partial: bool


@dataclass(frozen=True, kw_only=True)
class DrawerKick:
    """A pulse on the drawer connector: pin 2 or 5, on and off times in milliseconds."""

    pin: int
    on_ms: int
    off_ms: int


Element = Line | Barcode | QrCode | Image | Feed | Cut | DrawerKick
E = TypeVar("E", Line, Barcode, QrCode, Image, Feed, Cut, DrawerKick)


@dataclass(frozen=True, kw_only=True)
class Printout:
    """What the printer did between two cuts (the last element is the cut, if any)."""

    elements: tuple[Element, ...] = ()

    def of_type(self, kind: type[E]) -> list[E]:
        return [element for element in self.elements if isinstance(element, kind)]

    @property
    def lines(self) -> list[Line]:
        return self.of_type(Line)

    @property
    def text(self) -> str:
        """The printed text, one line per printed line."""
        return "\n".join(line.text for line in self.lines)

    @property
    def drawer_kicks(self) -> list[DrawerKick]:
        return self.of_type(DrawerKick)
