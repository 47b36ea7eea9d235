"""Restricted circulation numbers: EAN-13 with a weight or price printed in the code.

Prefixes 02 and 20-29 are left to each country's GS1 organisation, so the layout is data
(``RcnRule``) that a store configures. The product is stored under the code whose value
digits (and price check digit) are zero, with the final check digit recomputed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from tillflow.domain.barcodes.errors import BarcodeError
from tillflow.domain.gtin import with_check_digit

Measure = Literal["weight", "price"]

# GS1 General Specifications 7.9.2: the weighting tables of the price/weight check digit.
_TWO_MINUS = (0, 2, 4, 6, 8, 9, 1, 3, 5, 7)
_THREE = (0, 3, 6, 9, 2, 5, 8, 1, 4, 7)
_FIVE_PLUS = (0, 5, 1, 6, 2, 7, 3, 8, 4, 9)
_FIVE_MINUS = (0, 5, 9, 4, 8, 3, 7, 2, 6, 1)
_FOUR_DIGIT_WEIGHTS = (_TWO_MINUS, _TWO_MINUS, _THREE, _FIVE_MINUS)
_FIVE_DIGIT_WEIGHTS = (_FIVE_PLUS, _TWO_MINUS, _FIVE_MINUS, _FIVE_PLUS, _TWO_MINUS)

EAN13_PAYLOAD = 12


def price_check_digit(value: str) -> int:
    """The check digit GS1 defines over a 4- or 5-digit price or weight field."""
    if not value.isascii() or not value.isdigit() or len(value) not in (4, 5):
        raise BarcodeError(f"price field {value!r} must have 4 or 5 digits")
    digits = [int(d) for d in value]
    if len(digits) == 4:
        total = sum(table[d] for table, d in zip(_FOUR_DIGIT_WEIGHTS, digits, strict=True))
        return (total * 3) % 10
    total = sum(table[d] for table, d in zip(_FIVE_DIGIT_WEIGHTS, digits, strict=True))
    return _FIVE_MINUS.index((10 - total % 10) % 10)


@dataclass(frozen=True, kw_only=True)
class RcnRule:
    """One prefix's layout: ``prefix`` + item digits + [price check] + value + check digit."""

    prefix: str
    measure: Measure
    value_digits: int = 5
    decimals: int = 3
    price_check: bool = False

    def __post_init__(self) -> None:
        if not self.prefix.isdigit() or not self.prefix.startswith(("02", "2")):
            raise ValueError(f"RCN prefix {self.prefix!r} must be 02 or 20-29")
        if self.price_check and self.value_digits not in (4, 5):
            raise ValueError("a price check digit needs a 4- or 5-digit value")
        if self.item_digits < 1:
            raise ValueError(f"RCN rule for prefix {self.prefix} leaves no item digits")

    @property
    def item_digits(self) -> int:
        return EAN13_PAYLOAD - len(self.prefix) - self.value_digits - int(self.price_check)

    def build(self, *, item: str, value: str) -> str:
        """The EAN-13 for ``item`` carrying ``value`` (digits, no decimal point)."""
        if len(item) != self.item_digits or len(value) != self.value_digits:
            raise BarcodeError(
                f"prefix {self.prefix} takes {self.item_digits} item and "
                f"{self.value_digits} value digits"
            )
        check = str(price_check_digit(value)) if self.price_check else ""
        return with_check_digit(self.prefix + item + check + value)


DEFAULT_RCN_RULES: tuple[RcnRule, ...] = (
    RcnRule(prefix="21", measure="weight", value_digits=5, decimals=3),
    RcnRule(prefix="23", measure="price", value_digits=5, decimals=2),
)


@dataclass(frozen=True, kw_only=True)
class RcnReading:
    """What a restricted circulation EAN-13 says: the product key and the embedded value."""

    lookup_ean13: str
    measure: Measure
    value: Decimal


def match_rule(ean13: str, rules: Sequence[RcnRule]) -> RcnRule | None:
    """The longest-prefix rule for a (valid) EAN-13, if any applies."""
    fitting = [rule for rule in rules if ean13.startswith(rule.prefix)]
    return max(fitting, key=lambda rule: len(rule.prefix), default=None)


def read_rcn(ean13: str, rule: RcnRule) -> RcnReading:
    """Split a valid EAN-13 along ``rule``, checking the price check digit if it has one."""
    value = ean13[EAN13_PAYLOAD - rule.value_digits : EAN13_PAYLOAD]
    if rule.price_check:
        printed = ean13[EAN13_PAYLOAD - rule.value_digits - 1]
        expected = price_check_digit(value)
        if int(printed) != expected:
            raise BarcodeError(
                f"barcode {ean13!r} has a wrong price check digit (expected {expected})"
            )
    item = ean13[len(rule.prefix) : len(rule.prefix) + rule.item_digits]
    zero = "0" * rule.value_digits
    return RcnReading(
        lookup_ean13=rule.build(item=item, value=zero),
        measure=rule.measure,
        value=Decimal(value).scaleb(-rule.decimals),
    )
