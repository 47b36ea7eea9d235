"""The printers the simulator can be: print width, characters per line, code page numbers.

Widths and columns come from the python-escpos printer database entry of a real model
(``model``), which also numbers its code pages; a profile states them itself only where
the database does not know them.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from escpos.capabilities import get_profile as capabilities

from tillflow_simulators.escpos.model import Font


@dataclass(frozen=True, kw_only=True)
class PrinterProfile:
    name: str
    model: str
    dots: int
    columns: MappingProxyType[Font, int]

    def cell_width(self, font: Font) -> int:
        """Dots one character of ``font`` takes at normal width."""
        return self.dots // self.columns[font]


def from_model(name: str, model: str) -> PrinterProfile:
    data = capabilities(model).profile_data
    fonts = data["fonts"]
    return PrinterProfile(
        name=name,
        model=model,
        dots=int(data["media"]["width"]["pixels"]),
        columns=MappingProxyType({"A": fonts["0"]["columns"], "B": fonts["1"]["columns"]}),
    )


# An Epson TM-T20II: 203 dpi, 576 dots on 80 mm paper, 48 / 64 characters.
EPSON_80MM = from_model("epson-80mm", "TM-T20II")
# Epson numbering on 58 mm paper; the database's generic entry has no width of its own.
EPSON_58MM = PrinterProfile(
    name="epson-58mm", model="default", dots=384, columns=MappingProxyType({"A": 32, "B": 42})
)
# A Zjiang POS-5890, the common unbranded 58 mm printer with its own code page numbers.
GENERIC_58MM = from_model("generic-58mm", "POS-5890")
PROFILES = MappingProxyType(
    {profile.name: profile for profile in (EPSON_80MM, EPSON_58MM, GENERIC_58MM)}
)


def get_profile(name: str) -> PrinterProfile:
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise ValueError(f"unknown printer profile {name!r} (known: {known})") from None
