"""Response bodies, as the OpenAPI document describes them.

Routes answer with documents built by the services (``services.payloads`` and the like);
these models describe those documents for clients and for contract tests, which check
every answer against them. A model names what a client may rely on; an answer may carry
more (``extra="allow"``), so adding a field is never a breaking change.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Money = str
Quantity = int | str


class Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class HealthOut(Out):
    status: Literal["ok"]
    currency: str


class LocationOut(Out):
    code: str
    name: str
    kind: str
    allow_negative_stock: bool


class LocationsOut(Out):
    items: list[LocationOut]


class RegisterOut(Out):
    code: str
    location: str


class RegisterStateOut(RegisterOut):
    open_shift: str | None


class ProductOut(Out):
    sku: str
    name: str
    price: Money
    tax_rate: str
    barcodes: list[str]
    active: bool
    version: int
    cost: str | None = None
    # The product this SKU is a variant of, its value of each of the product's options
    # ({} for a simple product's one variant), and the product's category.
    product_id: int
    options: dict[str, str]
    category: str | None


class OptionOut(Out):
    name: str
    values: list[str]


class ProductGroupOut(Out):
    id: int
    name: str
    category: str | None
    tax_rate: str
    options: list[OptionOut]
    version: int
    variants: list[ProductOut]


class ProductGroupPageOut(Out):
    items: list[ProductGroupOut]
    next_cursor: str | None


class ProductOptionsOut(Out):
    """A product's options, for choosing among its variants."""

    id: int
    name: str
    category: str | None
    options: list[OptionOut]


class RejectedRowOut(Out):
    line: int
    sku: str
    reason: str


class ImportReportOut(Out):
    created: int
    updated: int
    unchanged: int
    rejected: list[RejectedRowOut]


class ProductPageOut(Out):
    items: list[ProductOut]
    next_cursor: str | None
    # The products with options that the page's SKUs are variants of.
    products: list[ProductOptionsOut] = Field(default_factory=list)


class ScanOut(Out):
    product: ProductOut
    quantity: Quantity | None = None
    unit_price: Money | None = None


class StockLevelOut(Out):
    location: str
    on_hand: Quantity
    available: Quantity


class StockOut(Out):
    sku: str
    levels: list[StockLevelOut]


class MovementOut(Out):
    sku: str
    location: str
    kind: str
    delta: Quantity
    on_hand: Quantity
    reason: str | None


class TransferOut(Out):
    sku: str
    from_: MovementOut = Field(alias="from")
    to: MovementOut


class DiscrepancyOut(Out):
    id: int
    sku: str
    location: str
    sale_id: str | None
    shortfall: Quantity
    reason: str | None
    created_at: str
    resolved_at: str | None


class DiscrepanciesOut(Out):
    items: list[DiscrepancyOut]


class ShiftOut(Out):
    id: str
    register_code: str = Field(alias="register")
    status: str
    opening_float: Money
    opened_at: str
    closed_at: str | None
    counted_cash: Money | None


class CashMovementOut(Out):
    shift_id: str
    amount: Money
    reason: str


class ReportOut(Out):
    """An X or Z report: the shift's figures so far, or at its close."""


class TenderOut(Out):
    method: str
    amount: Money
    reference: str | None
    status: str | None = None
    payment_id: str | None = None


class SaleLineOut(Out):
    line_no: int
    sku: str
    name: str
    quantity: Quantity
    unit_price: Money
    tax_rate: str
    subtotal: Money
    discount: Money
    net: Money
    tax: Money
    total: Money


class SaleOut(Out):
    id: str
    number: str
    status: str
    channel: str
    external_id: str | None
    offline_number: str | None = None
    location: str
    register_code: str | None = Field(alias="register")
    customer: str | None
    currency: str
    lines: list[SaleLineOut]
    subtotal: Money
    discount_total: Money
    tax_total: Money
    total: Money
    payments: list[TenderOut]
    change_due: Money
    created_at: str
    # When the sale was made: created_at, or the till's time of a sale made offline.
    sold_at: str
    # The id of the staff member signed in at the register that made it.
    staff: int | None


class SalePageOut(Out):
    items: list[SaleOut]
    next_cursor: str | None


class ReturnLineOut(Out):
    line_no: int
    sku: str
    quantity: Quantity
    total: Money


class ReturnOut(Out):
    id: str
    number: str
    sale_id: str
    reason: str | None = None
    lines: list[ReturnLineOut]
    total: Money
    refunds: list[TenderOut]
    created_at: str


class ReturnsOut(Out):
    items: list[ReturnOut]


class CustomerOut(Out):
    id: str
    name: str | None
    email: str | None
    phone: str | None


