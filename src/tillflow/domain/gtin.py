"""GTIN check digits and normalisation (EAN-8, UPC-A, EAN-13, GTIN-14).

Every GTIN family shares one check-digit rule (GS1 mod-10, weights 3 and 1 from the
right), so a code is validated once and stored as its GTIN-14 form: a UPC-A and the
EAN-13 with a leading zero are the same article and must find the same product.
"""

from __future__ import annotations

GTIN_LENGTHS = frozenset({8, 12, 13, 14})


class InvalidGtin(ValueError):
    """A code that is not a well-formed GTIN (length, characters or check digit)."""


def gs1_check_digit(payload: str) -> int:
    """The GS1 mod-10 check digit for ``payload`` (all digits but the check digit)."""
    if not payload.isascii() or not payload.isdigit():
        raise InvalidGtin(f"{payload!r} is not made of digits")
    total = sum(
        int(digit) * (3 if position % 2 == 0 else 1)
        for position, digit in enumerate(reversed(payload))
    )
    return (10 - total % 10) % 10


def is_valid_gtin(code: str) -> bool:
    try:
        validate_gtin(code)
    except InvalidGtin:
        return False
    return True


def validate_gtin(code: str) -> str:
    """Return ``code`` unchanged if it is a valid GTIN-8/12/13/14, else raise."""
    if not code.isascii() or not code.isdigit():
        raise InvalidGtin(f"barcode {code!r} must contain digits only")
    if len(code) not in GTIN_LENGTHS:
        raise InvalidGtin(f"barcode {code!r} must have 8, 12, 13 or 14 digits")
    expected = gs1_check_digit(code[:-1])
    if int(code[-1]) != expected:
        raise InvalidGtin(f"barcode {code!r} has a wrong check digit (expected {expected})")
    return code


def to_gtin14(code: str) -> str:
    """Validate ``code`` and left-pad it to the 14-digit form used for lookups."""
    return validate_gtin(code).zfill(14)


def with_check_digit(payload: str) -> str:
    """Append the GS1 check digit to ``payload``."""
    return payload + str(gs1_check_digit(payload))
