"""Payments whose outcome is not known yet, looked up until it is; never charged again.

Run by the worker: ``PaymentResolver`` consumes ``payment.unknown`` and
``payment.refund_unknown`` events (an event that cannot be resolved yet is retried on the
next pass) and ``payment.webhook`` (a refund's notification settles that refund), and
``PaymentSweep`` sweeps what no event covers: stale pending payments and refunds,
captures that did not answer, and authorizations no sale took (voided once the register
has had ``ORPHAN_AFTER`` to retry, unless a recorded sale holds them).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from tillflow.domain.errors import Conflict
from tillflow.domain.payments import HELD, PaymentOutcomeUnknown, PaymentStatus
from tillflow.ports.payments import GatewayError, GatewayState
from tillflow.ports.records import PaymentRow, StoredEvent
from tillflow.services.context import ServiceContext
from tillflow.services.payments import lifecycle, records, refund_outcomes, refund_settlement
from tillflow.services.payments.gateways import gateways_of

S = PaymentStatus
ORPHAN_AFTER = timedelta(minutes=15)
BATCH = 50


def resolve(ctx: ServiceContext, payment_id: str, *, now: datetime | None = None) -> PaymentRow:
    """Move one payment on from what the gateway says; raises while it still cannot tell."""
    row = records.get(ctx, payment_id)
    conn = gateways_of(ctx).connection(ctx, row.connection)
    moment = now or ctx.clock()
    if row.status in (S.UNKNOWN, S.PENDING):
        row = lifecycle.look_up(ctx, conn, row, resume=False)
    if row.status in HELD and row.sale_id is None:
        row = _link_sale(ctx, row)
    if row.status == S.AUTHORIZED and row.sale_id is not None and row.capture != "manual":
        return lifecycle.capture(ctx, conn, row)
    if row.status == S.AUTHORIZED and row.sale_id is None \
            and moment - row.updated_at > ORPHAN_AFTER:
        return lifecycle.void(ctx, conn, row, approved_by="resolver")
    return row


def _link_sale(ctx: ServiceContext, row: PaymentRow) -> PaymentRow:
    """Tie a payment to the sale recorded with it, if its request stopped between
    recording the sale and storing the payment with it: that sale needs its money."""
    if row.gateway_ref is None:
        return row
    with ctx.uow() as uow:
        repo = uow.payments
        sale = repo.sale_paid_by(row.gateway_ref)
        if sale is None:
            return row
        repo.update(row.id, now=uow.now, sale_id=sale[0], shift_id=sale[1])
        uow.commit()
    return replace(row, sale_id=sale[0], shift_id=sale[1], updated_at=uow.now)


def resolve_due(ctx: ServiceContext, *, now: datetime | None = None) -> int:
    """One sweep; returns how many payments it moved on."""
    moment = now or ctx.clock()
    with ctx.uow(read_only=True) as uow:
        due = uow.payments.due_for_resolution(
            before=moment - lifecycle.STALE_AFTER, limit=BATCH)
    moved = 0
    for payment_id in due:
        before = records.get(ctx, payment_id).status
        try:
            moved += resolve(ctx, payment_id, now=moment).status != before
        except PaymentOutcomeUnknown:
            continue
    return moved


@dataclass
class PaymentSweep:
    """The worker job that runs ``resolve_due`` on each pass."""

    ctx: ServiceContext

    def run_once(self) -> int:
        return resolve_due(self.ctx) + refund_outcomes.resolve_due(self.ctx)


class PaymentResolver:
    """The events-log consumer that resolves each payment reported unknown."""

    name = "payments.resolver"

    def handle(self, ctx: ServiceContext, event: StoredEvent) -> None:
        if event.type == "payment.unknown":
            resolve(ctx, str(event.data["id"]))
        elif event.type == "payment.refund_unknown":
            refund_outcomes.resolve(ctx, str(event.data["refund_id"]))
        elif event.type == "payment.webhook" and "success" in event.data:
            refund_settlement.apply(
                ctx, connection=str(event.data["connection"]),
                psp_reference=event.data.get("reference"),
                refund_key=event.data.get("refund_key"), code=str(event.data["type"]),
                success=bool(event.data["success"]))
        elif event.type == "payment.webhook":
            refresh(ctx, reference=event.data.get("reference"),
                    payment_id=event.data.get("payment_id"))


def refresh(ctx: ServiceContext, *, reference: str | None,
            payment_id: str | None) -> PaymentRow | None:
    """Apply what the gateway says of a payment now (after a webhook hinted at a change).

    Only settled states are applied: a payment the gateway still holds open may be in
    the middle of its own request, which will store its outcome itself. A hint about a
    payment tillflow does not know is left to the reconciliation report.
    """
    with ctx.uow(read_only=True) as uow:
        repo = uow.payments
        row = repo.get(payment_id) if payment_id else None
        if row is None and reference:
            row = repo.by_refs([reference]).get(reference)
    if row is None or row.gateway_ref is None:
        return None
    reference = row.gateway_ref
    conn = gateways_of(ctx).connection(ctx, row.connection)
    try:
        found = conn.gateway.lookup(reference)
    except GatewayError:
        raise PaymentOutcomeUnknown("the gateway is not answering; retry later",
                                    details={"payment": row.id}) from None
    if found.state in (GatewayState.OPEN, GatewayState.PROCESSING):
        return row
    if row.status in (S.PARTIALLY_REFUNDED, S.REFUNDED):
        return row
    try:
        return lifecycle.apply(ctx, row, found)
    except Conflict:
        # Already further along than this report (a late, out-of-order hint).
        return records.get(ctx, row.id)
