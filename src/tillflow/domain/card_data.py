"""Card numbers (PANs) in text: found so that they are refused or masked, never stored.

A card number is a run of 13 to 19 digits, written together or in groups separated by
spaces, dots, dashes or slashes, that passes the Luhn check **and** starts with a card
scheme's issuer prefix for that length. Every window of a longer run of digits is tried,
so digits written in front of a card number ("ref 12 4242 4242 4242 4242") do not hide it.

What is not a card number although it may pass Luhn with a scheme's prefix:

- a UUID (8-4-4-4-12 hexadecimal): an identifier, read as a whole;
- a phone number written as E.164 (``+`` then at most 15 digits): card numbers are never
  written with a leading ``+``;
- a GTIN-13 or GTIN-14 written as one group of digits with a valid GS1 check digit: a
  barcode. A 13-digit Visa or 14-digit Diners number that is also a valid GTIN passes;
  both lengths are no longer issued, and one such number in ten has a valid GS1 digit.

The scheme table is the schemes' published issuer ranges (Wikipedia's "Payment card
number" table, ISO/IEC 7812 IINs) for the lengths between 13 and 19 that each issues.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tillflow.domain.errors import InvalidInput
from tillflow.domain.gtin import is_valid_gtin

MIN_DIGITS, MAX_DIGITS = 13, 19
_PREFIX_DIGITS = 6


@dataclass(frozen=True)
class IssuerRange:
    scheme: str
    low: int
    high: int
    lengths: frozenset[int]

    @property
    def digits(self) -> int:
        return len(str(self.low))

    def covers(self, prefix6: int, length: int) -> bool:
        head = prefix6 // 10 ** (_PREFIX_DIGITS - self.digits)
        return length in self.lengths and self.low <= head <= self.high


def _lengths(first: int, last: int | None = None) -> frozenset[int]:
    return frozenset(range(first, (last or first) + 1))


ISSUER_RANGES: tuple[IssuerRange, ...] = (
    IssuerRange("Visa", 4, 4, frozenset({13, 16, 19})),
    IssuerRange("Mastercard", 51, 55, _lengths(16)),
    IssuerRange("Mastercard", 2221, 2720, _lengths(16)),
    IssuerRange("American Express", 34, 34, _lengths(15)),
    IssuerRange("American Express", 37, 37, _lengths(15)),
    IssuerRange("Discover", 6011, 6011, _lengths(16, 19)),
    IssuerRange("Discover", 644, 649, _lengths(16, 19)),
    IssuerRange("Discover", 65, 65, _lengths(16, 19)),
    IssuerRange("Discover", 622126, 622925, _lengths(16, 19)),
    IssuerRange("JCB", 3528, 3589, _lengths(16, 19)),
    IssuerRange("Diners Club", 36, 36, _lengths(14, 19)),
    IssuerRange("Diners Club", 300, 305, _lengths(16, 19)),
    IssuerRange("Diners Club", 3095, 3095, _lengths(16, 19)),
    IssuerRange("Diners Club", 38, 39, _lengths(16, 19)),
    IssuerRange("UnionPay", 62, 62, _lengths(16, 19)),
    IssuerRange("UnionPay", 81, 81, _lengths(16, 19)),
    IssuerRange("Maestro", 5018, 5018, _lengths(13, 19)),
    IssuerRange("Maestro", 5020, 5020, _lengths(13, 19)),
    IssuerRange("Maestro", 5038, 5038, _lengths(13, 19)),
    IssuerRange("Maestro", 5893, 5893, _lengths(13, 19)),
    IssuerRange("Maestro", 6304, 6304, _lengths(13, 19)),
    IssuerRange("Maestro", 6759, 6759, _lengths(13, 19)),
    IssuerRange("Maestro", 6761, 6763, _lengths(13, 19)),
)

# Digits in groups: a separator is one dot, dash or slash with up to two spaces around
# it, or one or two spaces (tabs and no-break spaces count as spaces; a line break ends
# the run). \d also matches other scripts' digits, which int() reads as well.
_SPACE = r"[ \t\u00a0\u202f]"
_RUN = re.compile(rf"\d+(?:(?:{_SPACE}{{0,2}}[./\-]{_SPACE}{{0,2}}|{_SPACE}{{1,2}})\d+)*")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_MAX_PHONE_DIGITS = 15
_LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


class CardDataRefused(InvalidInput):
    """Text holding a card number: tillflow never stores one (422 ``card_data_refused``)."""

    code = "card_data_refused"


@dataclass(frozen=True)
class CardNumber:
    """Where a card number lies in a text: ``start``/``end`` index its first and last digit."""

    scheme: str
    start: int
    end: int


def find_card_number(text: str) -> CardNumber | None:
    """The first card number in ``text``, or None."""
    return next(_card_numbers(text), None)


def contains_card_number(text: str) -> bool:
    return find_card_number(text) is not None


def refuse_card_data(text: str | None, *, field: str) -> None:
    """Raise ``CardDataRefused`` (naming the field, never the number) if ``text`` holds one."""
    if text and contains_card_number(text):
        raise CardDataRefused(card_data_message(field), details={"field": field})


def card_data_message(field: str) -> str:
    return (f"{field} holds a card number; tillflow never stores card data "
            "(take cards through a terminal or a gateway token)")


def mask_card_numbers(text: str) -> str:
    """``text`` with every digit of each card number but the last four replaced by ``*``."""
    masked = text
    while (found := find_card_number(masked)) is not None:
        digits = [i for i in range(found.start, found.end + 1) if masked[i].isdecimal()]
        hidden = set(digits[:-4])
        masked = "".join("*" if i in hidden else c for i, c in enumerate(masked))
    return masked


def _card_numbers(text: str) -> Iterator[CardNumber]:
    # A UUID is read as a whole: its digit groups are never part of a card number.
    scanned = _UUID.sub(lambda m: "#" * len(m.group()), text)
    for run in _RUN.finditer(scanned):
        positions = [run.start() + i for i, c in enumerate(run.group()) if c.isdecimal()]
        if len(positions) < MIN_DIGITS or _is_phone(scanned, run.start(), len(positions)):
            continue
        digits = [int(scanned[p]) for p in positions]
        for start, end, scheme in _windows(digits):
            if not _is_barcode(scanned, positions[start], positions[end - 1]):
                yield CardNumber(scheme, positions[start], positions[end - 1])


def _is_phone(text: str, start: int, digit_count: int) -> bool:
    return start > 0 and text[start - 1] == "+" and digit_count <= _MAX_PHONE_DIGITS


def _is_barcode(text: str, first: int, last: int) -> bool:
    """A GTIN-13/14 written as one group of digits, with nothing else joined to it."""
    code = text[first:last + 1]
    whole = ((first == 0 or not text[first - 1].isdecimal())
             and (last + 1 == len(text) or not text[last + 1].isdecimal()))
    return whole and len(code) in (13, 14) and code.isascii() and code.isdigit() and (
        is_valid_gtin(code))


def _windows(digits: list[int]) -> Iterator[tuple[int, int, str]]:
    """Each (start, end, scheme) window of 13-19 digits that is a card number.

    Luhn sums come from two prefix sums (one per doubling parity), so a run of n digits
    costs O(n), not O(n × length): a long run cannot make the check slow.
    """
    sums = (_luhn_prefix_sums(digits, 0), _luhn_prefix_sums(digits, 1))
    count = len(digits)
    for start in range(count - MIN_DIGITS + 1):
        prefix6 = int("".join(map(str, digits[start:start + _PREFIX_DIGITS])))
        for length in range(MIN_DIGITS, min(MAX_DIGITS, count - start) + 1):
            end = start + length
            chosen = sums[(end - 1) % 2]
            if (chosen[end] - chosen[start]) % 10:
                continue
            scheme = _scheme(prefix6, length)
            if scheme is not None:
                yield start, end, scheme


def _luhn_prefix_sums(digits: list[int], parity: int) -> list[int]:
    """Running Luhn sums where the digits at positions of the other parity are doubled:
    a window ending at position e doubles the digits whose parity differs from e's."""
    sums = [0]
    for position, digit in enumerate(digits):
        value = _LUHN_DOUBLED[digit] if position % 2 != parity else digit
        sums.append(sums[-1] + value)
    return sums


def _scheme(prefix6: int, length: int) -> str | None:
    return next((r.scheme for r in ISSUER_RANGES if r.covers(prefix6, length)), None)