class CustomersOut(Out):
    items: list[CustomerOut]


class CustomerPageOut(Out):
    items: list[CustomerOut]
    next_cursor: str | None


class EventOut(Out):
    seq: int
    type: str
    occurred_at: str
    data: dict[str, Any]


class EventsOut(Out):
    events: list[EventOut]
    next_after: int


class ConnectionOut(Out):
    name: str
    platform: str
    settings: dict[str, Any]
    secrets: list[str]
    version: int


class ConnectionsOut(Out):
    items: list[ConnectionOut]


class CheckOut(Out):
    ok: bool


class ConnectionHealthOut(Out):
    name: str
    state: str


class ConnectionHealthItemOut(Out):
    name: str
    platform: str
    state: str


class ConnectionHealthListOut(Out):
    items: list[ConnectionHealthItemOut]


class SyncQueuedOut(Out):
    name: str
    scope: str
    queued: list[str]


class DeadLetterOut(Out):
    id: int
    kind: str
    key: str
    attempts: int
    last_error: str | None


class DeadLettersOut(Out):
    items: list[DeadLetterOut]
    next_cursor: str | None


class ReplayedOut(Out):
    replayed: int


class ReconciliationReportOut(Out):
    """The latest reconciliation of a shop: one line per difference found."""


class TokenInfoOut(Out):
    id: int
    name: str
    role: str
    register_code: str | None = Field(alias="register")
    created_at: str
    expires_at: str | None
    last_used_at: str | None


class TokenOut(TokenInfoOut):
    token: str


class TokenListOut(Out):
    items: list[TokenInfoOut]


class RevokedTokenOut(TokenInfoOut):
    revoked: Literal[True]


class StaffOut(Out):
    name: str
    role: str


class PairingOut(Out):
    register_code: str = Field(alias="register")
    token: str


class StaffMemberOut(Out):
    name: str
    role: str


class ReceiptSettingsOut(Out):
    name: str
    address: str
    address_lines: list[str]
    tax_id: str | None
    footer: list[str]
    logo: str | None


class PairedRegisterOut(Out):
    register_code: str = Field(alias="register")
    location: str
    currency: str
    staff: list[StaffMemberOut]
    # What the register prints on a receipt it lays out itself (a sale made offline).
    store: ReceiptSettingsOut | None = None


class SessionOut(PairedRegisterOut):
    token: str
    name: str
    role: str
    expires_at: str


class ApprovalOut(Out):
    action: str | None
    acts: list[str]
    approved_by: str
    approval: str
    expires_at: str


class UnpairedOut(Out):
    register_code: str = Field(alias="register")
    paired: Literal[False]
    sessions_ended: int


class PaymentOut(Out):
    id: str
    method: str
    connection: str
    reference: str | None
    status: str
    amount: Money
    captured: Money
    refunded: Money


class RefundOut(Out):
    reference: str | None
    payment: PaymentOut


class TerminalOut(Out):
    register_code: str = Field(alias="register")
    connection: str
    terminal: str


class TerminalProgressOut(TerminalOut):
    payment: PaymentOut | None


class TerminalCancelOut(Out):
    payment: str
    cancel_requested: bool


class PaymentReconciliationOut(Out):
    date: str
    connection: str


class WebhookOut(Out):
    status: str


class JournalOut(Out):
    entries: list[dict[str, Any]]


class TrialBalanceOut(Out):
    """Debits and credits per account for the days asked, which always balance."""


class ChartOut(Out):
    accounts: dict[str, str]


class ErpSyncOut(Out):
    scope: str
    changed: int


class ErpHealthOut(Out):
    """The ERP connection's postings: pending, posted and dead, and the last error."""


class PostingsOut(Out):
    items: list[dict[str, Any]]


class PostingReplayOut(Out):
    id: int
    status: Literal["pending"]


def with_csv(model: type[BaseModel]) -> dict[str, Any]:
    """A 200 answered as JSON (``model``) or, when asked for, as CSV."""
    return {"model": model, "content": {"text/csv": {"schema": {"type": "string"}}}}


def with_text(model: type[BaseModel]) -> dict[str, Any]:
    """A webhook's 200: JSON (``model``), or the plain word a gateway expects (Adyen's
    ``[accepted]``)."""
    return {"model": model, "content": {"text/plain": {"schema": {"type": "string"}}}}


class AuditRecordOut(Out):
    seq: int
    occurred_at: str
    actor: str
    role: str | None
    act: str
    subject: str | None
    hash: str


class AuditPageOut(Out):
    items: list[AuditRecordOut]
    next_cursor: str | None


class DrawerOpeningOut(Out):
    id: str
    register_code: str = Field(alias="register")
    reason: str
    opened_by: str


