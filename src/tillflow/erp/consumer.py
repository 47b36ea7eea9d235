"""The journal consumer: books every document of the events log and queues its postings.

Counts and stock adjustments are queued too, as stock counts for ERPs that keep stock,
and product changes for ERPs whose catalog follows tillflow's (``erp.catalog_out``): one
queue per connection in the events log's order, so the ERP knows a product before the
sale that sells it.
Each ERP connection posts per sale (every entry as it is booked), per shift (the
shift's entries summed into one at its close) or, for SaaS books, per day (a day's
shift entries summed once the day is over, ``erp.day_summary``); documents outside any
shift, such as web orders, still go one by one. Booking and queueing happen in one
transaction, keyed by the document's reference, so handling an event twice books and
queues nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection

from tillflow.db.uow import connection_of
from tillflow.domain.accounting.entries import JournalEntry, summarise
from tillflow.domain.money import Currency
from tillflow.erp import catalog_out, journal, posting_queue
from tillflow.erp.codec import count_json, entry_json
from tillflow.erp.journal_entries import entry_for
from tillflow.ports.accounting import PER_DAY, PER_SALE, PER_SHIFT, StockCount
from tillflow.ports.persistence import UnitOfWork
from tillflow.ports.records import StoredEvent
from tillflow.ports.registry import ACCOUNTING
from tillflow.services.context import ServiceContext

# Moves the ERP learns as the new level of a location it maps. A transfer's two halves
# are two such levels: while its units are in transit the ERP sees them at neither end.
COUNTED = frozenset({"count", "adjustment", "transfer"})
STOCK_PLATFORMS = frozenset({"tryton", "odoo"})


@dataclass(frozen=True)
class JournalConsumer:
    name: str = "accounting.journal"

    def handle(self, ctx: ServiceContext, event: StoredEvent) -> None:
        with ctx.uow() as uow:
            entry = entry_for(connection_of(uow), event, ctx.currency)
            if entry is not None and journal.save_entry(connection_of(uow), entry, ctx.currency):
                _queue(ctx, uow, entry)
            if event.type == "stock.changed" and event.data["kind"] in COUNTED:
                _queue_count(uow, event)
            if event.type in catalog_out.CATALOG_EVENTS:
                catalog_out.queue_change(ctx, uow, event)
            uow.commit()


def posting_connections(ctx: ServiceContext, uow: UnitOfWork) -> list[tuple[str, str]]:
    """(name, posting mode) of every connection whose platform keeps books (an ERP, or
    books kept in a SaaS)."""
    found = []
    for record in uow.connections.all():
        spec = ctx.connectors.get(record.platform)
        if spec is not None and ACCOUNTING in spec.ports:
            found.append((record.name, str(record.settings.get("posting", PER_SALE))))
    return found


def _queue(ctx: ServiceContext, uow: UnitOfWork, entry: JournalEntry) -> None:
    for name, mode in posting_connections(ctx, uow):
        if mode == PER_DAY and entry.shift_id is not None:
            continue  # in its day's summary (``erp.day_summary``)
        if mode == PER_SHIFT and entry.shift_id is not None:
            if entry.kind != "shift_close":
                continue
            entry_to_post = shift_summary(connection_of(uow), ctx.currency, entry)
        else:
            entry_to_post = entry
        posting_queue.enqueue(connection_of(uow), name=name, reference=entry_to_post.reference,
                      entry=entry_json(entry_to_post, ctx.currency), now=uow.now)


def _queue_count(uow: UnitOfWork, event: StoredEvent) -> None:
    """A count or adjustment, for each ERP that keeps stock at a location it maps (or,
    mapping none, for a store with one location: the ERP's warehouse)."""
    data = event.data
    count = StockCount(reference=f"stock:{event.seq}", sku=data["sku"],
                       location=data["location"], on_hand=Decimal(str(data["on_hand"])),
                       occurred_at=event.occurred_at)
    single = None
    for record in uow.connections.all():
        if record.platform not in STOCK_PLATFORMS:
            continue
        mapped = record.settings.get("locations") or {}
        if not mapped:
            single = len(uow.locations.all()) == 1 if single is None else single
        if count.location in mapped or (not mapped and single):
            posting_queue.enqueue(connection_of(uow), name=record.name, reference=count.reference,
                          entry=count_json(count), now=uow.now)


def shift_summary(connection: Connection, currency: Currency,
                  close: JournalEntry) -> JournalEntry:
    assert close.shift_id is not None
    booked = journal.entries(connection, currency, shift_id=close.shift_id)
    return summarise(booked, reference=f"shift-summary:{close.shift_id}",
                     document_number=close.shift_id, occurred_at=close.occurred_at,
                     description=f"tillflow shift {close.shift_id} summary",
                     shift_id=close.shift_id)
