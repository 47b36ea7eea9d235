"""Gap-free document numbers and idempotency keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select, update

from tillflow.db.dialects import insert_for
from tillflow.db.tables import document_sequences, idempotency_keys
from tillflow.ports.records import StoredKey

_TAKE_NUMBER = (
    update(document_sequences)
    .where(document_sequences.c.key == bindparam("sequence"))
    .values(last_value=document_sequences.c.last_value + 1)
    .returning(document_sequences.c.last_value)
)
_CLAIM_KEY = insert(idempotency_keys)


def next_number(connection: Connection, key: str) -> int:
    """Take the next number of a sequence inside the caller's transaction.

    The counter row is locked until commit; a rolled-back transaction gives its number
    back, so numbers have no gaps. Callers take it last to hold the lock briefly.
    """
    value = connection.execute(_TAKE_NUMBER, {"sequence": key}).scalar_one_or_none()
    if value is None:
        connection.execute(
            insert_for(connection, document_sequences).values(key=key, last_value=0)
            .on_conflict_do_nothing()
        )
        value = connection.execute(_TAKE_NUMBER, {"sequence": key}).scalar_one()
    return int(value)


def claim_key(connection: Connection, *, scope: str, key: str, request_hash: str,
              resource_id: str, now: datetime) -> None:
    """Insert the key; a duplicate raises IntegrityError (the unique key decides, not a read)."""
    connection.execute(_CLAIM_KEY, {"scope": scope, "key": key, "request_hash": request_hash,
                                    "resource_id": resource_id, "created_at": now})


def find_key(connection: Connection, *, scope: str, key: str) -> StoredKey | None:
    row = connection.execute(
        select(idempotency_keys.c.request_hash, idempotency_keys.c.resource_id).where(
            idempotency_keys.c.scope == scope, idempotency_keys.c.key == key
        )
    ).first()
    return StoredKey(row.request_hash, row.resource_id) if row else None


class NumberRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def next(self, series: str) -> int:
        """The next number of ``series``, gap-free (see ``next_number``)."""
        return next_number(self._connection, series)


class IdempotencyKeyRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def claim(self, *, scope: str, key: str, request_hash: str, resource_id: str,
              now: datetime) -> None:
        """Take the key for ``resource_id``; a key taken before raises ``DuplicateRecord``."""
        claim_key(self._connection, scope=scope, key=key, request_hash=request_hash,
                  resource_id=resource_id, now=now)

    def find(self, *, scope: str, key: str) -> StoredKey | None:
        return find_key(self._connection, scope=scope, key=key)
