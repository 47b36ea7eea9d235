"""One entry point for whatever a scanner sends: ``parse_scan(code, rules)``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Literal

from tillflow.domain.barcodes import gs1
from tillflow.domain.barcodes.ean_upc import gtin14, upce_to_upca
from tillflow.domain.barcodes.errors import BarcodeError
from tillflow.domain.barcodes.rcn import DEFAULT_RCN_RULES, RcnRule, match_rule, read_rcn

Symbology = Literal["ean8", "ean13", "upca", "upce", "gtin14", "gs1"]

# ISO/IEC 15424 symbology identifiers a scanner may put in front of the data.
_GS1_IDENTIFIERS = frozenset({"]C1", "]d2", "]Q3", "]e0", "]J1"})
_EAN_IDENTIFIERS = frozenset({"]E0", "]E4", "]X0"})
_PLAIN_IDENTIFIERS = frozenset({"]C0", "]d1", "]Q1", "]A0"})
_LENGTH_SYMBOLOGY: Mapping[int, Symbology] = {8: "ean8", 12: "upca", 13: "ean13", 14: "gtin14"}


@dataclass(frozen=True, kw_only=True)
class ScanResult:
    """A parsed scan: the key to look the product up by, and what the code embeds.

    ``quantity`` is a weight in kilograms where the code carries one. ``amount`` is the
    price printed in the code (the line's total); ``unit_price`` is that price when the
    code carries no quantity, so the line is one unit at that price.
    """

    symbology: Symbology
    gtin14: str
    lookup_gtin14: str
    quantity: Decimal | None = None
    amount: Decimal | None = None
    batch: str | None = None
    serial: str | None = None
    expiry: date | None = None
    elements: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def unit_price(self) -> Decimal | None:
        return self.amount if self.quantity is None else None


def parse_scan(code: str, rules: Sequence[RcnRule] = DEFAULT_RCN_RULES) -> ScanResult:
    """Parse a scanned code; raise ``BarcodeError`` if it is malformed or fails a check."""
    identifier, data = _split_identifier(code.strip("\r\n"))
    if not data:
        raise BarcodeError("barcode is empty")
    if identifier in _GS1_IDENTIFIERS:
        return _from_elements(gs1.parse_element_string(data), rules)
    if identifier in _EAN_IDENTIFIERS or identifier in _PLAIN_IDENTIFIERS:
        return _from_plain(data, rules, upce=identifier == "]E0")
    return _guess(data, rules)


def _split_identifier(code: str) -> tuple[str | None, str]:
    if not code.startswith("]"):
        return None, code
    identifier = code[:3]
    known = _GS1_IDENTIFIERS | _EAN_IDENTIFIERS | _PLAIN_IDENTIFIERS
    if identifier not in known:
        raise BarcodeError(f"unsupported symbology identifier {identifier!r}")
    return identifier, code[3:]


def _guess(data: str, rules: Sequence[RcnRule]) -> ScanResult:
    if data.startswith("("):
        return _from_elements(gs1.parse_hri(data), rules)
    if data.isascii() and data.isdigit() and len(data) in _LENGTH_SYMBOLOGY:
        return _from_plain(data, rules, upce=False)
    if data.startswith(gs1.GS) or (data[:2].isdigit() and len(data) > 14):
        return _from_elements(gs1.parse_element_string(data), rules)
    raise BarcodeError(f"{data!r} is not an EAN/UPC code or a GS1 element string")


def _from_plain(data: str, rules: Sequence[RcnRule], *, upce: bool) -> ScanResult:
    if upce and len(data) == 8:
        return _with_rcn(gtin14(upce_to_upca(data)), "upce", rules)
    if not (data.isascii() and data.isdigit()) or len(data) not in _LENGTH_SYMBOLOGY:
        raise BarcodeError(f"barcode {data!r} must be an EAN-8, UPC-A, EAN-13 or GTIN-14")
    return _with_rcn(gtin14(data), _LENGTH_SYMBOLOGY[len(data)], rules)


def _with_rcn(code14: str, symbology: Symbology, rules: Sequence[RcnRule]) -> ScanResult:
    ean13 = code14[1:]
    rule = match_rule(ean13, rules) if code14.startswith("0") else None
    if rule is None:
        return ScanResult(symbology=symbology, gtin14=code14, lookup_gtin14=code14)
    reading = read_rcn(ean13, rule)
    return ScanResult(
        symbology=symbology,
        gtin14=code14,
        lookup_gtin14=reading.lookup_ean13.zfill(14),
        quantity=reading.value if reading.measure == "weight" else None,
        amount=reading.value if reading.measure == "price" else None,
    )


def _from_elements(elements: dict[str, str], rules: Sequence[RcnRule]) -> ScanResult:
    if "01" not in elements:
        raise BarcodeError("GS1 element string has no GTIN (01)")
    base = _with_rcn(elements["01"], "gs1", rules)
    weight = _first_decimal(elements, "310")
    price = _first_decimal(elements, "392")
    return ScanResult(
        symbology="gs1",
        gtin14=base.gtin14,
        lookup_gtin14=base.lookup_gtin14,
        quantity=weight if weight is not None else base.quantity,
        amount=price if price is not None else base.amount,
        batch=elements.get("10"),
        serial=elements.get("21"),
        expiry=gs1.gs1_date(elements["17"]) if "17" in elements else None,
        elements=MappingProxyType(elements),
    )


def _first_decimal(elements: Mapping[str, str], stem: str) -> Decimal | None:
    found = [ai for ai in elements if ai.startswith(stem)]
    if len(found) > 1:
        raise BarcodeError(f"GS1 element string has more than one ({stem}n)")
    return gs1.decimal_value(found[0], elements[found[0]]) if found else None
