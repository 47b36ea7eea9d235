"""Printer profiles as data: paper width, columns per font, code page, cutter, drawer."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

from tillflow.receipt_layout.document import DrawerKick, DrawerPin, Font


@dataclass(frozen=True, kw_only=True)
class DrawerPulse:
    """The ``ESC p`` pulse: which connector pin and how long it is on and off."""

    pin: DrawerPin = 2
    on_ms: int = 100
    off_ms: int = 100

    def __post_init__(self) -> None:
        for value in (self.on_ms, self.off_ms):
            if not 2 <= value <= 510:
                raise ValueError("drawer pulse times must be 2-510 ms (2 ms steps)")

    def kick(self) -> DrawerKick:
        return DrawerKick(pin=self.pin, on_ms=self.on_ms, off_ms=self.off_ms)


@dataclass(frozen=True, kw_only=True)
class PrinterProfile:
    """What differs between printers; ``escpos_profile`` names python-escpos's capabilities."""

    name: str
    paper_mm: int
    dots: int
    columns: MappingProxyType[Font, int]
    code_page: str = "CP858"
    cutter: bool = True
    partial_cut: bool = True
    qr: bool = True
    escpos_profile: str = "default"
    drawer: DrawerPulse = field(default_factory=DrawerPulse)

    def columns_for(self, font: Font = "a") -> int:
        return self.columns[font]


def _columns(a: int, b: int) -> MappingProxyType[Font, int]:
    return MappingProxyType({"a": a, "b": b})


EPSON_80MM = PrinterProfile(
    name="epson-80mm", paper_mm=80, dots=576, columns=_columns(48, 64), escpos_profile="TM-T88V"
)
EPSON_58MM = PrinterProfile(
    name="epson-58mm", paper_mm=58, dots=384, columns=_columns(32, 42), escpos_profile="default"
)
GENERIC_58MM_NO_CUTTER = PrinterProfile(
    name="generic-58mm",
    paper_mm=58,
    dots=384,
    columns=_columns(32, 42),
    cutter=False,
    qr=False,
    code_page="CP437",
    escpos_profile="POS-5890",
)
PROFILES = MappingProxyType(
    {profile.name: profile for profile in (EPSON_80MM, EPSON_58MM, GENERIC_58MM_NO_CUTTER)}
)


def get_profile(name: str) -> PrinterProfile:
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise ValueError(f"unknown printer profile {name!r} (known: {known})") from None
