"""The unit of work: one connection, one transaction, one outbox batch per command."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, RootTransaction

from tillflow.db import outbox
from tillflow.db.engine import READ_ONLY
from tillflow.db.outbox import EventLogRepository
from tillflow.db.repos import audit
from tillflow.db.repos.audit import AuditRepository
from tillflow.db.repos.auth_failures import AuthFailureRepository
from tillflow.db.repos.catalog import ProductRepository
from tillflow.db.repos.connections import ConnectionRepository
from tillflow.db.repos.customers import CustomerRepository
from tillflow.db.repos.locations import LocationRepository, RegisterRepository
from tillflow.db.repos.numbering import IdempotencyKeyRepository, NumberRepository
from tillflow.db.repos.office_sessions import OfficeSessionRepository
from tillflow.db.repos.payments import PaymentRepository
from tillflow.db.repos.product_groups import ProductGroupRepository
from tillflow.db.repos.register_prices import RegisterPriceRepository
from tillflow.db.repos.reports import ReportRepository
from tillflow.db.repos.sales import SaleRepository
from tillflow.db.repos.shifts import ShiftRepository
from tillflow.db.repos.staff import StaffRepository
from tillflow.db.repos.stock import StockRepository
from tillflow.db.repos.stock_documents import StockDocumentRepository
from tillflow.db.repos.till import TillRepository
from tillflow.db.repos.tokens import TokenRepository
from tillflow.db.store_details import StoreDetailsRepository
from tillflow.db.store_limits import LimitsRepository
from tillflow.domain.audit import AuditEntry
from tillflow.domain.events import Event
from tillflow.domain.money import Currency
from tillflow.ports.persistence import Store, UnitOfWork


class SqlUnitOfWork:
    """Use as ``with uow: ...; uow.commit()``; leaving without commit rolls back."""

    connection: Connection

    def __init__(self, engine: Engine, *, currency: Currency, clock: Callable[[], datetime],
                 read_only: bool = False) -> None:
        self._engine = engine
        self._currency = currency
        self._clock = clock
        self._read_only = read_only
        self._events: list[Event] = []
        self._audit: list[AuditEntry] = []
        self._transaction: RootTransaction | None = None

    def __enter__(self) -> Self:
        connection = self._engine.connect()
        if self._read_only:
            connection = connection.execution_options(**{READ_ONLY: True})
        self.connection = connection
        self._transaction = connection.begin()
        currency = self._currency
        self.products = ProductRepository(connection, currency)
        self.product_groups = ProductGroupRepository(connection)
        self.locations = LocationRepository(connection)
        self.registers = RegisterRepository(connection)
        self.stock = StockRepository(connection)
        self.customers = CustomerRepository(connection)
        self.sales = SaleRepository(connection, currency)
        self.shifts = ShiftRepository(connection, currency)
        self.tokens = TokenRepository(connection)
        self.connections = ConnectionRepository(connection)
        self.staff = StaffRepository(connection)
        self.payments = PaymentRepository(connection)
        self.numbers = NumberRepository(connection)
        self.keys = IdempotencyKeyRepository(connection)
        self.details = StoreDetailsRepository(connection)
        self.till = TillRepository(connection)
        self.events = EventLogRepository(connection)
        self.office_sessions = OfficeSessionRepository(connection)
        self.register_prices = RegisterPriceRepository(connection, currency)
        self.audit_log = AuditRepository(connection)
        self.auth_failures = AuthFailureRepository(connection)
        self.limits = LimitsRepository(connection)
        self.reports = ReportRepository(connection)
        self.stock_documents = StockDocumentRepository(connection, currency)
        self.now = self._clock()
        return self

    def emit(self, event_type: str, data: dict[str, Any]) -> None:
        self._events.append(Event(event_type, data))

    def audit(self, entry: AuditEntry) -> None:
        self._audit.append(entry)

    def commit(self) -> None:
        assert self._transaction is not None
        # Last, so the chain's head stays locked only until the commit just after.
        audit.append(self.connection, self._audit, self.now)
        outbox.append(self.connection, self._events, self.now)
        self._events.clear()
        self._audit.clear()
        self._transaction.commit()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if self._transaction is not None and self._transaction.is_active:
                self._transaction.rollback()
        finally:
            self._events.clear()
            self._audit.clear()
            self.connection.close()


def connection_of(uow: UnitOfWork) -> Connection:
    """The SQL connection under a unit of work, for the parts of tillflow that keep their
    own tables (sync queues, ERP postings); services never ask for it."""
    if not isinstance(uow, SqlUnitOfWork):
        raise TypeError(f"{type(uow).__name__} is not a database unit of work")
    return uow.connection


class SqlStore:
    """The store on SQLite or PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def unit_of_work(self, *, currency: Currency, clock: Callable[[], datetime],
                     read_only: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, currency=currency, clock=clock, read_only=read_only)


def engine_of(store: Store) -> Engine:
    """The engine under a store that lives in a database."""
    if not isinstance(store, SqlStore):
        raise TypeError(f"{type(store).__name__} is not a database store")
    return store.engine

