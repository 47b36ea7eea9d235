"""The store's settings that every sale depends on, fixed when the store is created."""

from __future__ import annotations

from dataclasses import dataclass

from tillflow.domain.money import Currency


@dataclass(frozen=True)
class StoreConfig:
    currency: Currency
    tax_inclusive: bool = False
    phone_region: str = "US"
