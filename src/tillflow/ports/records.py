"""What the store's persistence hands back: recorded rows as plain, immutable data.

Repositories (``tillflow.ports.persistence``) return these; services read them and never
see a table or a connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from tillflow.domain.barcodes import RcnRule
from tillflow.domain.inventory import Movement
from tillflow.domain.store import DEFAULT_TIMEZONE

CLOSED = "closed"
OPEN = "open"
DEFAULT_STORE_NAME = "tillflow store"


@dataclass(frozen=True)
class StoredEvent:
    seq: int
    type: str
    occurred_at: datetime
    data: dict[str, Any]


@dataclass(frozen=True)
class SaleScope:
    """Which sales a listing shows: made in ``[sold_from, sold_to)``, at a register, by a
    staff member, for a customer (each ``None`` for any)."""

    sold_from: datetime | None = None
    sold_to: datetime | None = None
    register_id: int | None = None
    staff_id: int | None = None
    customer_id: str | None = None


@dataclass(frozen=True)
class PricedProduct:
    """What checkout needs of a product, read in one query."""

    id: int
    sku: str
    name: str
    price: Decimal
    tax_rate: Decimal
    active: bool


@dataclass(frozen=True)
class ConnectionRecord:
    name: str
    platform: str
    settings: dict[str, Any]
    sealed_secrets: str
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Location:
    id: int
    code: str
    name: str
    kind: str
    allow_negative_stock: bool


@dataclass(frozen=True)
class Register:
    id: int
    code: str
    location_id: int
    location_code: str


@dataclass(frozen=True)
class StoredKey:
    request_hash: str
    resource_id: str


@dataclass(frozen=True)
class PaymentRow:
    id: str
    connection: str
    claim: str
    attempt: int
    idempotency_key: str
    gateway_ref: str | None
    source: str | None
    terminal: str | None
    currency: str
    amount: int
    captured: int
    refunded: int
    status: str
    decline_code: str | None
    capture: str
    sale_id: str | None
    register: str | None
    shift_id: str | None
    created_at: datetime
    updated_at: datetime
    created_by: str | None
    fee: int | None = None


@dataclass(frozen=True)
class RefundRow:
    id: str
    payment_id: str
    return_id: str | None
    amount: int
    status: str
    idempotency_key: str
    gateway_ref: str | None
    approved_by: str | None
    created_at: datetime
    created_by: str | None


@dataclass(frozen=True)
class ShiftRecord:
    id: str
    register: str
    register_id: int
    status: str
    opening_float: Decimal
    opened_at: datetime
    opened_by: str | None
    closed_at: datetime | None
    counted_cash: Decimal | None
    z_report: dict[str, Any] | None


@dataclass(frozen=True)
class Approval:
    id: int
    action: str
    approved_by: str
    register_id: int | None
    expires_at: datetime
    used_at: datetime | None
    used_key: str | None


@dataclass(frozen=True)
class Session:
    staff_id: int
    name: str
    role: str
    register_id: int
    expires_at: datetime
    register: str


@dataclass(frozen=True)
class StaffMember:
    id: int
    name: str
    role: str
    pin_hash: str
    failed_attempts: int
    locked_until: datetime | None
    active: bool
    password_hash: str | None = None


@dataclass(frozen=True, kw_only=True)
class OfficeSession:
    """Who a live back-office session stands for, read from its member or API token."""

    name: str
    role: str
    # Signed in with a member's password (else with an API token).
    staff: bool
    expires_at: datetime


@dataclass(frozen=True)
class Discrepancy:
    id: int
    sku: str
    location: str
    sale_id: str | None
    shortfall: Decimal
    on_hand_after: Decimal
    reason: str
    created_at: datetime
    resolved_at: datetime | None


@dataclass(frozen=True)
class Drift:
    product_id: int
    location_id: int
    cached: Decimal
    ledger: Decimal


@dataclass(frozen=True)
class RecordedMovement:
    movement: Movement
    balance_after: Decimal


@dataclass(frozen=True)
class StockLevel:
    location: str
    on_hand: Decimal


@dataclass(frozen=True)
class TokenRecord:
    """Who a bearer token stands for, as the API's auth sees it."""

    id: int
    name: str
    role: str
    # A staff session acts at the register it signed in at; a cashier's API token may be
    # bound to one too.
    register: str | None = None
    # A staff member signed in with their PIN at a paired register (not an API token).
    session: bool = False
    expires_at: datetime | None = None
    last_used_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class TokenInfo:
    """An API token as an admin lists it: never its secret."""

    id: int
    name: str
    role: str
    register: str | None
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class StaffInfo:
    name: str
    role: str
    active: bool
    locked_until: datetime | None
    created_at: datetime
    # How sales, returns and the reports name the member.
    id: int = 0


@dataclass(frozen=True, kw_only=True)
class SyncedPrice:
    """A product's price as a register last read it from the catalog."""

    price: Decimal
    synced_at: datetime


@dataclass(frozen=True, kw_only=True)
class PriceDiscrepancy:
    id: int
    sale_id: str
    sku: str
    register: str
    synced_price: Decimal
    catalog_price: Decimal
    quantity: Decimal
    synced_at: datetime
    created_at: datetime


@dataclass(frozen=True, kw_only=True)
class StoreDetails:
    name: str = DEFAULT_STORE_NAME
    address: str = ""
    rcn_rules: tuple[RcnRule, ...] | None = None
    tax_id: str = ""
    # Lines printed at the end of every sale's receipt, one per line of the text.
    footer: str = ""
    # A PNG or JPEG, base64.
    logo: str = ""
    # IANA name; the reports' days are this zone's.
    timezone: str = DEFAULT_TIMEZONE

    @property
    def footer_lines(self) -> tuple[str, ...]:
        return tuple(part.strip() for part in self.footer.splitlines() if part.strip())

    @property
    def address_lines(self) -> tuple[str, ...]:
        """One printed line per comma-separated part: ``"1 Main St, Springfield"``."""
        return tuple(part.strip() for part in self.address.split(",") if part.strip())


@dataclass(frozen=True, kw_only=True)
class ParkedSale:
    """A cart put aside at a register, as the cashier left it (lines are priced again
    when the sale is resumed and sent)."""

    id: str
    register: str
    label: str
    cart: dict[str, Any]
    parked_by: str
    parked_at: datetime
