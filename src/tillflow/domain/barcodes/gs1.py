"""GS1 element strings (GS1-128, GS1 DataMatrix, GS1 QR): application identifiers.

FNC1 reaches us as the GS character (0x1D). It ends a variable-length field; after a
field from the predefined fixed-length table none is needed, though scanners may send one.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Literal

from tillflow.domain.barcodes.errors import BarcodeError
from tillflow.domain.gtin import InvalidGtin, validate_gtin

GS = "\x1d"
Charset = Literal["n", "x"]

# GS1 General Specifications 7.8.5: AIs whose length the first two digits predefine.
_PREDEFINED_LENGTH_PREFIXES = frozenset(
    {"00", "01", "02", "03", "04", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20"}
    | {"31", "32", "33", "34", "35", "36", "41"}
)
# GS1 AI encodable character set 82.
_CSET82 = re.compile(r"[!-\"%-?A-Z_a-z]*")
_HRI_ELEMENT = re.compile(r"\((\d{2,4})\)([^()]*)")


@dataclass(frozen=True)
class AiSpec:
    """The format of one application identifier's data field."""

    title: str
    charset: Charset
    length: int
    fixed: bool = False
    decimals: int | None = None


def _fixed(title: str, length: int, *, decimals: int | None = None) -> AiSpec:
    return AiSpec(title=title, charset="n", length=length, fixed=True, decimals=decimals)


def _digits(title: str, length: int, *, decimals: int | None = None) -> AiSpec:
    return AiSpec(title=title, charset="n", length=length, decimals=decimals)


def _text(title: str, length: int) -> AiSpec:
    return AiSpec(title=title, charset="x", length=length)


def _measure_family(stem: str, title: str) -> dict[str, AiSpec]:
    """AIs like 310n: n (0-5) is the number of decimals of a fixed six-digit value."""
    return {f"{stem}{n}": _fixed(title, 6, decimals=n) for n in range(6)}


_TABLE: dict[str, AiSpec] = {
    "00": _fixed("SSCC", 18),
    "01": _fixed("GTIN", 14),
    "02": _fixed("CONTENT", 14),
    "10": _text("BATCH/LOT", 20),
    "11": _fixed("PROD DATE", 6),
    "12": _fixed("DUE DATE", 6),
    "13": _fixed("PACK DATE", 6),
    "15": _fixed("BEST BEFORE", 6),
    "16": _fixed("SELL BY", 6),
    "17": _fixed("USE BY", 6),
    "20": _fixed("VARIANT", 2),
    "21": _text("SERIAL", 20),
    "22": _text("CPV", 20),
    "30": _digits("VAR. COUNT", 8),
    "37": _digits("COUNT", 8),
    **_measure_family("310", "NET WEIGHT (kg)"),
    **_measure_family("320", "NET WEIGHT (lb)"),
    **{f"392{n}": _digits("PRICE", 15, decimals=n) for n in range(10)},
    **{f"393{n}": _digits("PRICE (ISO)", 18, decimals=n) for n in range(10)},
    "400": _text("ORDER NUMBER", 30),
    "410": AiSpec(title="SHIP TO LOC", charset="n", length=13, fixed=True),
    "414": AiSpec(title="LOC No.", charset="n", length=13, fixed=True),
    "8200": _text("PRODUCT URL", 70),
}
AI_TABLE = MappingProxyType(_TABLE)
DATE_AIS = frozenset({"11", "12", "13", "15", "16", "17"})


def parse_element_string(data: str) -> dict[str, str]:
    """Split an element string (GS as FNC1, a leading FNC1 allowed) into AI -> data."""
    text = data.removeprefix(GS)
    if not text:
        raise BarcodeError("GS1 element string is empty")
    elements: dict[str, str] = {}
    position = 0
    while position < len(text):
        ai = _identify(text, position)
        value, position = _read_field(text, position + len(ai), ai)
        _add(elements, ai, value)
    return elements


