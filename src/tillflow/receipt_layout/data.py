"""The neutral input of the receipt renderer: what a sale, return or Z report prints.

Amounts are Decimal; the services layer fills these from its own types.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

ReceiptKind = Literal["sale", "gift", "return", "z_report"]


@dataclass(frozen=True, kw_only=True)
class StoreHeader:
    name: str
    address_lines: tuple[str, ...] = ()
    tax_id: str | None = None
    # A PNG or JPEG, base64, printed above the name.
    logo: str | None = None
    # The store's own closing lines, printed on its sales' receipts.
    footer: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ReceiptLine:
    description: str
    quantity: Decimal
    unit_price: Decimal
    line_total: Decimal
    discount: Decimal = Decimal(0)


@dataclass(frozen=True, kw_only=True)
class TaxLine:
    rate: Decimal
    base: Decimal
    tax: Decimal


@dataclass(frozen=True, kw_only=True)
class TenderLine:
    method: str
    amount: Decimal


@dataclass(frozen=True, kw_only=True)
class AmountLine:
    """A labelled amount, as a Z report lists them."""

    label: str
    amount: Decimal
    # Printed with its sign either way ("+276.08", "-1.00").
    signed: bool = False


@dataclass(frozen=True, kw_only=True)
class ReceiptData:
    kind: ReceiptKind
    store: StoreHeader
    document_number: str
    document_id: str
    issued_at: datetime
    currency: str
    lines: tuple[ReceiptLine, ...] = ()
    taxes: tuple[TaxLine, ...] = ()
    subtotal: Decimal = Decimal(0)
    discount_total: Decimal = Decimal(0)
    tax_total: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    tenders: tuple[TenderLine, ...] = ()
    change: Decimal = Decimal(0)
    summary: tuple[AmountLine, ...] = ()
    register: str | None = None
    cashier: str | None = None
    footer: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.issued_at.tzinfo is None:
            raise ValueError("a receipt's issued_at must be timezone-aware")
