"""The outbox: events written in the changing transaction, sequenced after commit.

Writers only insert rows (no shared counter, so they never queue behind each other).
The sequencer gives committed rows their gap-free ``seq`` under one row lock, in the
order they became visible. Two writers touching the same row are serialised by that
row's lock and the later one inserts its events after the earlier one committed, so
per-SKU order is kept. A reader that sequences before reading never misses a row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, func, insert, or_, select, update

from tillflow.db.dialects import insert_for
from tillflow.db.tables import event_consumers, event_sequence, events
from tillflow.domain.events import Event
from tillflow.ports.records import StoredEvent

SEQUENCE_BATCH = 5000


_APPEND = insert(events)


def append(connection: Connection, batch: Sequence[Event], occurred_at: datetime) -> None:
    if batch:
        connection.execute(
            _APPEND,
            [{"type": e.type, "data": e.data, "occurred_at": occurred_at} for e in batch],
        )


def has_unsequenced(connection: Connection) -> bool:
    row = connection.execute(select(events.c.id).where(events.c.seq.is_(None)).limit(1)).first()
    return row is not None


def sequence_pending(connection: Connection) -> int:
    """Give committed, unsequenced events their seq; returns how many got one.

    Call inside its own short transaction and commit right after.
    """
    last = connection.execute(
        update(event_sequence)
        .where(event_sequence.c.id == 1)
        .values(last_seq=event_sequence.c.last_seq)
        .returning(event_sequence.c.last_seq)
    ).scalar_one()
    pending = connection.execute(
        select(events.c.id).where(events.c.seq.is_(None)).order_by(events.c.id)
        .limit(SEQUENCE_BATCH)
    ).scalars().all()
    if not pending:
        return 0
    connection.execute(
        update(events).where(events.c.id == bindparam("row_id")).values(seq=bindparam("new_seq")),
        [{"row_id": row_id, "new_seq": last + n} for n, row_id in enumerate(pending, start=1)],
    )
    connection.execute(
        update(event_sequence).where(event_sequence.c.id == 1)
        .values(last_seq=last + len(pending))
    )
    return len(pending)


def read_after(connection: Connection, after: int, limit: int) -> list[StoredEvent]:
    rows = connection.execute(
        select(events.c.seq, events.c.type, events.c.occurred_at, events.c.data)
        .where(events.c.seq > after).order_by(events.c.seq).limit(limit)
    ).all()
    return [StoredEvent(seq=r.seq, type=r.type, occurred_at=r.occurred_at, data=r.data)
            for r in rows]


def last_seq(connection: Connection) -> int:
    return int(connection.execute(select(func.coalesce(func.max(events.c.seq), 0))).scalar_one())


def consumer_position(connection: Connection, name: str) -> int:
    position = connection.execute(
        select(event_consumers.c.last_seq).where(event_consumers.c.name == name)
    ).scalar_one_or_none()
    return int(position or 0)


def claim_consumer(connection: Connection, *, name: str, owner: str, now: datetime,
                   lease: timedelta) -> int | None:
    """Take (or renew) a consumer's lease; its cursor, or None while another worker holds it."""
    connection.execute(
        insert_for(connection, event_consumers).values(name=name, last_seq=0, updated_at=now)
        .on_conflict_do_nothing()
    )
    position = connection.execute(
        update(event_consumers)
        .where(event_consumers.c.name == name,
               or_(event_consumers.c.lease_owner.is_(None),
                   event_consumers.c.lease_owner == owner,
                   event_consumers.c.lease_until < now))
        .values(lease_owner=owner, lease_until=now + lease)
        .returning(event_consumers.c.last_seq)
    ).scalar_one_or_none()
    return None if position is None else int(position)


def advance_consumer(connection: Connection, *, name: str, owner: str, seq: int,
                     now: datetime) -> bool:
    """Move the cursor forward (never back) if ``owner`` still holds the lease."""
    moved = connection.execute(
        update(event_consumers)
        .where(event_consumers.c.name == name, event_consumers.c.lease_owner == owner,
               event_consumers.c.last_seq < seq)
        .values(last_seq=seq, last_error=None, updated_at=now)
    ).rowcount
    return bool(moved)


def record_consumer_error(connection: Connection, *, name: str, owner: str, error: str,
                          now: datetime) -> None:
    connection.execute(
        update(event_consumers)
        .where(event_consumers.c.name == name, event_consumers.c.lease_owner == owner)
        .values(last_error=error[:2000], updated_at=now)
    )


def release_consumer(connection: Connection, *, name: str, owner: str) -> None:
    connection.execute(
        update(event_consumers)
        .where(event_consumers.c.name == name, event_consumers.c.lease_owner == owner)
        .values(lease_owner=None, lease_until=None)
    )


class EventLogRepository:
    """The events log as the services read it; workers use the module's functions."""

    sequence_batch = SEQUENCE_BATCH

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def has_unsequenced(self) -> bool:
        return has_unsequenced(self._connection)

    def sequence_pending(self) -> int:
        return sequence_pending(self._connection)

    def read_after(self, after: int, limit: int) -> list[StoredEvent]:
        return read_after(self._connection, after, limit)
