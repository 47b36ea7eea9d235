"""Work queues in tables: outbound deliveries and the inbound webhook inbox.

Workers claim due rows with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite has one
writer and ignores it) and hold them by a lease, so a worker that dies mid-batch leaves
its rows to the next one once the lease runs out. Deliveries with the same ``key`` are
claimed one at a time, oldest first; other keys are not held up.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Table,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    update,
)

from tillflow.db.dialects import insert_for
from tillflow.db.tables_sync import sync_deliveries, sync_inbox
from tillflow.domain.card_data import mask_card_numbers
from tillflow.ports.commerce import WebhookMessage

PENDING, DONE, DEAD, IGNORED = "pending", "done", "dead", "ignored"
# Dead letters of what came in: a web order tillflow could not record (replayed by
# fetching and applying it again), and a webhook body that could not be read.
WEB_ORDER, WEBHOOK = "web_order", "webhook"


@dataclass(frozen=True)
class Delivery:
    id: int
    connection: str
    kind: str
    key: str
    event_seq: int
    payload: dict[str, Any]
    attempts: int
    created_at: datetime


@dataclass(frozen=True)
class InboxItem:
    id: int
    connection: str
    delivery_id: str
    topic: str
    kind: str
    external_id: str | None
    attempts: int


def enqueue(connection: Connection, rows: list[dict[str, Any]], *, now: datetime) -> None:
    if not rows:
        return
    values = [{**row, "status": PENDING, "attempts": 0, "next_attempt_at": now,
               "created_at": now, "updated_at": now} for row in rows]
    connection.execute(insert_for(connection, sync_deliveries).values(values)
                       .on_conflict_do_nothing())


def claim_deliveries(connection: Connection, *, owner: str, now: datetime, lease: timedelta,
                     limit: int, first: Sequence[str] = (), kinds: Sequence[str] = (),
                     other_than: Sequence[str] = ()) -> list[Delivery]:
    """Due rows at the head of their key, oldest first except kinds in ``first``; only
    ``kinds`` when given, never ``other_than``."""
    d = sync_deliveries
    earlier = d.alias("earlier")
    blocked = exists().where(earlier.c.connection == d.c.connection, earlier.c.key == d.c.key,
                             earlier.c.status == PENDING, earlier.c.id < d.c.id)
    urgent = case((d.c.kind.in_(first), 0), else_=1) if first else literal(1)
    wanted = select(d).where(_due(d, now), ~blocked)
    if kinds:
        wanted = wanted.where(d.c.kind.in_(kinds))
    if other_than:
        wanted = wanted.where(d.c.kind.not_in(other_than))
    rows = connection.execute(
        wanted.order_by(urgent, d.c.id).limit(limit).with_for_update(skip_locked=True, of=d)
    ).all()
    _lease(connection, d, [r.id for r in rows], owner=owner, until=now + lease)
    return [Delivery(id=r.id, connection=r.connection, kind=r.kind, key=r.key,
                     event_seq=r.event_seq, payload=r.payload, attempts=r.attempts,
                     created_at=r.created_at) for r in rows]


def claim_inbox(connection: Connection, *, owner: str, now: datetime, lease: timedelta,
                limit: int) -> list[InboxItem]:
    rows = connection.execute(
        select(sync_inbox).where(_due(sync_inbox, now)).order_by(sync_inbox.c.id).limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    _lease(connection, sync_inbox, [r.id for r in rows], owner=owner, until=now + lease)
    return [InboxItem(id=r.id, connection=r.connection, delivery_id=r.delivery_id,
                      topic=r.topic, kind=r.kind, external_id=r.external_id,
                      attempts=r.attempts) for r in rows]


def _due(table: Table, now: datetime) -> Any:
    return and_(table.c.status == PENDING, table.c.next_attempt_at <= now,
                or_(table.c.lease_until.is_(None), table.c.lease_until < now))


def _lease(connection: Connection, table: Table, ids: list[int], *, owner: str,
           until: datetime) -> None:
    if ids:
        connection.execute(update(table).where(table.c.id.in_(ids))
                           .values(lease_owner=owner, lease_until=until))


def finish(connection: Connection, table: Table, row_id: int, *, status: str,
           now: datetime, error: str | None = None) -> None:
    values: dict[str, Any] = {"status": status, "lease_owner": None, "lease_until": None,
                              "last_error": error}
    values["updated_at" if table is sync_deliveries else "applied_at"] = now
    connection.execute(update(table).where(table.c.id == row_id).values(**values))


def retry_later(connection: Connection, table: Table, row_id: int, *, at: datetime,
                error: str, dead: bool, now: datetime) -> None:
    values: dict[str, Any] = {
        "status": DEAD if dead else PENDING, "attempts": table.c.attempts + 1,
        "next_attempt_at": at, "lease_owner": None, "lease_until": None, "last_error": error,
    }
    if table is sync_deliveries:
        values["updated_at"] = now
    connection.execute(update(table).where(table.c.id == row_id).values(**values))


def supersede(connection: Connection, *, delivery: Delivery, read_at: datetime,
              now: datetime) -> int:
    """Stock rows of the same key and payload (the same SKU at the same location) queued
    before ``read_at`` were covered by that read; a row of the SKU at another location
    was not."""
    d = sync_deliveries
    covered = [row.id for row in connection.execute(
        select(d.c.id, d.c.payload).where(
            d.c.connection == delivery.connection, d.c.key == delivery.key,
            d.c.kind == delivery.kind, d.c.status == PENDING, d.c.id > delivery.id,
            d.c.created_at <= read_at, d.c.lease_until.is_(None)))
        if row.payload == delivery.payload]
    if not covered:
        return 0
    return connection.execute(
        update(d).where(d.c.id.in_(covered), d.c.status == PENDING,
                        d.c.lease_until.is_(None))
        .values(status=DONE, updated_at=now, last_error=None)
    ).rowcount


def cover(connection: Connection, *, name: str, kind: str, keys: Sequence[str],
          besides: int, read_at: datetime, now: datetime) -> int:
    """Rows of ``keys`` waiting (not held by a worker) since before ``read_at`` were
    covered by what was read then, and are done; row ``besides`` is the one at work."""
    d = sync_deliveries
    if not keys:
        return 0
    return connection.execute(
        update(d).where(d.c.connection == name, d.c.kind == kind, d.c.key.in_(list(keys)),
                        d.c.status == PENDING, d.c.id != besides, d.c.created_at <= read_at,
                        d.c.lease_until.is_(None))
        .values(status=DONE, updated_at=now, last_error=None)
    ).rowcount


def store_webhook(connection: Connection, *, connection_name: str, message: WebhookMessage,
                  body: bytes, status: str, now: datetime) -> bool:
    """Keep a webhook once; False when this delivery id, or this topic with this very
    body, was seen before."""
    digest = hashlib.sha256(message.topic.encode() + b"\n" + body).hexdigest()
    result = connection.execute(
        insert_for(connection, sync_inbox).values(
            connection=connection_name, delivery_id=message.delivery_id, topic=message.topic,
            kind=message.kind, external_id=message.external_id,
            # Kept for the record only (the worker reads the platform): a card number a
            # buyer typed into a note is masked before it is stored.
            body=mask_card_numbers(body.decode("utf-8", "replace")), body_digest=digest,
            status=status, attempts=0, next_attempt_at=now, received_at=now,
            applied_at=now if status != PENDING else None,
        ).on_conflict_do_nothing().returning(sync_inbox.c.id)
    ).first()
    return result is not None


def dead_letters(connection: Connection, name: str, *, after: int | None = None,
                 limit: int = 100) -> list[dict[str, Any]]:
    """Dead letters in the order they were first queued, after row ``after``."""
    d = sync_deliveries
    query = (select(d.c.id, d.c.kind, d.c.key, d.c.event_seq, d.c.payload, d.c.attempts,
                    d.c.last_error, d.c.updated_at)
             .where(d.c.connection == name, d.c.status == DEAD).order_by(d.c.id).limit(limit))
    if after is not None:
        query = query.where(d.c.id > after)
    return [{"id": r.id, "kind": r.kind, "key": r.key, "event_seq": r.event_seq,
             "external_id": r.payload.get("external_id") if r.kind in (WEB_ORDER, WEBHOOK)
             else None,
             "reason": r.last_error,
             "attempts": r.attempts, "last_error": r.last_error,
             "failed_at": r.updated_at.isoformat()} for r in connection.execute(query)]


def dead_letter(connection: Connection, name: str, *, kind: str, key: str,
                payload: dict[str, Any], reason: str, now: datetime) -> None:
    """One dead letter per ``key``: a second failure of the same order (or body) updates
    the one there rather than adding another."""
    d = sync_deliveries
    values = {"status": DEAD, "payload": payload, "last_error": reason,
              "lease_owner": None, "lease_until": None, "updated_at": now}
    found = connection.execute(
        select(d.c.id).where(d.c.connection == name, d.c.kind == kind, d.c.key == key,
                             d.c.status.in_([DEAD, PENDING])).limit(1)).scalar_one_or_none()
    if found is not None:
        connection.execute(update(d).where(d.c.id == found)
                           .values(attempts=d.c.attempts + 1, **values))
        return
    connection.execute(insert_for(connection, d).values(
        connection=name, kind=kind, key=key, event_seq=-time.time_ns(), attempts=1,
        next_attempt_at=now, created_at=now, **values).on_conflict_do_nothing())


def settle_order(connection: Connection, name: str, external_id: str, *,
                 now: datetime) -> int:
    """A web order was applied: any dead letter it left is done with."""
    d = sync_deliveries
    return connection.execute(
        update(d).where(d.c.connection == name, d.c.kind == WEB_ORDER,
                        d.c.key == order_key(external_id), d.c.status == DEAD)
        .values(status=DONE, updated_at=now)).rowcount


def dead_order_version(connection: Connection, name: str, external_id: str) -> str | None:
    d = sync_deliveries
    payload = connection.execute(
        select(d.c.payload).where(d.c.connection == name, d.c.kind == WEB_ORDER,
                                  d.c.key == order_key(external_id), d.c.status == DEAD)
        .limit(1)).scalar_one_or_none()
    version = (payload or {}).get("version")
    return None if version is None else str(version)


def order_key(external_id: str) -> str:
    return f"order:{external_id}"


def replay(connection: Connection, name: str, *, ids: list[int] | None,
           now: datetime) -> int:
    d = sync_deliveries
    where = [d.c.connection == name, d.c.status == DEAD]
    if ids is not None:
        where.append(d.c.id.in_(ids))
    return connection.execute(
        update(d).where(*where).values(status=PENDING, attempts=0, next_attempt_at=now,
                                       updated_at=now)
    ).rowcount


@dataclass(frozen=True)
class QueueFigures:
    pending: int
    failed: int
    retrying: int
    oldest_pending: datetime | None
    last_error: str | None


def figures(connection: Connection, name: str) -> QueueFigures:
    d = sync_deliveries
    counts: dict[str, int] = {str(status): int(n) for status, n in connection.execute(
        select(d.c.status, func.count()).where(d.c.connection == name,
                                               d.c.status.in_([PENDING, DEAD]))
        .group_by(d.c.status)
    ).all()}
    inbox_pending = connection.execute(
        select(func.count()).select_from(sync_inbox)
        .where(sync_inbox.c.connection == name, sync_inbox.c.status == PENDING)
    ).scalar_one()
    retrying = connection.execute(
        select(func.count()).select_from(d)
        .where(d.c.connection == name, d.c.status == PENDING, d.c.attempts > 0)
    ).scalar_one()
    oldest = connection.execute(
        select(func.min(d.c.created_at)).where(d.c.connection == name, d.c.status == PENDING)
    ).scalar_one()
    error = connection.execute(
        select(d.c.last_error).where(d.c.connection == name, d.c.last_error.is_not(None),
                                     d.c.status.in_([PENDING, DEAD]))
        .order_by(d.c.updated_at.desc()).limit(1)
    ).scalar_one_or_none()
    return QueueFigures(pending=int(counts.get(PENDING, 0)) + int(inbox_pending),
                        failed=int(counts.get(DEAD, 0)), retrying=int(retrying),
                        oldest_pending=oldest, last_error=error)


def waiting(connection: Connection, name: str, kind: str, keys: Sequence[str], *,
            before: int) -> bool:
    """Whether a ``kind`` delivery with one of ``keys`` queued before row ``before`` is
    still due."""
    d = sync_deliveries
    found = connection.execute(
        select(d.c.id).where(d.c.connection == name, d.c.kind == kind,
                             d.c.key.in_(list(keys)), d.c.status == PENDING,
                             d.c.id < before).limit(1)).first()
    return found is not None
