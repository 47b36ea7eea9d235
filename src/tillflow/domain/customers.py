"""Customers: one record per normalised email; found by email or phone."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tillflow.domain.card_data import mask_card_numbers
from tillflow.domain.errors import InvalidInput

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


@dataclass
class Customer:
    id: str
    name: str | None
    email: str | None
    phone: str | None


def normalise_email(email: str) -> str:
    """Trimmed, lower case; a card number in it masked (see ``validate_name``). The
    refusal does not repeat the address: it may hold what must not be echoed or logged."""
    cleaned = email.strip().lower()
    if len(cleaned) > 254 or not _EMAIL.match(cleaned):
        raise InvalidInput("that is not an email address", details={"field": "email"})
    return mask_card_numbers(cleaned)
