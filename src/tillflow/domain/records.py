"""Read models of recorded documents: what the API shows and receipts print."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class PaymentRecord:
    method: str
    amount: Decimal
    reference: str | None


@dataclass(frozen=True)
class ChargeRecord:
    """Shipping or a fee a web order charged (or a return gave back), with its tax."""

    kind: str
    title: str
    tax_rate: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal


@dataclass(frozen=True)
class SettlementRecord:
    """Money that came in later for a ``pay_later`` tender, and how."""

    method: str
    amount: Decimal
    reference: str | None
    settled_at: datetime


@dataclass(frozen=True)
class SaleLineRecord:
    line_no: int
    sku: str
    name: str
    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal
    gross: Decimal
    line_discount: Decimal
    order_discount: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal
    returned_quantity: Decimal


@dataclass(frozen=True)
class SaleRecord:
    id: str
    number: str
    status: str
    location: str
    register: str | None
    shift_id: str | None
    customer_id: str | None
    lines: tuple[SaleLineRecord, ...]
    subtotal: Decimal
    order_discount: Decimal
    discount_total: Decimal
    tax_total: Decimal
    total: Decimal
    payments: tuple[PaymentRecord, ...]
    tendered: Decimal
    change_due: Decimal
    tax_inclusive: bool
    created_at: datetime
    created_by: str | None
    channel: str = "pos"
    external_id: str | None = None
    offline: bool = False
    offline_number: str | None = None
    charges: tuple[ChargeRecord, ...] = ()
    settlements: tuple[SettlementRecord, ...] = ()
    # When the sale was made, if not when it was recorded (an offline sale's till time).
    sold_at: datetime | None = None
    staff_id: int | None = None


@dataclass(frozen=True)
class ReturnLineRecord:
    line_no: int
    sku: str
    quantity: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal


@dataclass(frozen=True)
class ReturnRecord:
    id: str
    number: str
    sale_id: str
    location: str
    register: str | None
    restock: bool
    lines: tuple[ReturnLineRecord, ...]
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    refunds: tuple[PaymentRecord, ...]
    created_at: datetime
    created_by: str | None
    charges: tuple[ChargeRecord, ...] = ()
    # Why the goods came back ("void": the whole sale, in its own shift).
    reason: str | None = None
    staff_id: int | None = None
