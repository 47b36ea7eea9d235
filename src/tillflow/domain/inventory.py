"""The stock ledger's vocabulary and its rules.

Stock is never set: every change is a movement that says why. A level's on-hand
figure is the sum of its movements; the maintained balance row is a cache of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from tillflow.domain.errors import InvalidInput


class MovementKind(StrEnum):
    SALE = "sale"
    RETURN = "return"
    RECEIPT = "receipt"
    ADJUSTMENT = "adjustment"
    COUNT = "count"
    TRANSFER = "transfer"
    CHANNEL_ORDER = "channel_order"


@dataclass(frozen=True)
class Movement:
    product_id: int
    location_id: int
    kind: MovementKind
    quantity: Decimal
    reason: str | None = None
    reference: str | None = None


def validate_adjustment(delta: Decimal, reason: str) -> None:
    if delta == 0:
        raise InvalidInput("delta must not be zero", details={"field": "delta"})
    if not reason.strip():
        raise InvalidInput("an adjustment needs a reason", details={"field": "reason"})


def validate_count(counted: Decimal) -> None:
    if counted < 0:
        raise InvalidInput("counted must not be negative", details={"field": "counted"})


def count_difference(*, counted: Decimal, on_hand: Decimal) -> Decimal:
    return counted - on_hand


def validate_transfer(from_location: str, to_location: str, quantity: Decimal) -> None:
    if from_location == to_location:
        raise InvalidInput(
            "from_location and to_location must differ", details={"field": "to_location"}
        )
    if quantity <= 0:
        raise InvalidInput("quantity must be greater than zero", details={"field": "quantity"})
