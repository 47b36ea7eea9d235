"""Delivering queued postings to each ERP connection, in order, exactly once.

A posting is a journal entry, a stock count or a product change (``erp.catalog_out``).
The head of a connection's queue goes first; while it waits for a retry, the ones behind
it wait too, so the ERP books documents in the order tillflow did. A rejected posting
becomes a dead letter and the queue moves on. Each attempt is counted before the ERP is
called; on any later attempt (a retry, a replay, a worker that died mid-call) the adapter
looks the reference up before creating anything, so a lost answer never books twice.

Entries go out stated in the store's time zone (its ``timezone`` setting, read at each
pass): books and ERPs date a document by the date its moment carries, so a sale made at
23:30 in Los Angeles is filed under that Los Angeles date, not the next UTC one.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import structlog

from tillflow.db import outbox
from tillflow.db.uow import connection_of
from tillflow.domain.accounting.entries import JournalEntry
from tillflow.domain.store import time_zone
from tillflow.erp import catalog_out, day_summary, posting_queue
from tillflow.erp.adapters import catalog_for
from tillflow.erp.codec import ProductChange, posting_from_json
from tillflow.erp.consumer import posting_connections
from tillflow.ports.accounting import (
    PER_DAY,
    AccountingPort,
    ErpCatalog,
    ErpRejected,
    ErpUnavailable,
    StockCount,
)
from tillflow.retry import RetryPolicy
from tillflow.services import connections
from tillflow.services.context import ServiceContext

log = structlog.get_logger("tillflow.erp")

LEASE = timedelta(seconds=30)
LEASE_PREFIX = "erp.poster:"
LedgerFactory = Callable[[ServiceContext, str], AccountingPort]
CatalogFactory = Callable[[ServiceContext, str], ErpCatalog]


@dataclass(frozen=True)
class Delivery:
    posted: int = 0
    dead: int = 0
    waiting: bool = False


class ErpPorts:
    """What a connection's postings go through: its books, and its catalog for product
    changes (built when the first one goes: books without products never need it)."""

    def __init__(self, books: AccountingPort, catalog: Callable[[], ErpCatalog]) -> None:
        self.books = books
        self._open_catalog = catalog
        self._catalog: ErpCatalog | None = None

    @property
    def catalog(self) -> ErpCatalog:
        if self._catalog is None:
            self._catalog = self._open_catalog()
        return self._catalog

    def close(self) -> None:
        self.books.close()
        if self._catalog is not None:
            self._catalog.close()


def deliver(ctx: ServiceContext, name: str, erp: ErpPorts, *, limit: int = 1000,
            batch: int = 20, jitter: Callable[[], float] = random.random) -> Delivery:
    """Post up to ``limit`` due postings of connection ``name``; stops at the first retry.

    Due postings go ``batch`` at a time (one ERP round trip for many documents); a batch
    the ERP refuses is tried again one posting at a time, so only the culprit is dead.
    """
    posted = dead = 0
    while posted + dead < limit:
        with ctx.uow(read_only=True) as uow:
            heads, waiting = posting_queue.due(connection_of(uow), name, now=uow.now,
                                       limit=min(batch, limit - posted - dead))
            zone = time_zone(uow.details.read().timezone)
        if not heads:
            return Delivery(posted, dead, waiting=waiting)
        heads = _same_kind(heads)
        outcome = _attempt(ctx, heads, erp, zone=zone, jitter=jitter)
        if outcome == posting_queue.DEAD and len(heads) > 1:
            # Counted once already: each single attempt looks for what the batch left.
            outcomes = [_attempt(ctx, [replace(head, attempts=head.attempts + 1)], erp,
                                 zone=zone, jitter=jitter) for head in heads]
        else:
            outcomes = [outcome] * len(heads)
        posted += outcomes.count(posting_queue.POSTED)
        dead += outcomes.count(posting_queue.DEAD)
        if posting_queue.PENDING in outcomes:
            return Delivery(posted, dead, waiting=True)
    return Delivery(posted, dead)


def _same_kind(heads: list[posting_queue.Posting]) -> list[posting_queue.Posting]:
    """The leading postings of the first one's kind (entries, stock counts or products):
    one ERP call takes one kind, and the rest wait their turn, in order."""
    kind = heads[0].entry.get("type")
    for index, head in enumerate(heads):
        if head.entry.get("type") != kind:
            return heads[:index]
    return heads


def _attempt(ctx: ServiceContext, heads: list[posting_queue.Posting], erp: ErpPorts, *,
             zone: ZoneInfo, jitter: Callable[[], float]) -> str:
    """Try postings together and record what came of them; returns their status after.

    Counted before the call, so a posting's next attempt knows the ERP may have it.
    """
    ids = [head.id for head in heads]
    with ctx.uow() as uow:
        posting_queue.begin_attempt(connection_of(uow), ids)
        uow.commit()
    payloads = [_local(posting_from_json(head.entry), zone) for head in heads]
    try:
        external = _send(ctx, heads[0].connection, erp, payloads,
                         maybe_there=any(h.attempts for h in heads))
    except ErpUnavailable as exc:
        log.warning("erp unavailable", connection=heads[0].connection,
                    reference=heads[0].reference, error=str(exc))
        with ctx.uow() as uow:
            # An ERP that is away keeps its postings in order: wait, never dead-letter.
            wait = RetryPolicy(base=1.0, cap=300.0, jitter=jitter).delay(
                heads[0].attempts + 1, retry_after=exc.retry_after)
            retry_at = uow.now + timedelta(seconds=wait)
            posting_queue.mark_retry(connection_of(uow), ids, error=str(exc), retry_at=retry_at)
            uow.commit()
        return posting_queue.PENDING
    except ErpRejected as exc:
        if len(heads) > 1:
            return posting_queue.DEAD  # the caller tries them one by one to find the culprit
        log.warning("erp rejected posting", connection=heads[0].connection,
                    reference=heads[0].reference, error=str(exc))
        with ctx.uow() as uow:
            posting_queue.mark_dead(connection_of(uow), ids[0], error=str(exc))
            uow.commit()
        return posting_queue.DEAD
    with ctx.uow() as uow:
        for head, payload in zip(heads, payloads, strict=True):
            posting_queue.mark_posted(
                connection_of(uow), head.id, now=uow.now,
                external_id=external.get(payload.reference, posting_queue.NOTHING_SENT))
        uow.commit()
    return posting_queue.POSTED


def _local(payload: JournalEntry | StockCount | ProductChange,
           zone: ZoneInfo) -> JournalEntry | StockCount | ProductChange:
    """An entry's moments in the store's offset (the same instants)."""
    if not isinstance(payload, JournalEntry):
        return payload
    source = payload.source
    if source is not None:
        source = replace(source, occurred_at=source.occurred_at.astimezone(zone))
    return replace(payload, occurred_at=payload.occurred_at.astimezone(zone), source=source)


def _send(ctx: ServiceContext, name: str, erp: ErpPorts,
          payloads: Sequence[JournalEntry | StockCount | ProductChange], *,
          maybe_there: bool) -> dict[str, str]:
    """Send postings of one kind; returns the ERP's id by reference (an entry without
    lines has nothing to send and gets none)."""
    counts = [p for p in payloads if isinstance(p, StockCount)]
    changes = [p for p in payloads if isinstance(p, ProductChange)]
    entries = [p for p in payloads if isinstance(p, JournalEntry) and p.lines]
    sent_for: Sequence[JournalEntry | StockCount | ProductChange]
    if counts:
        sent_for, sent = counts, erp.books.count_stock(counts, maybe_there=maybe_there)
    elif changes:
        sent_for, sent = changes, catalog_out.push(ctx, name, erp.catalog, changes)
    else:
        sent_for = entries
        sent = erp.books.post_entries(entries, maybe_there=maybe_there) if entries else []
    return dict(zip((item.reference for item in sent_for), sent, strict=True))


@dataclass
class PostingRunner:
    """A worker job: one pass over every books or ERP connection whose lease it holds.

    The lease (a row of the consumers' lease table, per connection) keeps one worker
    posting for a connection at a time, which is what keeps the ERP's order. Adapters are
    built once and kept open.
    """

    ctx: ServiceContext
    factory: LedgerFactory
    catalogs: CatalogFactory = catalog_for
    batch: int = 50
    owner: str = field(default_factory=lambda: uuid.uuid4().hex)
    adapters: dict[str, tuple[int, ErpPorts]] = field(default_factory=dict)

    def run_once(self) -> int:
        with self.ctx.uow(read_only=True) as uow:
            found = posting_connections(self.ctx, uow)
        return sum(self._drain(name, mode) for name, mode in found)

    def _drain(self, name: str, mode: str) -> int:
        handled = 0
        if mode == PER_DAY and self._claim(name):
            with self.ctx.uow() as uow:
                zone = time_zone(uow.details.read().timezone)
                day_summary.close_days(connection_of(uow), self.ctx.currency, name,
                                       now=uow.now, zone=zone)
                uow.commit()
        while self._claim(name):
            try:
                result = deliver(self.ctx, name, self._ports(name), limit=self.batch)
            except Exception as exc:  # a broken connection must not stop the others
                log.warning("posting pass failed", connection=name, error=str(exc))
                self._drop(name)
                return handled
            handled += result.posted + result.dead
            if result.waiting or result.posted + result.dead < self.batch:
                return handled
        return handled

    def _claim(self, name: str) -> bool:
        with self.ctx.uow() as uow:
            held = outbox.claim_consumer(connection_of(uow), name=f"{LEASE_PREFIX}{name}",
                                         owner=self.owner, now=uow.now, lease=LEASE)
            uow.commit()
        return held is not None

    def close(self) -> None:
        """Give the leases back and close the adapters (when the worker stops)."""
        with self.ctx.uow() as uow:
            for name in list(self.adapters):
                outbox.release_consumer(connection_of(uow), name=f"{LEASE_PREFIX}{name}",
                                        owner=self.owner)
            uow.commit()
        for _version, ports in self.adapters.values():
            ports.close()
        self.adapters.clear()

    def _drop(self, name: str) -> None:
        kept = self.adapters.pop(name, None)
        if kept is not None:
            kept[1].close()

    def _ports(self, name: str) -> ErpPorts:
        """The connection's adapters, built again once its settings changed (a fixed
        mapping)."""
        version = connections.get_connection(self.ctx, name).version
        kept = self.adapters.get(name)
        if kept is not None and kept[0] == version:
            return kept[1]
        if kept is not None:
            kept[1].close()
        ports = ErpPorts(self.factory(self.ctx, name), lambda: self.catalogs(self.ctx, name))
        self.adapters[name] = (version, ports)
        return ports
