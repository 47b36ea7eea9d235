"""What the services ask of the store's persistence: a unit of work and its repositories.

The database adapter (``tillflow.db``) implements these; the services see only them,
never a table, a connection or the database driver's errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Protocol, Self
from zoneinfo import ZoneInfo

from tillflow.domain.audit import AuditEntry, AuditRecord
from tillflow.domain.barcodes import RcnRule
from tillflow.domain.catalog import Product
from tillflow.domain.controls import Limits
from tillflow.domain.customers import Customer
from tillflow.domain.errors import InvalidInput
from tillflow.domain.inventory import Movement
from tillflow.domain.money import Currency
from tillflow.domain.records import ChargeRecord, ReturnRecord, SaleRecord, SettlementRecord
from tillflow.domain.reports import Period, Tally
from tillflow.domain.shifts import ShiftActivity
from tillflow.domain.variants import ProductGroup
from tillflow.ports.records import (
    Approval,
    ConnectionRecord,
    Discrepancy,
    Drift,
    Location,
    OfficeSession,
    ParkedSale,
    PaymentRow,
    PriceDiscrepancy,
    PricedProduct,
    RecordedMovement,
    RefundRow,
    Register,
    SaleScope,
    Session,
    ShiftRecord,
    StaffInfo,
    StaffMember,
    StockLevel,
    StoreDetails,
    StoredEvent,
    StoredKey,
    SyncedPrice,
    TokenInfo,
    TokenRecord,
)
from tillflow.ports.stock_records import (
    DocumentLine,
    GoodsReceipt,
    LevelRow,
    MovementRow,
    StockCount,
    Transfer,
)


class DuplicateRecord(Exception):
    """A write met a record with the same unique key; the transaction is spoiled."""


class ValueOutOfRange(InvalidInput):
    """A figure too large for its column (a 64-bit integer); nothing of the command is
    written. Figures are bounded where they enter; this catches what they multiply to."""


class ProductRepository(Protocol):
    """The variants: one SKU each."""

    def get(self, sku: str, *, lock: bool = False) -> Product | None: ...

    def get_by_gtin(self, gtin14: str) -> Product | None: ...

    def of_groups(self, group_ids: Iterable[int]) -> list[Product]: ...

    def owner_of_barcodes(self, gtins: Iterable[str]) -> dict[str, int]: ...

    def taken_skus(self, skus: Iterable[str]) -> set[str]: ...

    def for_checkout(self, skus: Iterable[str]) -> dict[str, PricedProduct]: ...

    def search(self, *, query: str | None, after_sku: str | None, limit: int,
               category: str | None = None) -> list[Product]: ...

    def add(self, product: Product, option_values: Sequence[str], now: datetime) -> int: ...

    def update(self, product: Product, option_values: Sequence[str], now: datetime) -> None: ...

    def remove(self, product_id: int) -> bool:
        """Delete a variant nothing refers to; False (nothing changed) when something does."""
        ...

    def costing(self, product_ids: Iterable[int]) -> dict[int, tuple[Decimal, Decimal | None]]:
        """Units on hand across locations and the cost of each, held for the transaction."""
        ...

    def set_cost(self, product_id: int, cost: Decimal, now: datetime) -> None: ...


class ProductGroupRepository(Protocol):
    """The products themselves: name, category and options."""

    def get(self, group_id: int, *, lock: bool = False) -> ProductGroup | None: ...

    def get_many(self, group_ids: Iterable[int]) -> list[ProductGroup]: ...

    def add(self, group: ProductGroup, now: datetime) -> int: ...

    def update(self, group: ProductGroup, now: datetime) -> None: ...

    def search(self, *, query: str | None, category: str | None, after_id: int | None,
               limit: int) -> list[ProductGroup]: ...


class ConnectionRepository(Protocol):

    def get(self, name: str) -> ConnectionRecord | None: ...

    def all(self) -> list[ConnectionRecord]: ...

    def add(self, *, name: str, platform: str, settings: dict[str, Any], sealed_secrets: str,
            catalog_master: bool, now: datetime) -> None:
        """Raises ``DuplicateRecord`` for a taken name, or for a second catalog master."""
        ...

    def update(self, *, name: str, settings: dict[str, Any], sealed_secrets: str,
               catalog_master: bool, now: datetime) -> None:
        """Raises ``DuplicateRecord`` when another connection masters the catalog."""
        ...


class CustomerRepository(Protocol):

    def get(self, customer_id: str) -> Customer | None: ...

    def find(self, *, email: str | None, phone: str | None) -> list[Customer]: ...

    def search(self, *, query: str, after_id: str | None, limit: int) -> list[Customer]: ...

    def add(self, customer: Customer, now: datetime) -> None: ...

    def update(self, customer: Customer, now: datetime) -> None: ...


class LocationRepository(Protocol):

    def get(self, code: str) -> Location | None: ...

    def get_by_id(self, location_id: int) -> Location: ...

    def all(self) -> list[Location]: ...

    def add(self, *, code: str, name: str, kind: str, allow_negative_stock: bool,
            now: datetime) -> Location: ...


class RegisterRepository(Protocol):

    def get(self, code: str) -> Register | None: ...

    def till(self, code: str) -> tuple[Register, Location, str] | None:
        """The register with its location and open shift, or None (unknown or no shift)."""
        ...

    def get_by_id(self, register_id: int) -> Register: ...

    def all(self) -> list[Register]: ...

    def add(self, *, code: str, location: Location, now: datetime) -> Register: ...


class SaleRepository(Protocol):

    def add(self, sale: SaleRecord, *, location_id: int, register_id: int | None,
            product_ids: Sequence[int]) -> None: ...

    def lock(self, sale_id: str) -> bool:
        """Lock the sale row for the rest of the transaction (serialises its returns)."""
        ...

    def get(self, sale_id: str) -> SaleRecord | None: ...

    def list_ids(self, *, channel: str | None, location_id: int | None,
                  number: str | None = None, after: tuple[datetime, str] | None,
                  limit: int, scope: SaleScope | None = None) -> list[tuple[datetime, str]]:
        """Sale ids in recording order, after a (created_at, id) cursor."""
        ...

    def find_external(self, channel: str, external_id: str) -> str | None: ...

    def refunded_by_line(self, sale_id: str) -> dict[int, tuple[Decimal, Decimal]]:
        """Net and tax already refunded per sale line."""
        ...

    def add_return(self, record: ReturnRecord, *, location_id: int, register_id: int | None,
                   shift_id: str | None) -> None: ...

    def returns_of(self, sale_id: str) -> list[ReturnRecord]: ...

    def get_return(self, return_id: str) -> ReturnRecord | None: ...

    def id_by_number(self, number: str) -> str | None:
        """The sale or return printed with ``number`` (an offline sale's number too)."""
        ...

    def add_settlement(self, sale_id: str, settlement: SettlementRecord) -> None: ...

    def returned_charges(self, sale_id: str) -> tuple[ChargeRecord, ...]:
        """Every charge the sale's returns gave back."""
        ...


class ShiftRepository(Protocol):

    def add(self, *, shift_id: str, register_id: int, opening_float: Decimal, now: datetime,
            actor: str | None) -> None: ...

    def open_shift_of(self, register_id: int) -> str | None:
        """The register's open shift, share-locked on PostgreSQL so a close waits for us."""
        ...

    def get(self, shift_id: str) -> ShiftRecord | None: ...

    def list_ids(self, *, register_id: int | None, status: str | None,
                 limit: int) -> list[str]:
        """The latest shifts first."""
        ...

    def lock(self, shift_id: str) -> None:
        """Take the shift row's write lock: sales that share-lock it finish first."""
        ...

    def add_cash_movement(self, *, shift_id: str, amount: Decimal, reason: str,
                          actor: str | None, now: datetime) -> None: ...

    def close(self, *, shift_id: str, counted_cash: Decimal, z_report: dict[str, Any],
              now: datetime, actor: str | None) -> None: ...

    def activity(self, shift_id: str) -> ShiftActivity: ...


class StockRepository(Protocol):

    def on_hand(self, product_id: int, location_id: int) -> Decimal: ...

    def levels(self, product_id: int) -> list[StockLevel]: ...

    def apply(
        self,
        movements: Sequence[Movement],
        *,
        allow_negative: dict[int, bool],
        actor: str | None,
        now: datetime,
        sku_of: Mapping[int, str],
    ) -> list[RecordedMovement]:
        """Apply movements to the balances and append them to the ledger.

        Balances are changed with one conditional UPDATE each, taken in (product,
        location) order so concurrent writers never deadlock: a decrement that would
        take the level below zero where the location forbids it changes nothing and
        raises InsufficientStock (the caller's transaction is then rolled back).
        """
        ...

    def drift(self) -> list[Drift]:
        """Balance rows that disagree with the sum of their ledger movements."""
        ...

    def add_discrepancy(self, *, product_id: int, location_id: int, sale_id: str | None,
                        shortfall: Decimal, on_hand_after: Decimal, reason: str,
                        now: datetime) -> None: ...

    def discrepancies(self, *, open_only: bool, limit: int) -> list[Discrepancy]: ...


class StockDocumentRepository(Protocol):
    """Stock levels as the back office lists them, a SKU's history, and the stock
    documents (``tillflow.db.repos.stock_documents``)."""

    def levels(self, *, location_id: int | None, low_only: bool, query: str | None,
               after: tuple[str, str] | None, limit: int) -> list[LevelRow]: ...

    def set_reorder_point(self, *, product_id: int, location_id: int,
                          reorder_point: Decimal | None, now: datetime) -> None: ...

    def history(self, product_id: int, *, location_id: int | None, before: int | None,
                limit: int) -> list[MovementRow]: ...

    def add_receipt(self, *, receipt_id: str, number: str, location_id: int,
                    reference: str | None, lines: Sequence[DocumentLine], now: datetime,
                    actor: str | None) -> None: ...

    def get_receipt(self, receipt_id: str) -> GoodsReceipt | None: ...

    def receipt_ids(self, *, limit: int) -> list[str]: ...

    def add_count(self, *, count_id: str, number: str, location_id: int, note: str | None,
                  now: datetime, actor: str | None) -> None: ...

    def lock_open_count(self, count_id: str) -> bool: ...

    def set_counted(self, *, count_id: str, product_id: int, counted: Decimal,
                    now: datetime) -> None: ...

    def record_on_hand(self, *, count_id: str, product_id: int, on_hand: Decimal) -> None: ...

    def close_count(self, count_id: str, *, status: str, now: datetime,
                    actor: str | None) -> None: ...

    def get_count(self, count_id: str) -> StockCount | None: ...

    def count_ids(self, *, status: str | None, limit: int) -> list[str]: ...

    def add_transfer(self, *, transfer_id: str, number: str, from_location_id: int,
                     to_location_id: int, note: str | None, lines: Sequence[DocumentLine],
                     now: datetime, actor: str | None) -> None: ...

    def close_transfer(self, transfer_id: str, *, status: str, now: datetime,
                       actor: str | None) -> bool: ...

    def get_transfer(self, transfer_id: str) -> Transfer | None: ...

    def transfer_ids(self, *, status: str | None, limit: int) -> list[str]: ...


class TokenRepository(Protocol):

    def add(self, *, token_hash: str, prefix: str, role: str, name: str, now: datetime,
            register_id: int | None = None, expires_at: datetime | None = None) -> int: ...

    def find_active(self, token_hash: str, *, now: datetime) -> TokenRecord | None:
        """The token's record unless it is revoked or expired."""
        ...

    def listed(self) -> list[TokenInfo]:
        """Every token not revoked (expired ones too), oldest first."""
        ...

    def revoke(self, token_id: int, *, now: datetime) -> TokenInfo | None:
        """Revoke a live token; None when there is none of that id."""
        ...

    def touch(self, token_id: int, *, now: datetime, stale_before: datetime) -> None:
        """Record the token's use unless it was recorded after ``stale_before``."""
        ...


class StaffRepository(Protocol):

    def add(self, *, name: str, role: str, pin_hash: str, now: datetime) -> int: ...

    def get(self, name: str) -> StaffMember | None: ...

    def active(self) -> list[tuple[str, str]]: ...

    def all(self) -> list[StaffInfo]: ...

    def claim_attempt(self, staff_id: int, *, now: datetime, max_attempts: int,
                      lockout_until: datetime) -> int | None:
        """Count one PIN attempt in one conditional UPDATE, before the PIN is checked.

        Returns the attempts counted so far (the one that reaches ``max_attempts`` locks
        the member until ``lockout_until``), or None when the member is locked: its PIN
        is then not checked at all.
        """
        ...

    def clear_failures(self, staff_id: int) -> None: ...

    def set_active(self, staff_id: int, *, active: bool) -> None: ...

    def set_password(self, staff_id: int, *, password_hash: str) -> None: ...

    def set_role(self, staff_id: int, *, role: str) -> None: ...

    def set_pin(self, staff_id: int, *, pin_hash: str) -> None:
        """A new PIN, which also ends a lockout."""
        ...

    def end_sessions_of(self, staff_id: int, *, now: datetime, reason: str) -> int: ...

    def add_pairing(self, *, register_id: int, token_hash: str, now: datetime) -> None: ...

    def paired_register(self, token_hash: str) -> str | None: ...

    def add_session(self, *, token_hash: str, staff_id: int, register_id: int, now: datetime,
                    expires_at: datetime) -> None: ...

    def live_session(self, token_hash: str, *, now: datetime) -> Session | None: ...

    def end_session(self, token_hash: str, *, now: datetime) -> None: ...

    def ended_reason(self, token_hash: str) -> str | None: ...

    def unpair(self, register_id: int, *, now: datetime) -> tuple[int, int]:
        """Revoke the register's pairings and end its sessions: (pairings, sessions)."""
        ...

    def add_approval(self, *, token_hash: str, action: str, approved_by: str,
                     requested_by: str, register_id: int | None, now: datetime,
                     expires_at: datetime) -> None: ...

    def approval(self, token_hash: str) -> Approval | None:
        """The approval, locked until the transaction ends (it is used at most once)."""
        ...

    def use_approval(self, approval_id: int, *, now: datetime, key: str | None) -> None: ...


class OfficeSessionRepository(Protocol):
    def add(self, *, token_hash: str, staff_id: int | None, api_token_id: int | None,
            now: datetime, expires_at: datetime) -> None: ...

    def live(self, token_hash: str, *, now: datetime) -> OfficeSession | None:
        """The session if it has neither ended nor expired, and its member is active (or
        its token unrevoked and unexpired)."""
        ...

    def end(self, token_hash: str, *, now: datetime, reason: str) -> bool: ...

    def end_of_staff(self, staff_id: int, *, now: datetime, reason: str) -> int: ...


class RegisterPriceRepository(Protocol):

    def record(self, register_id: int, prices: Mapping[int, Decimal], *,
               now: datetime) -> None:
        """Remember the prices (by product id) a register read from the catalog."""
        ...

    def synced(self, register_id: int, product_ids: Iterable[int]) -> dict[int, SyncedPrice]: ...

    def add_discrepancy(self, *, sale_id: str, product_id: int, register_id: int,
                        synced: SyncedPrice, catalog_price: Decimal, quantity: Decimal,
                        now: datetime) -> None: ...

    def discrepancies(self, *, limit: int) -> list[PriceDiscrepancy]: ...


class AuditRepository(Protocol):
    """The audit trail as written; records are appended by ``UnitOfWork.audit``."""

    def page(self, *, after: int, limit: int) -> list[AuditRecord]: ...

    def head(self) -> tuple[int, str, int]:
        """The chain's last (seq, hash) as the head row keeps it, and the last seq stored,
        read at the same moment."""
        ...


class AuthFailureRepository(Protocol):

    def count(self, subject: str, *, now: datetime,
              window_start_after: datetime) -> tuple[int, datetime]:
        """Count a failed check against ``subject`` in one statement: (failures in its
        window, when the window started). A window started before
        ``window_start_after`` is over: the count starts again from this failure."""
        ...


class LimitsRepository(Protocol):

    def read(self) -> dict[str, Limits]:
        """The limits of each role that has them."""
        ...

    def write(self, role: str, limits: Limits) -> None: ...


class PaymentRepository(Protocol):

    def commit_lazily(self) -> None:
        """Let this transaction's commit return before it reaches the disk (PostgreSQL).

        Only for what can be learned again after a crash loses it: the gateway and the
        recorded sale still say what happened, and the resolver reads them back.
        """
        ...

    def add(self, row: PaymentRow) -> None:
        """Raises DuplicateRecord when the claim's attempt is taken: someone else pays it."""
        ...

    def get(self, payment_id: str, *, lock: bool = False) -> PaymentRow | None: ...

    def latest_of_claim(self, claim: str) -> PaymentRow | None: ...

    def update(self, payment_id: str, *, now: datetime, **values: Any) -> None: ...

    def of_sale(self, sale_id: str) -> list[PaymentRow]: ...

    def by_refs(self, refs: Iterable[str]) -> dict[str, PaymentRow]: ...

    def sale_paid_by(self, reference: str) -> tuple[str, str | None] | None:
        """The (sale id, shift id) of the sale recorded with this gateway reference."""
        ...

    def due_for_resolution(self, *, before: datetime, limit: int) -> list[str]:
        """Payments still moving: outcome unknown, stuck pending, not captured yet, or
        authorized for no sale; manual-capture sales wait for a person instead."""
        ...

    def between(self, *, connection: str, since: datetime,
                until: datetime) -> list[PaymentRow]: ...

    def add_refund(self, row: RefundRow) -> None: ...

    def refund(self, refund_id: str) -> RefundRow | None: ...

    def move_refund(self, refund_id: str, *, before: str, **values: Any) -> bool:
        """Update a refund still in status ``before``; False if someone else moved it."""
        ...

    def refunds_to_resolve(self, *, stale_before: datetime, payment_id: str | None,
                           limit: int) -> list[str]:
        """Refunds whose answer was lost, or still pending since before ``stale_before``
        (of one payment, or of all)."""
        ...

    def link_refunds(self, refs: Iterable[str], *, return_id: str) -> None: ...

    def refunds_of(self, payment_id: str) -> list[RefundRow]: ...

    def refunds_between(self, *, since: datetime, until: datetime) -> list[RefundRow]: ...

    def set_terminal(self, *, register_code: str, connection: str, terminal: str,
                     now: datetime) -> bool: ...

    def terminal_of(self, register_code: str) -> tuple[str, str] | None: ...

    def waiting_for_terminal(self, register: str) -> PaymentRow | None:
        """The register's newest terminal payment that no sale took and is not settled yet."""
        ...

    def unsettled(self, connection: str, statuses: Iterable[str]
                  ) -> tuple[dict[str, int], datetime | None]:
        """How many payments of a connection are in each of ``statuses``, and the oldest
        one's last change."""
        ...

    def record_webhook(self, *, connection: str, event_id: str, type: str,
                       reference: str | None, now: datetime) -> None:
        """Remember a gateway's webhook; one seen before raises ``DuplicateRecord``."""
        ...

    def webhooks_about(self, *, connection: str, reference: str,
                       types: Iterable[str]) -> list[tuple[str, str]]:
        """The (type, event id) of the stored webhooks of ``types`` about ``reference``."""
        ...

    def refund_of_connection(self, connection: str, *, gateway_ref: str | None = None,
                             idempotency_key: str | None = None) -> RefundRow | None:
        """A connection's refund by its gateway reference or by its idempotency key."""
        ...


class NumberRepository(Protocol):

    def next(self, series: str) -> int:
        """The next number of ``series``, gap-free (see ``next_number``)."""
        ...


class IdempotencyKeyRepository(Protocol):

    def claim(self, *, scope: str, key: str, request_hash: str, resource_id: str,
              now: datetime) -> None:
        """Take the key for ``resource_id``; a key taken before raises ``DuplicateRecord``."""
        ...

    def find(self, *, scope: str, key: str) -> StoredKey | None: ...


class TillRepository(Protocol):
    """A register's own state: parked sales and favourite products."""

    def park(self, sale: ParkedSale, *, register_id: int) -> None: ...

    def parked(self, register_id: int) -> list[ParkedSale]: ...

    def take(self, parked_id: str, *, register_id: int) -> ParkedSale | None:
        """The parked sale, removed; None if it is not (or no longer) parked there."""
        ...

    def favourites(self, register_id: int) -> list[str]: ...

    def set_favourites(self, register_id: int, product_ids: Sequence[int]) -> None: ...


class StoreDetailsRepository(Protocol):

    def read(self) -> StoreDetails: ...

    def write(self, *, name: str | None = None, address: str | None = None,
              rcn_rules: tuple[RcnRule, ...] | None = None, tax_id: str | None = None,
              footer: str | None = None, logo: str | None = None,
              timezone: str | None = None) -> None: ...


class ReportRepository(Protocol):

    def sales_tallies(self, group_by: str, period: Period, zone: ZoneInfo) -> list[Tally]:
        """Sums per key (calendar keys in ``zone``), sales and returns apart: a key may
        come twice."""
        ...


class EventLogRepository(Protocol):
    sequence_batch: int

    def has_unsequenced(self) -> bool: ...

    def sequence_pending(self) -> int: ...

    def read_after(self, after: int, limit: int) -> list[StoredEvent]: ...


class UnitOfWork(Protocol):
    """One transaction: ``with store.unit_of_work() as uow: ...; uow.commit()``; leaving
    without ``commit`` rolls everything back, events included."""

    @property
    def now(self) -> datetime: ...

    @property
    def products(self) -> ProductRepository: ...

    @property
    def product_groups(self) -> ProductGroupRepository: ...

    @property
    def locations(self) -> LocationRepository: ...

    @property
    def registers(self) -> RegisterRepository: ...

    @property
    def stock(self) -> StockRepository: ...

    @property
    def customers(self) -> CustomerRepository: ...

    @property
    def sales(self) -> SaleRepository: ...

    @property
    def shifts(self) -> ShiftRepository: ...

    @property
    def tokens(self) -> TokenRepository: ...

    @property
    def connections(self) -> ConnectionRepository: ...

    @property
    def staff(self) -> StaffRepository: ...

    @property
    def payments(self) -> PaymentRepository: ...

    @property
    def numbers(self) -> NumberRepository: ...

    @property
    def keys(self) -> IdempotencyKeyRepository: ...

    @property
    def details(self) -> StoreDetailsRepository: ...

    @property
    def till(self) -> TillRepository: ...

    @property
    def events(self) -> EventLogRepository: ...

    @property
    def office_sessions(self) -> OfficeSessionRepository: ...

    @property
    def register_prices(self) -> RegisterPriceRepository: ...

    @property
    def audit_log(self) -> AuditRepository: ...

    @property
    def auth_failures(self) -> AuthFailureRepository: ...

    @property
    def limits(self) -> LimitsRepository: ...

    @property
    def reports(self) -> ReportRepository: ...

    @property
    def stock_documents(self) -> StockDocumentRepository: ...

    def audit(self, entry: AuditEntry) -> None:
        """Record a sensitive act; it joins the audit trail's chain with the commit."""
        ...

    def emit(self, event_type: str, data: dict[str, Any]) -> None:
        """Record an event; it is written to the events log with the commit."""
        ...

    def commit(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...


class Store(Protocol):
    """Where a store's records live; opens one unit of work per command."""

    def unit_of_work(self, *, currency: Currency, clock: Callable[[], datetime],
                     read_only: bool = False) -> UnitOfWork: ...
