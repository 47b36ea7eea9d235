"""Money at an ERP's wire: amounts in the currency's own minor digits, rates as decimals.

Odoo's API carries amounts as JSON numbers and Tryton's as decimals; either way an amount
is exact at its currency's minor unit (JPY 0 digits, USD 2, KWD 3), never rounded to two
places by habit. A JSON number is the shortest float that reads back as the decimal, so
``12.3`` is sent for ``12.30`` and nothing is lost; an amount with more digits than its
currency has is refused before anything is sent. Tax rates are compared as decimals at
the precision the ERP keeps them, never as floats for equality.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tillflow.ports.accounting import ErpRejected

# Odoo keeps a tax's percentage with 4 decimals (``account.tax.amount``).
PERCENT_PLACES = 4


def minor_unit(digits: int) -> Decimal:
    return Decimal(1).scaleb(-digits)


def wire_amount(amount: Decimal, digits: int) -> float | int:
    """``amount`` as a JSON number: an integer for a currency without minor units."""
    exact = amount.quantize(minor_unit(digits))
    if exact != amount:
        raise ErpRejected(f"{amount} has more than {digits} decimal places for the ERP's "
                          f"currency")
    if digits == 0:
        return int(exact)
    number = float(exact)
    if Decimal(repr(number)) != exact:  # beyond a float's 15 significant digits
        raise ErpRejected(f"{amount} cannot travel exactly as a JSON number")
    return number


def wire_decimal(value: Decimal, places: int) -> float:
    """A non-money decimal (a unit price at the ERP's price precision, a quantity)."""
    exact = value.quantize(minor_unit(places), rounding=ROUND_HALF_UP)
    return float(exact)


def read_amount(value: Any, digits: int) -> Decimal:
    """An amount the ERP sent (a JSON number or a decimal string), at the currency's unit."""
    return Decimal(str(value or 0)).quantize(minor_unit(digits), rounding=ROUND_HALF_UP)


def same_rate(percent: Any, rate: Decimal) -> bool:
    """Whether an ERP tax of ``percent`` % is the till's ``rate`` (0.08 for 8 %)."""
    unit = minor_unit(PERCENT_PLACES)
    return (Decimal(str(percent)).quantize(unit, rounding=ROUND_HALF_UP)
            == (rate * 100).quantize(unit, rounding=ROUND_HALF_UP))
