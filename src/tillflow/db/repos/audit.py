"""The audit trail: records appended to one hash chain, and read back in order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, func, insert, select, update

from tillflow.db.dialects import insert_for
from tillflow.db.tables_controls import audit_head, audit_log
from tillflow.domain.audit import GENESIS, AuditEntry, AuditRecord, chained

_HEAD = 1


def append(connection: Connection, entries: Sequence[AuditEntry], now: datetime) -> None:
    """Chain ``entries`` after the head, in the caller's transaction.

    The head row is locked until the transaction ends, so concurrent writers queue here
    and each chains after the one that committed before it. Called last, at commit, so
    the lock is held only for a moment.
    """
    if not entries:
        return
    seq, last_hash = _lock_head(connection)
    records = chained(entries, after_seq=seq, after_hash=last_hash, occurred_at=now)
    connection.execute(insert(audit_log), [
        {"seq": r.seq, "occurred_at": r.occurred_at, "actor": r.actor, "act": r.act,
         "subject": r.subject, "content": r.content, "prev_hash": r.prev_hash,
         "hash": r.hash} for r in records])
    connection.execute(update(audit_head).where(audit_head.c.id == _HEAD)
                       .values(last_seq=records[-1].seq, last_hash=records[-1].hash))


def _lock_head(connection: Connection) -> tuple[int, str]:
    query = select(audit_head.c.last_seq, audit_head.c.last_hash) \
        .where(audit_head.c.id == _HEAD).with_for_update()
    row = connection.execute(query).first()
    if row is None:  # a database whose head row was removed starts the chain again
        connection.execute(insert_for(connection, audit_head)
                           .values(id=_HEAD, last_seq=0, last_hash=GENESIS)
                           .on_conflict_do_nothing())
        row = connection.execute(query).one()
    return int(row.last_seq), str(row.last_hash)


class AuditRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def page(self, *, after: int, limit: int) -> list[AuditRecord]:
        rows = self._connection.execute(
            select(audit_log).where(audit_log.c.seq > after).order_by(audit_log.c.seq)
            .limit(limit))
        return [AuditRecord(seq=r.seq, occurred_at=r.occurred_at, actor=r.actor, act=r.act,
                            subject=r.subject, content=r.content, prev_hash=r.prev_hash,
                            hash=r.hash) for r in rows]

    def head(self) -> tuple[int, str, int]:
        # One statement, so the head and the stored records are seen at the same moment.
        stored = select(func.coalesce(func.max(audit_log.c.seq), 0)).scalar_subquery()
        row = self._connection.execute(
            select(audit_head.c.last_seq, audit_head.c.last_hash, stored.label("stored"))
            .where(audit_head.c.id == _HEAD)).first()
        if row is None:
            return 0, GENESIS, int(self._connection.execute(select(stored)).scalar_one())
        return int(row.last_seq), str(row.last_hash), int(row.stored)
