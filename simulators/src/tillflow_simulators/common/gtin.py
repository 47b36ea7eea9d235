"""GS1 check digits for the barcodes the simulated shops make up and check."""

from __future__ import annotations


def check_digit(payload: str) -> int:
    """GS1 mod-10: weights 3 and 1 from the right, over the digits before the check digit."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload)))
    return (10 - total % 10) % 10


def with_check_digit(payload: str) -> str:
    return payload + str(check_digit(payload))


def is_valid_gtin(code: str) -> bool:
    return (code.isascii() and code.isdigit() and len(code) in (8, 12, 13, 14)
            and check_digit(code[:-1]) == int(code[-1]))
