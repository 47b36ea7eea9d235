"""Postings waiting for an ERP connection, in order, with retries and dead letters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from tillflow.db.tables_accounting import erp_postings

PENDING = "pending"
POSTED = "posted"
DEAD = "dead"
# The external id of a posting that had nothing to send (an entry without lines, a product
# whose catalog the ERP masters by the time it goes).
NOTHING_SENT = "-"


@dataclass(frozen=True)
class Posting:
    id: int
    connection: str
    reference: str
    entry: dict[str, Any]
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    external_id: str | None


def enqueue(connection: Connection, *, name: str, reference: str, entry: dict[str, Any],
            now: datetime) -> None:
    """Queue a posting once per (connection, document); a second call changes nothing."""
    exists = connection.execute(select(erp_postings.c.id).where(
        erp_postings.c.connection == name, erp_postings.c.reference == reference)).first()
    if exists is None:
        connection.execute(erp_postings.insert().values(
            connection=name, reference=reference, entry=entry, status=PENDING, attempts=0,
            next_attempt_at=now, created_at=now))


def next_pending(connection: Connection, name: str) -> Posting | None:
    """The oldest posting still to go: later ones wait for it, so the ERP sees them in order."""
    row = connection.execute(
        select(erp_postings)
        .where(erp_postings.c.connection == name, erp_postings.c.status == PENDING)
        .order_by(erp_postings.c.id).limit(1)
    ).first()
    return None if row is None else Posting(**{k: row._mapping[k] for k in _FIELDS})


_FIELDS = ("id", "connection", "reference", "entry", "status", "attempts", "next_attempt_at",
           "last_error", "external_id")


def due(connection: Connection, name: str, *, now: datetime,
        limit: int) -> tuple[list[Posting], bool]:
    """The oldest postings still to go, up to the first one waiting for its retry time.

    Returns them and whether anything is left waiting: later postings never overtake an
    earlier one, so the ERP sees them in order.
    """
    rows = connection.execute(
        select(erp_postings)
        .where(erp_postings.c.connection == name, erp_postings.c.status == PENDING)
        .order_by(erp_postings.c.id).limit(limit + 1)
    ).all()
    found: list[Posting] = []
    for row in rows:
        posting = Posting(**{k: row._mapping[k] for k in _FIELDS})
        if posting.next_attempt_at > now:
            return found, True
        found.append(posting)
    return found[:limit], False


def begin_attempt(connection: Connection, posting_ids: list[int]) -> None:
    """Count an attempt before the ERP is called: a later attempt then knows the document
    may have reached the ERP (a lost answer, a crash) and looks it up before creating it."""
    connection.execute(update(erp_postings).where(erp_postings.c.id.in_(posting_ids)).values(
        attempts=erp_postings.c.attempts + 1))


def mark_posted(connection: Connection, posting_id: int, *, external_id: str,
                now: datetime) -> None:
    connection.execute(update(erp_postings).where(erp_postings.c.id == posting_id).values(
        status=POSTED, external_id=external_id, posted_at=now, last_error=None))


def mark_retry(connection: Connection, posting_ids: list[int], *, error: str,
               retry_at: datetime) -> None:
    connection.execute(update(erp_postings).where(erp_postings.c.id.in_(posting_ids)).values(
        last_error=error[:2000], next_attempt_at=retry_at))


def mark_dead(connection: Connection, posting_id: int, *, error: str) -> None:
    connection.execute(update(erp_postings).where(erp_postings.c.id == posting_id).values(
        status=DEAD, last_error=error[:2000]))


def replay(connection: Connection, *, name: str, posting_id: int, now: datetime) -> bool:
    """Put a dead letter back in the queue; False when there is no such dead letter."""
    moved = connection.execute(update(erp_postings).where(
        erp_postings.c.id == posting_id, erp_postings.c.connection == name,
        erp_postings.c.status == DEAD,
    ).values(status=PENDING, next_attempt_at=now))
    return moved.rowcount == 1


def listing(connection: Connection, *, name: str, status: str | None,
            limit: int) -> list[Posting]:
    query = select(erp_postings).where(erp_postings.c.connection == name)
    if status is not None:
        query = query.where(erp_postings.c.status == status)
    rows = connection.execute(query.order_by(erp_postings.c.id).limit(limit)).all()
    return [Posting(**{k: row._mapping[k] for k in _FIELDS}) for row in rows]


@dataclass(frozen=True)
class QueueHealth:
    pending: int
    dead: int
    posted: int
    oldest_pending: datetime | None
    last_error: str | None
    retrying: bool


def health(connection: Connection, name: str) -> QueueHealth:
    mine = erp_postings.c.connection == name
    counts: dict[str, int] = dict(connection.execute(
        select(erp_postings.c.status, func.count()).where(mine).group_by(erp_postings.c.status)
    ).all())
    head = next_pending(connection, name)
    oldest = None if head is None else connection.execute(
        select(erp_postings.c.created_at).where(erp_postings.c.id == head.id)).scalar_one()
    return QueueHealth(
        pending=int(counts.get(PENDING, 0)), dead=int(counts.get(DEAD, 0)),
        posted=int(counts.get(POSTED, 0)), oldest_pending=oldest,
        last_error=head.last_error if head else None,
        retrying=head is not None and head.attempts > 0,
    )
