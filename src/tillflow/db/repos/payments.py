"""Card payments, their refunds and register terminals. Amounts in minor units."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, text, update

from tillflow.db.tables import registers, sale_payments, sales
from tillflow.db.tables_payments import (
    payment_refunds,
    payment_webhooks,
    payments,
    register_terminals,
)
from tillflow.ports.records import PaymentRow, RefundRow


class PaymentRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def commit_lazily(self) -> None:
        """Let this transaction's commit return before it reaches the disk (PostgreSQL).

        Only for what can be learned again after a crash loses it: the gateway and the
        recorded sale still say what happened, and the resolver reads them back.
        """
        if self._connection.dialect.name == "postgresql":
            self._connection.execute(text("SET LOCAL synchronous_commit TO OFF"))

    def add(self, row: PaymentRow) -> None:
        """Raises DuplicateRecord when the claim's attempt is taken: someone else pays it."""
        self._connection.execute(insert(payments).values(**row.__dict__))

    def get(self, payment_id: str, *, lock: bool = False) -> PaymentRow | None:
        query = select(payments).where(payments.c.id == payment_id)
        found = self._connection.execute(query.with_for_update() if lock else query).first()
        return PaymentRow(**found._mapping) if found else None

    def latest_of_claim(self, claim: str) -> PaymentRow | None:
        found = self._connection.execute(
            select(payments).where(payments.c.claim == claim)
            .order_by(payments.c.attempt.desc()).limit(1)).first()
        return PaymentRow(**found._mapping) if found else None

    def update(self, payment_id: str, *, now: datetime, **values: Any) -> None:
        self._connection.execute(update(payments).where(payments.c.id == payment_id)
                                 .values(updated_at=now, **values))

    def of_sale(self, sale_id: str) -> list[PaymentRow]:
        rows = self._connection.execute(select(payments).where(payments.c.sale_id == sale_id)
                                        .order_by(payments.c.created_at))
        return [PaymentRow(**r._mapping) for r in rows]

    def by_refs(self, refs: Iterable[str]) -> dict[str, PaymentRow]:
        wanted = list(refs)
        if not wanted:
            return {}
        rows = self._connection.execute(select(payments)
                                        .where(payments.c.gateway_ref.in_(wanted)))
        return {r.gateway_ref: PaymentRow(**r._mapping) for r in rows}

    def sale_paid_by(self, reference: str) -> tuple[str, str | None] | None:
        """The (sale id, shift id) of the sale recorded with this gateway reference."""
        found = self._connection.execute(
            select(sales.c.id, sales.c.shift_id)
            .join(sale_payments, sale_payments.c.sale_id == sales.c.id)
            .where(sale_payments.c.reference == reference).limit(1)).first()
        return (str(found.id), found.shift_id) if found else None

    def due_for_resolution(self, *, before: datetime, limit: int) -> list[str]:
        """Payments still moving: outcome unknown, stuck pending, not captured yet, or
        authorized for no sale; manual-capture sales wait for a person instead."""
        c = payments.c
        waiting = or_(c.status.in_(["unknown", "pending"]),
                      and_(c.status == "authorized",
                           or_(c.sale_id.is_(None), c.capture != "manual")))
        rows = self._connection.execute(
            select(c.id).where(waiting, c.updated_at < before)
            .order_by(c.updated_at).limit(limit))
        return [r.id for r in rows]

    def between(self, *, connection: str, since: datetime,
                until: datetime) -> list[PaymentRow]:
        rows = self._connection.execute(
            select(payments).where(payments.c.connection == connection,
                                   payments.c.created_at >= since,
                                   payments.c.created_at < until)
            .order_by(payments.c.created_at))
        return [PaymentRow(**r._mapping) for r in rows]

    def record_fee(self, payment_id: str, fee: int) -> bool:
        """Set a payment's fee once; False (nothing changed) when it has one already."""
        moved = self._connection.execute(
            update(payments).where(payments.c.id == payment_id, payments.c.fee.is_(None))
            .values(fee=fee))
        return moved.rowcount == 1

    def add_refund(self, row: RefundRow) -> None:
        self._connection.execute(insert(payment_refunds).values(**row.__dict__))


    def refund(self, refund_id: str) -> RefundRow | None:
        found = self._connection.execute(
            select(payment_refunds).where(payment_refunds.c.id == refund_id)).first()
        return RefundRow(**found._mapping) if found else None

    def move_refund(self, refund_id: str, *, before: str, **values: Any) -> bool:
        """Update a refund still in status ``before``; False if someone else moved it."""
        moved = self._connection.execute(
            update(payment_refunds).where(payment_refunds.c.id == refund_id,
                                          payment_refunds.c.status == before)
            .values(**values))
        return moved.rowcount == 1

    def refunds_to_resolve(self, *, stale_before: datetime, payment_id: str | None,
                           limit: int) -> list[str]:
        """Refunds whose answer was lost, or still pending since before ``stale_before``
        (of one payment, or of all)."""
        c = payment_refunds.c
        query = select(c.id).where(or_(c.status == "unknown",
                                       and_(c.status == "pending", c.gateway_ref.is_(None),
                                            c.created_at < stale_before)))
        if payment_id is not None:
            query = query.where(c.payment_id == payment_id)
        return [r.id for r in self._connection.execute(query.order_by(c.created_at)
                                                       .limit(limit))]

    def link_refunds(self, refs: Iterable[str], *, return_id: str) -> None:
        wanted = list(refs)
        if wanted:
            self._connection.execute(update(payment_refunds)
                                     .where(payment_refunds.c.gateway_ref.in_(wanted))
                                     .values(return_id=return_id))

    def refunds_of(self, payment_id: str) -> list[RefundRow]:
        rows = self._connection.execute(
            select(payment_refunds).where(payment_refunds.c.payment_id == payment_id)
            .order_by(payment_refunds.c.created_at))
        return [RefundRow(**r._mapping) for r in rows]

    def refunds_between(self, *, since: datetime, until: datetime) -> list[RefundRow]:
        rows = self._connection.execute(
            select(payment_refunds).where(payment_refunds.c.created_at >= since,
                                          payment_refunds.c.created_at < until))
        return [RefundRow(**r._mapping) for r in rows]

    def set_terminal(self, *, register_code: str, connection: str, terminal: str,
                     now: datetime) -> bool:
        register_id = self._connection.execute(
            select(registers.c.id).where(registers.c.code == register_code)).scalar()
        if register_id is None:
            return False
        self._connection.execute(delete(register_terminals)
                                 .where(register_terminals.c.register_id == register_id))
        self._connection.execute(insert(register_terminals).values(
            register_id=register_id, connection=connection, terminal=terminal, updated_at=now))
        return True

    def terminal_of(self, register_code: str) -> tuple[str, str] | None:
        found = self._connection.execute(
            select(register_terminals.c.connection, register_terminals.c.terminal)
            .join(registers, registers.c.id == register_terminals.c.register_id)
            .where(registers.c.code == register_code)).first()
        return (found.connection, found.terminal) if found else None

    def waiting_for_terminal(self, register: str) -> PaymentRow | None:
        """The register's newest terminal payment that no sale took and is not settled yet."""
        c = payments.c
        found = self._connection.execute(
            select(payments).where(c.register == register, c.terminal.is_not(None),
                                   c.sale_id.is_(None), c.status.in_(["pending", "unknown"]))
            .order_by(c.created_at.desc()).limit(1)).first()
        return PaymentRow(**found._mapping) if found else None

    def unsettled(self, connection: str, statuses: Iterable[str]
                  ) -> tuple[dict[str, int], datetime | None]:
        """How many payments of a connection are in each of ``statuses``, and the oldest
        one's last change."""
        mine = (payments.c.connection == connection) & payments.c.status.in_(list(statuses))
        counts = {status: int(count) for status, count in self._connection.execute(
            select(payments.c.status, func.count()).where(mine).group_by(payments.c.status))}
        oldest: datetime | None = self._connection.execute(
            select(func.min(payments.c.updated_at)).where(mine)).scalar_one_or_none()
        return counts, oldest

    def record_webhook(self, *, connection: str, event_id: str, type: str,
                       reference: str | None, now: datetime) -> None:
        """Remember a gateway's webhook; one seen before raises ``DuplicateRecord``."""
        self._connection.execute(insert(payment_webhooks).values(
            connection=connection, event_id=event_id, type=type[:64], reference=reference,
            received_at=now))

    def webhooks_about(self, *, connection: str, reference: str,
                       types: Iterable[str]) -> list[tuple[str, str]]:
        """The (type, event id) of the stored webhooks of ``types`` about ``reference``."""
        w = payment_webhooks.c
        rows = self._connection.execute(
            select(w.type, w.event_id).where(w.connection == connection,
                                             w.reference == reference,
                                             w.type.in_(list(types)))).all()
        return [(str(kind), str(event_id)) for kind, event_id in rows]

    def refund_of_connection(self, connection: str, *, gateway_ref: str | None = None,
                             idempotency_key: str | None = None) -> RefundRow | None:
        """A connection's refund by its gateway reference or by its idempotency key."""
        r, p = payment_refunds.c, payments.c
        condition = (r.gateway_ref == gateway_ref) if gateway_ref is not None \
            else (r.idempotency_key == idempotency_key)
        found = self._connection.execute(
            select(r.id).join(payments, p.id == r.payment_id)
            .where(condition, p.connection == connection)).scalar()
        return None if found is None else self.refund(str(found))
