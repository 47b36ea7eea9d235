"""One QuickBooks Online company (realm): its entities as Intuit's JSON names them, with
``Id``, ``SyncToken`` and ``MetaData`` kept as Intuit keeps them.

Ids are numbers written as strings, counted per entity; ``SyncToken`` starts at ``"0"``
and grows by one with each change. Everything a request changes is changed under
``lock``; ``events`` gathers what webhooks will announce.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tillflow_simulators.common.clock import Clock

Entity = dict[str, Any]
# The path segment of each entity modelled, and its name.
ENTITIES = {"account": "Account", "taxcode": "TaxCode", "taxrate": "TaxRate", "item": "Item",
            "customer": "Customer", "salesreceipt": "SalesReceipt",
            "refundreceipt": "RefundReceipt", "creditmemo": "CreditMemo",
            "invoice": "Invoice", "payment": "Payment", "deposit": "Deposit",
            "journalentry": "JournalEntry", "companyinfo": "CompanyInfo",
            "paymentmethod": "PaymentMethod", "preferences": "Preferences"}


@dataclass
class CompanySettings:
    name: str = "Corner Shop Ltd"
    legal_name: str = "Corner Shop Limited"
    country: str = "GB"
    currency: str = "GBP"
    email: str = "books@cornershop.example"
    # Refuse a second transaction of one type with the same DocNumber (a company
    # preference in QuickBooks; the till counts on it to find its own documents).
    unique_doc_numbers: bool = True


@dataclass(frozen=True)
class Change:
    name: str  # "Invoice"
    entity_id: str
    operation: str  # Create, Update, Delete, Void
    when: datetime


@dataclass
class Company:
    realm_id: str
    settings: CompanySettings
    clock: Clock
    tables: dict[str, dict[str, Entity]] = field(
        default_factory=lambda: {name: {} for name in ENTITIES.values()})
    counters: dict[str, int] = field(default_factory=dict)
    deleted: set[tuple[str, str]] = field(default_factory=set)
    events: list[Change] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.clock.now().date()

    def stamp(self) -> str:
        return self.now().isoformat(timespec="seconds")

    def table(self, name: str) -> dict[str, Entity]:
        return self.tables[name]

    def get(self, name: str, entity_id: str) -> Entity | None:
        return self.tables[name].get(str(entity_id))

    def insert(self, name: str, entity: Entity) -> Entity:
        self.counters[name] = self.counters.get(name, 0) + 1
        entity_id = str(self.counters[name])
        stamp = self.stamp()
        entity.update(Id=entity_id, SyncToken="0", domain="QBO", sparse=False,
                      MetaData={"CreateTime": stamp, "LastUpdatedTime": stamp})
        self.tables[name][entity_id] = entity
        self.events.append(Change(name, entity_id, "Create", self.now()))
        return entity

    def bump(self, name: str, entity: Entity, operation: str = "Update") -> None:
        entity["SyncToken"] = str(int(entity["SyncToken"]) + 1)
        entity["MetaData"] = {**entity["MetaData"], "LastUpdatedTime": self.stamp()}
        self.events.append(Change(name, entity["Id"], operation, self.now()))

    def remove(self, name: str, entity: Entity) -> None:
        del self.tables[name][entity["Id"]]
        self.deleted.add((name, entity["Id"]))
        self.events.append(Change(name, entity["Id"], "Delete", self.now()))

    def take_events(self) -> list[Change]:
        taken, self.events = self.events, []
        return taken
