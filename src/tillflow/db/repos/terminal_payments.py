"""The card payment a register's terminal is waiting on, if any."""

from __future__ import annotations

from sqlalchemy import Connection, select

from tillflow.db.repos.payments import PaymentRow
from tillflow.db.tables_payments import payments


def waiting_payment(connection: Connection, register: str) -> PaymentRow | None:
    """The register's newest terminal payment that no sale took and is not settled yet."""
    c = payments.c
    found = connection.execute(
        select(payments).where(c.register == register, c.terminal.is_not(None),
                               c.sale_id.is_(None), c.status.in_(["pending", "unknown"]))
        .order_by(c.created_at.desc()).limit(1)).first()
    return PaymentRow(**found._mapping) if found else None
