"""Barcode and QR code settings and data, as the ESC/POS reference defines them
(``GS h``, ``GS w``, ``GS H``, ``GS k`` and ``GS ( k`` with cn 49)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tillflow_simulators.escpos.model import HriPosition, QrLevel

# GS k m: function A (m 0-6, NUL-terminated data) and function B (m 65-79, counted data).
FUNCTION_A = {0: "UPC-A", 1: "UPC-E", 2: "EAN13", 3: "EAN8", 4: "CODE39", 5: "ITF", 6: "CODABAR"}
FUNCTION_B = {65 + m: name for m, name in FUNCTION_A.items()} | {
    72: "CODE93",
    73: "CODE128",
    74: "GS1-128",
    75: "GS1 DATABAR OMNIDIRECTIONAL",
    76: "GS1 DATABAR TRUNCATED",
    77: "GS1 DATABAR LIMITED",
    78: "GS1 DATABAR EXPANDED",
    79: "CODE128",
}
HRI_POSITIONS: dict[int, HriPosition] = {0: "none", 1: "above", 2: "below", 3: "both"}
QR_LEVELS: dict[int, QrLevel] = {48: "L", 49: "M", 50: "Q", 51: "H"}
QR = 0x31
QR_SIZE, QR_LEVEL, QR_STORE, QR_PRINT = 0x43, 0x45, 0x50, 0x51


@dataclass
class BarcodeSettings:
    """Power-on values: 162 dots high, modules 3 dots wide, no human-readable text."""

    height: int = 162
    module_width: int = 3
    hri: HriPosition = "none"


@dataclass
class QrSettings:
    module_size: int = 3
    level: QrLevel = "L"
    data: bytes = field(default=b"", repr=False)


def barcode_text(symbology: str, data: bytes) -> str:
    """What the symbol encodes; Code 128 data carries ``{``-prefixed set switches."""
    if symbology == "CODE128" and data[:1] == b"{":
        return _code128(data)
    return data.decode("latin-1")


def _code128(data: bytes) -> str:
    """``{A``/``{B``/``{C`` pick a code set (in C each byte is two digits), ``{{`` is a
    brace, ``{S`` and ``{1``-``{4`` are a shift and function characters, which a scanner
    does not return as text."""
    text: list[str] = []
    code_set, index = "B", 0
    while index < len(data):
        byte = data[index]
        if byte == ord("{") and index + 1 < len(data):
            marker = chr(data[index + 1])
            index += 2
            if marker in "ABC":
                code_set = marker
            elif marker == "{":
                text.append("{")
            continue
        text.append(f"{byte:02d}" if code_set == "C" else chr(byte))
        index += 1
    return "".join(text)
