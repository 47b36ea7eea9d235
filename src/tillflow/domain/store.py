"""The store's settings that every sale depends on, fixed when the store is created, and
its time zone, which may change."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tillflow.domain.errors import InvalidInput
from tillflow.domain.money import Currency


@dataclass(frozen=True)
class StoreConfig:
    currency: Currency
    tax_inclusive: bool = False
    phone_region: str = "US"


DEFAULT_TIMEZONE = "UTC"


def time_zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (``Europe/Paris``), whose days the reports count."""
    try:
        return ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):
        raise InvalidInput(f"{name!r} is not an IANA time zone name (e.g. Europe/Paris)",
                           details={"field": "timezone"}) from None
