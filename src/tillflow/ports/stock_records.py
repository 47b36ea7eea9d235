"""The back office's stock documents as the persistence hands them back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class LevelRow:
    """A product at a location: on hand, its reorder point, and units in transit to it."""

    sku: str
    name: str
    location: str
    on_hand: Decimal
    reorder_point: Decimal | None
    in_transit: Decimal


@dataclass(frozen=True)
class MovementRow:
    id: int
    location: str
    kind: str
    quantity: Decimal
    balance_after: Decimal
    reason: str | None
    reference: str | None
    actor: str | None
    occurred_at: datetime


@dataclass(frozen=True)
class DocumentLine:
    """A line of a goods receipt (with its unit cost) or of a transfer."""

    line_no: int
    product_id: int
    sku: str
    quantity: Decimal
    unit_cost: Decimal | None = None


@dataclass(frozen=True)
class GoodsReceipt:
    id: str
    number: str
    location: str
    reference: str | None
    lines: tuple[DocumentLine, ...]
    created_at: datetime
    created_by: str | None


@dataclass(frozen=True)
class CountLine:
    product_id: int
    sku: str
    name: str
    counted: Decimal
    # What the ledger held when the count was posted (None while it is open).
    on_hand: Decimal | None


@dataclass(frozen=True)
class StockCount:
    id: str
    number: str
    location: str
    location_id: int
    status: str
    note: str | None
    lines: tuple[CountLine, ...]
    opened_at: datetime
    opened_by: str | None
    closed_at: datetime | None
    closed_by: str | None


@dataclass(frozen=True)
class Transfer:
    id: str
    number: str
    from_location: str
    to_location: str
    status: str
    note: str | None
    lines: tuple[DocumentLine, ...]
    sent_at: datetime
    sent_by: str | None
    closed_at: datetime | None
    closed_by: str | None
