"""Reading and writing payment rows, each change one transaction with its event."""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal
from typing import Any

from tillflow.domain.audit import AuditEntry
from tillflow.domain.errors import NotFound
from tillflow.domain.payments import SETTLED_WITHOUT_MONEY, Payment, PaymentStatus
from tillflow.domain.sales import CARD
from tillflow.ports.persistence import DuplicateRecord
from tillflow.ports.records import PaymentRow
from tillflow.services.context import Actor, ServiceContext

CLAIM_RETRIES = 3


def domain(row: PaymentRow, ctx: ServiceContext) -> Payment:
    money = ctx.currency.from_minor
    return Payment(id=row.id, amount=money(row.amount), status=PaymentStatus(row.status),
                   captured=money(row.captured), refunded=money(row.refunded))


def payload(row: PaymentRow, ctx: ServiceContext, **extra: Any) -> dict[str, Any]:
    money = ctx.currency.from_minor
    return {
        "id": row.id, "method": CARD, "connection": row.connection,
        "reference": row.gateway_ref, "status": row.status,
        "amount": ctx.currency.format(money(row.amount)),
        "captured": ctx.currency.format(money(row.captured)),
        "refunded": ctx.currency.format(money(row.refunded)),
        "decline_code": row.decline_code, "sale_id": row.sale_id,
        "register": row.register, "terminal": row.terminal, **extra,
    }


def get(ctx: ServiceContext, payment_id: str) -> PaymentRow:
    with ctx.uow(read_only=True) as uow:
        row = uow.payments.get(payment_id)
    if row is None:
        raise NotFound(f"no payment {payment_id!r}", details={"id": payment_id})
    return row


def open_attempt(ctx: ServiceContext, actor: Actor, *, claim: str, connection: str,
                 amount: Decimal, source: str | None, terminal: str | None, capture: str,
                 register: str | None) -> tuple[PaymentRow, bool]:
    """The usable payment of this claim, or a new attempt stored before any gateway call.

    Returns the row and whether it is new (ours to send). The unique (claim, attempt)
    stops two requests for the same tender from both creating one. A new claim is the
    common case, so its first attempt is inserted without reading first; a claim already
    taken fails the insert, and the next pass reads it.
    """
    for tried in range(CLAIM_RETRIES + 1):
        with ctx.uow() as uow:
            repo = uow.payments
            latest = repo.latest_of_claim(claim) if tried else None
            if latest is not None and PaymentStatus(latest.status) not in SETTLED_WITHOUT_MONEY:
                return latest, False
            payment_id = str(uuid.uuid4())
            row = PaymentRow(
                id=payment_id, connection=connection, claim=claim,
                attempt=latest.attempt + 1 if latest else 1,
                idempotency_key=f"tillflow-{payment_id}", gateway_ref=None, source=source,
                terminal=terminal, currency=ctx.currency.code,
                amount=ctx.currency.to_minor(amount), captured=0, refunded=0,
                status=PaymentStatus.PENDING, decline_code=None, capture=capture,
                sale_id=None, register=register, shift_id=None, created_at=uow.now,
                updated_at=uow.now, created_by=actor.name)
            try:
                repo.add(row)
                uow.commit()
            except DuplicateRecord:
                continue
            return row, True
    raise NotFound("payment claim kept changing; retry", details={"claim": claim})


def save_reference(ctx: ServiceContext, row: PaymentRow, reference: str) -> PaymentRow:
    with ctx.uow() as uow:
        uow.payments.update(row.id, now=uow.now, gateway_ref=reference)
        uow.commit()
    return replace(row, gateway_ref=reference)


def move(ctx: ServiceContext, row: PaymentRow, status: PaymentStatus, *,
         event_data: dict[str, Any] | None = None, audited: AuditEntry | None = None,
         **values: Any) -> PaymentRow:
    """Move the stored payment to ``status`` if the state machine allows it from where it is.

    A reference ``row`` carries that was not stored yet (see ``lifecycle.send``) is
    stored with the move; ``audited``, a person's act, joins the audit trail with it.
    """
    with ctx.uow() as uow:
        repo = uow.payments
        current = repo.get(row.id, lock=True)
        assert current is not None
        if current.gateway_ref is None and row.gateway_ref is not None:
            values.setdefault("gateway_ref", row.gateway_ref)
        if current.status == status and not values:
            return current
        if current.status != status:
            domain(current, ctx).move(status)
        repo.update(row.id, now=uow.now, status=str(status), **values)
        moved = replace(current, status=str(status), updated_at=uow.now, **values)
        if current.status != status:
            uow.emit(f"payment.{status}", payload(moved, ctx, **(event_data or {})))
            if audited is not None:
                uow.audit(audited)
        uow.commit()
    return moved