class PriceDiscrepancyOut(Out):
    id: int
    sale_id: str
    sku: str
    register_code: str = Field(alias="register")
    sold_at: str
    catalog_price: str
    quantity: str
    synced_at: str
    created_at: str


class PriceDiscrepanciesOut(Out):
    items: list[PriceDiscrepancyOut]


class RoleLimitsOut(Out):
    discount_percent: str
    price_override_percent: str


class StaffRecordOut(Out):
    id: int
    name: str
    role: str
    active: bool
    locked_until: str | None
    created_at: str


class StaffListOut(Out):
    items: list[StaffRecordOut]


class StaffActiveOut(Out):
    name: str
    active: bool
    role: str
    sessions_ended: int


class PinResetOut(Out):
    name: str
    pin_reset: Literal[True]
    sessions_ended: int


class OfficeStoreOut(Out):
    name: str | None
    timezone: str
    currency: str


class OfficeSessionOut(Out):
    name: str
    role: str
    # Signed in with a member's password (else with an API token).
    staff: bool
    expires_at: str
    # The screens this role may open: ``admin`` adds tokens and connection settings.
    screens: list[str]
    store: OfficeStoreOut


class PasswordSetOut(Out):
    name: str
    password_set: Literal[True]
    sessions_ended: int


class PinChangedOut(Out):
    name: str
    pin_changed: Literal[True]


class ParkedSaleOut(Out):
    id: str
    register_code: str = Field(alias="register")
    label: str
    cart: dict[str, Any]
    parked_by: str
    parked_at: str


class ParkedSalesOut(Out):
    items: list[ParkedSaleOut]


class FavouritesOut(Out):
    register_code: str = Field(alias="register")
    skus: list[str]


class ReceiptEmailOut(Out):
    sale_id: str
    recipient: str
    status: str
class SalesReportRowOut(Out):
    # The day, week, month, SKU, tax rate, register code, channel (strings), staff id
    # (integer), or null: a web order's register, a sale no staff member made.
    key: str | int | None
    sales: int
    units: Quantity
    net: Money
    tax: Money
    total: Money


class SalesReportOut(Out):
    rows: list[SalesReportRowOut]


class StoreDetailsOut(Out):
    name: str
    address: str
    tax_id: str | None
    timezone: str


class StockLevelRowOut(Out):
    sku: str
    name: str
    location: str
    on_hand: Quantity
    reorder_point: Quantity | None
    # Sent to this location and not received yet: counted at neither end.
    in_transit: Quantity
    low: bool


class StockLevelsOut(Out):
    items: list[StockLevelRowOut]
    next_cursor: str | None


class ReorderPointOut(Out):
    sku: str
    location: str
    reorder_point: Quantity | None


class LedgerMovementOut(Out):
    id: int
    location: str
    # sale, return, receipt, count, transfer, adjustment, channel_order (a web order)
    kind: str
    delta: Quantity
    on_hand: Quantity
    reason: str | None
    reference: str | None
    actor: str | None
    occurred_at: str


class LedgerHistoryOut(Out):
    sku: str
    items: list[LedgerMovementOut]
    next_cursor: str | None


class GoodsReceiptLineOut(Out):
    sku: str
    quantity: Quantity
    unit_cost: Money
    cost: Money


class GoodsReceiptOut(Out):
    id: str
    number: str
    location: str
    reference: str | None
    lines: list[GoodsReceiptLineOut]
    total_cost: Money
    created_at: str
    created_by: str | None


class GoodsReceiptsOut(Out):
    items: list[GoodsReceiptOut]


class StockCountLineOut(Out):
    sku: str
    name: str
    counted: Quantity
    on_hand: Quantity
    difference: Quantity


class StockCountOut(Out):
    id: str
    number: str
    location: str
    status: Literal["open", "posted", "cancelled"]
    note: str | None
    lines: list[StockCountLineOut]
    opened_at: str
    opened_by: str | None
    closed_at: str | None
    closed_by: str | None


class StockCountsOut(Out):
    items: list[StockCountOut]


class StockTransferLineOut(Out):
    sku: str
    quantity: Quantity


class StockTransferOut(Out):
    id: str
    number: str
    status: Literal["sent", "received", "cancelled"]
    from_location: str
    to_location: str
    note: str | None
    lines: list[StockTransferLineOut]
    sent_at: str
    sent_by: str | None
    closed_at: str | None
    closed_by: str | None


class StockTransfersOut(Out):
    items: list[StockTransferOut]


class ShiftsOut(Out):
    items: list[ShiftOut]


class RegistersOut(Out):
    items: list[RegisterOut]
