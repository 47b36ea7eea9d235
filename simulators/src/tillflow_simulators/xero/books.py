"""One Xero organisation's books: settings, lock dates and every record, kept as Xero names
its fields (Python values inside: Decimal amounts, ``date`` dates, UTC datetimes).

Everything a request changes is changed under ``lock``; a batch that must fail whole takes
a ``snapshot`` first and ``restore``s it. ``events`` gathers what webhooks will announce.
"""

from __future__ import annotations

import copy
import threading
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tillflow_simulators.common.clock import Clock

Record = dict[str, Any]
TABLES = ("Accounts", "TaxRates", "Contacts", "Items", "Invoices", "CreditNotes", "Payments",
          "BankTransactions", "ManualJournals")


@dataclass
class Settings:
    name: str = "Corner Shop Ltd"
    legal_name: str = "Corner Shop Limited"
    base_currency: str = "EUR"
    country_code: str = "IE"
    version: str = "GLOBAL"
    timezone: str = "GMTSTANDARDTIME"
    financial_year_end_day: int = 31
    financial_year_end_month: int = 12
    short_code: str = "!cS7p1"
    # Lock dates: documents dated on or before them are refused.
    period_lock_date: date | None = None
    end_of_year_lock_date: date | None = None
    default_sales_tax: str = "Tax Exclusive"


@dataclass(frozen=True)
class Event:
    category: str  # INVOICE, CONTACT, CREDITNOTE
    kind: str  # CREATE, UPDATE
    resource_id: str
    data: dict[str, str] | None = None


@dataclass
class Books:
    tenant_id: str
    settings: Settings
    clock: Clock
    created: datetime
    tables: dict[str, dict[str, Record]] = field(
        default_factory=lambda: {name: {} for name in TABLES})
    counters: dict[str, int] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.clock.now().date()

    def table(self, name: str) -> dict[str, Record]:
        return self.tables[name]

    def insert(self, name: str, id_field: str, record: Record) -> Record:
        record.setdefault(id_field, str(uuid.uuid4()))
        record["UpdatedDateUTC"] = self.now()
        self.tables[name][record[id_field]] = record
        return record

    def touch(self, record: Record) -> None:
        record["UpdatedDateUTC"] = self.now()

    def next_number(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}{self.counters[prefix]:04d}"

    def announce(self, category: str, kind: str, resource_id: str,
                 data: dict[str, str] | None = None) -> None:
        self.events.append(Event(category, kind, resource_id, data))

    def take_events(self) -> list[Event]:
        taken, self.events = self.events, []
        return taken

    # -- all-or-nothing batches ----------------------------------------------------------

    def snapshot(self) -> tuple[dict[str, dict[str, Record]], dict[str, int], int]:
        return copy.deepcopy(self.tables), dict(self.counters), len(self.events)

    def restore(self, saved: tuple[dict[str, dict[str, Record]], dict[str, int], int]) -> None:
        self.tables, self.counters, kept = saved
        del self.events[kept:]

    # -- look-ups used across resources -----------------------------------------------------

    def account_by_code(self, code: str) -> Record | None:
        return next((a for a in self.tables["Accounts"].values() if a.get("Code") == code), None)

    def account_ref(self, ref: dict[str, Any]) -> Record | None:
        if "AccountID" in ref:
            return self.tables["Accounts"].get(ref["AccountID"])
        if "Code" in ref:
            return self.account_by_code(ref["Code"])
        return None

    def tax_rate(self, tax_type: str) -> Record | None:
        return self.tables["TaxRates"].get(tax_type)

    def lock_date_refusal(self, when: date) -> str | None:
        """Xero's refusal of a document dated on or before a lock date, if it is."""
        year_end = self.settings.end_of_year_lock_date
        period = self.settings.period_lock_date
        if year_end is not None and when <= year_end:
            return ("The document date cannot be before the end of year lock date, "
                    f"currently set at {year_end.strftime('%d-%b-%Y')}")
        if period is not None and when <= period:
            return ("The document date cannot be before the period lock date, "
                    f"currently set at {period.strftime('%d-%b-%Y')}")
        return None
