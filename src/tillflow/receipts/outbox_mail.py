"""The ``receipt_emails`` rows: who gets which sale's receipt, and how sending went.

An attempt is claimed with a compare-and-set (``pending`` with n attempts -> ``sending``
with n+1) and committed before the mail server is contacted, so two workers never send
the same receipt; it is marked ``sent`` after. A process that dies between the two
leaves the row ``sending``: nobody can know whether the server took the message, and
tillflow chooses never to send a receipt twice over always sending it. Once such a row
is older than any attempt can last it becomes ``unconfirmed`` (for a person to check) and
is not sent again. Only a crash lands there: any error the sender sees puts the row back
to ``pending`` (or ``failed`` when retrying is over).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Connection, select, update

from tillflow.db.dialects import insert_for
from tillflow.db.tables_receipts import receipt_emails

Status = Literal["pending", "sending", "sent", "failed", "unconfirmed"]
CRASHED_MID_SEND = "the process stopped while sending; not sent again to avoid a duplicate"
table = receipt_emails.c


@dataclass(frozen=True, kw_only=True)
class ReceiptEmail:
    sale_id: str
    recipient: str
    status: Status
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    sent_at: datetime | None

    def due(self, now: datetime) -> bool:
        return self.status == "pending" and (self.next_attempt_at or now) <= now


def ensure(connection: Connection, *, sale_id: str, recipient: str, now: datetime) -> None:
    """The row for ``sale_id``; the primary key makes a second insert a no-op."""
    statement = insert_for(connection, receipt_emails).values(
        sale_id=sale_id, recipient=recipient, status="pending", attempts=0,
        created_at=now, updated_at=now,
    ).on_conflict_do_nothing(index_elements=["sale_id"])
    connection.execute(statement)


def request(connection: Connection, *, sale_id: str, recipient: str,
            now: datetime) -> ReceiptEmail:
    """A receipt asked for at the till: due at once, for the worker's next round. The
    row already there (asked for before, or the customer's own address) is returned."""
    statement = insert_for(connection, receipt_emails).values(
        sale_id=sale_id, recipient=recipient, status="pending", attempts=0,
        created_at=now, updated_at=now, next_attempt_at=now,
    ).on_conflict_do_nothing(index_elements=["sale_id"])
    connection.execute(statement)
    found = get(connection, sale_id)
    assert found is not None
    return found


def get(connection: Connection, sale_id: str) -> ReceiptEmail | None:
    row = connection.execute(select(receipt_emails).where(table.sale_id == sale_id)).first()
    if row is None:
        return None
    return ReceiptEmail(sale_id=row.sale_id, recipient=row.recipient, status=row.status,
                        attempts=row.attempts, last_error=row.last_error,
                        next_attempt_at=row.next_attempt_at, sent_at=row.sent_at)


def due(connection: Connection, *, now: datetime, limit: int) -> list[str]:
    """Sale ids of receipts waiting for a retry whose time has come, oldest first."""
    return list(connection.execute(
        select(table.sale_id)
        .where(table.status == "pending", table.next_attempt_at <= now)
        .order_by(table.next_attempt_at, table.sale_id).limit(limit)
    ).scalars())


def claim(connection: Connection, row: ReceiptEmail, *, now: datetime) -> bool:
    """Take the next attempt of ``row``; False if another worker took it first."""
    taken = connection.execute(
        update(receipt_emails)
        .where(table.sale_id == row.sale_id, table.status == "pending",
               table.attempts == row.attempts)
        .values(status="sending", attempts=row.attempts + 1, updated_at=now)
    )
    return taken.rowcount == 1


def finish(connection: Connection, sale_id: str, *, status: Status, now: datetime,
           error: str | None = None, next_attempt_at: datetime | None = None) -> None:
    connection.execute(
        update(receipt_emails).where(table.sale_id == sale_id).values(
            status=status, updated_at=now, last_error=error, next_attempt_at=next_attempt_at,
            sent_at=now if status == "sent" else None,
        )
    )


def mark_unconfirmed(connection: Connection, *, sending_before: datetime,
                     now: datetime) -> int:
    """Rows left ``sending`` by a process that died mid-send; returns how many."""
    return connection.execute(
        update(receipt_emails)
        .where(table.status == "sending", table.updated_at < sending_before)
        .values(status="unconfirmed", updated_at=now, last_error=CRASHED_MID_SEND)
    ).rowcount