def parse_hri(data: str) -> dict[str, str]:
    """Parse the printed form ``(01)09501101530003(17)250101``."""
    matches = list(_HRI_ELEMENT.finditer(data))
    if not matches or "".join(m.group(0) for m in matches) != data:
        raise BarcodeError(f"{data!r} is not a GS1 human-readable element string")
    elements: dict[str, str] = {}
    for match in matches:
        ai, value = match.group(1), match.group(2)
        if ai not in AI_TABLE:
            raise BarcodeError(f"unknown GS1 application identifier ({ai})")
        _add(elements, ai, _checked(ai, value))
    return elements


def _add(elements: dict[str, str], ai: str, value: str) -> None:
    if ai in elements:
        raise BarcodeError(f"GS1 application identifier ({ai}) appears twice")
    elements[ai] = value


def _identify(text: str, position: int) -> str:
    for size in (2, 3, 4):
        candidate = text[position : position + size]
        if candidate in AI_TABLE:
            return candidate
    shown = text[position : position + 4].replace(GS, "<GS>")
    raise BarcodeError(f"unknown GS1 application identifier at {shown!r}")


def _read_field(text: str, start: int, ai: str) -> tuple[str, int]:
    spec = AI_TABLE[ai]
    if spec.fixed:
        end = start + spec.length
        if end > len(text) or GS in text[start:end]:
            raise BarcodeError(f"GS1 ({ai}) needs {spec.length} characters")
        after = end + 1 if text.startswith(GS, end) else end
        if ai[:2] not in _PREDEFINED_LENGTH_PREFIXES and after == end and end < len(text):
            raise BarcodeError(f"GS1 ({ai}) must be followed by FNC1")
        return _checked(ai, text[start:end]), after
    end = text.find(GS, start)
    end = len(text) if end == -1 else end
    return _checked(ai, text[start:end]), end + 1


def _checked(ai: str, value: str) -> str:
    spec = AI_TABLE[ai]
    if spec.fixed and len(value) != spec.length:
        raise BarcodeError(f"GS1 ({ai}) needs {spec.length} characters, got {len(value)}")
    if not spec.fixed and not 1 <= len(value) <= spec.length:
        raise BarcodeError(f"GS1 ({ai}) takes 1 to {spec.length} characters, got {len(value)}")
    if spec.charset == "n" and not (value.isascii() and value.isdigit()):
        raise BarcodeError(f"GS1 ({ai}) must be numeric, got {value!r}")
    if spec.charset == "x" and not _CSET82.fullmatch(value):
        raise BarcodeError(f"GS1 ({ai}) has characters outside the GS1 set: {value!r}")
    if ai in ("01", "02"):
        _check_gtin(ai, value)
    if ai in DATE_AIS:
        gs1_date(value)
    return value


def _check_gtin(ai: str, value: str) -> None:
    try:
        validate_gtin(value)
    except InvalidGtin as exc:
        raise BarcodeError(f"GS1 ({ai}): {exc}") from exc


def gs1_date(value: str) -> date:
    """A YYMMDD field (years 1950-2049); day 00 means the last day of the month."""
    year, month, day = int(value[0:2]), int(value[2:4]), int(value[4:6])
    if not 1 <= month <= 12:
        raise BarcodeError(f"GS1 date {value!r} has no month {month}")
    century = 2000 if year < 50 else 1900
    full_year = century + year
    last = calendar.monthrange(full_year, month)[1]
    if day > last:
        raise BarcodeError(f"GS1 date {value!r} has no day {day}")
    return date(full_year, month, day or last)


def decimal_value(ai: str, value: str) -> Decimal:
    """The value of a measure or price AI, its decimals taken from the AI's last digit."""
    decimals = AI_TABLE[ai].decimals or 0
    digits = value[3:] if ai.startswith("393") else value
    return Decimal(digits).scaleb(-decimals)
