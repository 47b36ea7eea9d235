"""EAN-8, EAN-13, UPC-A and UPC-E: validation and normalisation to GTIN-14.

UPC-E is a zero-suppressed UPC-A: it is expanded before lookup so that both symbols of
one article find the same product.
"""

from __future__ import annotations

from tillflow.domain.barcodes.errors import BarcodeError
from tillflow.domain.gtin import InvalidGtin, to_gtin14, with_check_digit

UPC_E_LENGTH = 8


def gtin14(code: str) -> str:
    """Validate an EAN-8, UPC-A, EAN-13 or GTIN-14 and return its 14-digit form."""
    try:
        return to_gtin14(code)
    except InvalidGtin as exc:
        raise BarcodeError(str(exc)) from exc


def upce_to_upca(code: str) -> str:
    """Expand an 8-digit UPC-E (number system, six digits, check digit) to its UPC-A."""
    if len(code) != UPC_E_LENGTH or not code.isascii() or not code.isdigit():
        raise BarcodeError(f"UPC-E {code!r} must have 8 digits")
    system, body, check = code[0], code[1:7], code[7]
    if system not in "01":
        raise BarcodeError(f"UPC-E {code!r} must start with number system 0 or 1")
    upca = with_check_digit(system + _expand_body(body))
    if upca[-1] != check:
        raise BarcodeError(f"UPC-E {code!r} has a wrong check digit (expected {upca[-1]})")
    return upca


def upca_to_upce(code: str) -> str | None:
    """The UPC-E form of a UPC-A, or None where the UPC-A has too few zeros to suppress."""
    upca = gtin14(code)[2:]
    if len(code) != 12 or upca[0] not in "01":
        return None
    for body in _candidate_bodies(upca[1:11]):
        if _expand_body(body) == upca[1:11]:
            return upca[0] + body + upca[11]
    return None


def _expand_body(body: str) -> str:
    """The 10 manufacturer and item digits hidden in the six UPC-E digits."""
    last = body[5]
    if last in "012":
        return body[0:2] + last + "0000" + body[2:5]
    if last == "3":
        return body[0:3] + "00000" + body[3:5]
    if last == "4":
        return body[0:4] + "00000" + body[4]
    return body[0:5] + "0000" + last


def _candidate_bodies(digits: str) -> tuple[str, ...]:
    """Every six-digit UPC-E body that could expand to ``digits`` (checked by the caller)."""
    return (
        digits[0:2] + digits[7:10] + digits[2],
        digits[0:3] + digits[8:10] + "3",
        digits[0:4] + digits[9] + "4",
        digits[0:5] + digits[9],
    )
