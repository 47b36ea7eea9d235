"""Money: Decimal amounts quantised to the store currency's minor unit.

Rounding rule (written down once, used everywhere): every rounding to the minor unit
is ROUND_HALF_UP, applied per line (line amount, line tax), never on the document
total. Totals are sums of already rounded line figures, so a receipt always adds up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from tillflow.domain.errors import InvalidInput

ROUNDING = ROUND_HALF_UP

# ISO 4217 minor-unit exponents that differ from 2; every other code uses 2.
_EXPONENT_EXCEPTIONS: dict[str, int] = {
    "BHD": 3, "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "IQD": 3, "ISK": 0, "JOD": 3,
    "JPY": 0, "KMF": 0, "KRW": 0, "KWD": 3, "LYD": 3, "OMR": 3, "PYG": 0, "RWF": 0,
    "TND": 3, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
}
_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
_AMOUNT = re.compile(r"^-?\d{1,15}(\.\d+)?$")


@dataclass(frozen=True)
class Currency:
    code: str
    exponent: int

    @classmethod
    def of(cls, code: str) -> Currency:
        normalised = code.strip().upper()
        if not _CURRENCY_CODE.match(normalised):
            raise InvalidInput(f"{code!r} is not an ISO 4217 currency code")
        return cls(normalised, _EXPONENT_EXCEPTIONS.get(normalised, 2))

    @property
    def quantum(self) -> Decimal:
        return Decimal(1).scaleb(-self.exponent)

    def round(self, value: Decimal) -> Decimal:
        try:
            return value.quantize(self.quantum, rounding=ROUNDING)
        except InvalidOperation:  # more digits than Decimal's context holds
            raise InvalidInput(f"an amount of {value:.3e} is too large to record") from None

    def parse(self, raw: object, *, field: str = "amount") -> Decimal:
        """Parse an API amount: a decimal string (or integer) with at most the minor digits."""
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            raise InvalidInput(
                f"{field} must be a decimal string such as \"12.30\"", details={"field": field}
            )
        text = str(raw).strip()
        if not _AMOUNT.match(text):
            raise InvalidInput(f"{field} {text!r} is not an amount", details={"field": field})
        value = Decimal(text)
        if -value.as_tuple().exponent > self.exponent:  # type: ignore[operator]
            raise InvalidInput(
                f"{field} {text!r} has more than {self.exponent} decimal places for {self.code}",
                details={"field": field},
            )
        return self.round(value)

    def format(self, value: Decimal) -> str:
        return str(self.round(value))

    def to_minor(self, value: Decimal) -> int:
        return int(self.round(value).scaleb(self.exponent))

    def from_minor(self, minor: int) -> Decimal:
        return Decimal(minor).scaleb(-self.exponent).quantize(self.quantum)


def allocate(total: Decimal, weights: Sequence[Decimal], currency: Currency) -> list[Decimal]:
    """Split ``total`` across ``weights`` in proportion, exactly, to the minor unit.

    Largest-remainder method: each share is rounded down, then the leftover minor units
    go to the largest remainders (earliest first on ties), so the parts always sum to
    ``total``.
    """
    if not weights:
        return []
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        weights = [Decimal(1)] * len(weights)
        weight_sum = Decimal(len(weights))
    total_minor = currency.to_minor(total)
    sign = -1 if total_minor < 0 else 1
    exact = [abs(total_minor) * w / weight_sum for w in weights]
    floors = [int(x) for x in exact]
    leftover = abs(total_minor) - sum(floors)
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in by_remainder[:leftover]:
        floors[i] += 1
    return [currency.from_minor(sign * minor) for minor in floors]


def parse_decimal(raw: object, *, field: str, places: int) -> Decimal:
    """Parse a non-money decimal (tax rate, weighed quantity) given as string or integer."""
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise InvalidInput(f"{field} must be a decimal string", details={"field": field})
    text = str(raw).strip()
    if not _AMOUNT.match(text):
        raise InvalidInput(f"{field} {raw!r} is not a number", details={"field": field})
    value = Decimal(text)
    if -value.as_tuple().exponent > places:  # type: ignore[operator]
        raise InvalidInput(
            f"{field} {raw!r} has more than {places} decimal places", details={"field": field}
        )
    return value


def plain(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (5.500 → 5.5, 5.000 → 5)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
