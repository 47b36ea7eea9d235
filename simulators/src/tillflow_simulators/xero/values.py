"""Xero's ways of writing dates and amounts.

Xero answers dates in the .NET JSON form ``/Date(1539993600000+0000)/`` (milliseconds
since 1970, UTC) and reads ``2024-01-31``, ``2024-01-31T00:00:00`` or that same form.
Amounts are Decimal here from the request's JSON to the answer's; money is rounded half
away from zero to two places, unit amounts to four when the client asks ``unitdp=4``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

CENT = Decimal("0.01")
_MSDATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")


class BadValue(ValueError):
    """A value the client sent that Xero could not read."""


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def unit(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def decimal_of(value: Any, field: str) -> Decimal:
    """A JSON number as Decimal (the spec has already refused anything but numbers)."""
    if isinstance(value, bool):
        raise BadValue(f"{field} must be a number")
    try:
        return Decimal(str(value)) if not isinstance(value, Decimal) else value
    except InvalidOperation as exc:
        raise BadValue(f"{field} must be a number") from exc


def parse_date(value: str, field: str) -> date:
    found = _MSDATE.match(value)
    if found:
        return datetime.fromtimestamp(int(found.group(1)) / 1000, UTC).date()
    try:
        return datetime.fromisoformat(value).date()
    except ValueError as exc:
        raise BadValue(f"{field} is not a valid date: {value!r}") from exc


def msdate(value: date | datetime) -> str:
    """``/Date(ms+0000)/``: a date is midnight UTC, a datetime keeps its milliseconds."""
    moment = value if isinstance(value, datetime) else datetime.combine(value, time(), UTC)
    millis = int(moment.timestamp() * 1000)
    return f"/Date({millis}+0000)/"


def ms_stamp(moment: datetime) -> str:
    """The envelope's ``DateTimeUTC``: milliseconds without an offset."""
    return f"/Date({int(moment.timestamp() * 1000)})/"
