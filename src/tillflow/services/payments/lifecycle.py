"""Sending a payment to its gateway and learning its outcome, never charging twice.

Each step stores what it learned before the next call: the payment row (with its
idempotency key) before ``start``, the gateway's reference before ``authorize``. An
unanswered call leaves the payment ``unknown``; only a lookup moves it on.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from tillflow.domain.audit import AuditEntry
from tillflow.domain.errors import Conflict
from tillflow.domain.payments import (
    GatewayUnavailable,
    PaymentDeclined,
    PaymentOutcomeUnknown,
    PaymentStatus,
)
from tillflow.ports.payments import (
    ConfigurationError,
    DeclinedError,
    GatewayPayment,
    GatewayState,
    GatewayUnreachableError,
    OutcomeUnknownError,
    PaymentOrder,
    RefusedError,
)
from tillflow.ports.records import PaymentRow
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.payments import records
from tillflow.services.payments.gateways import PaymentConnection

S = PaymentStatus
# Longer than any gateway call may take: a pending payment this old has no caller left.
STALE_AFTER = timedelta(seconds=60)
_FROM_GATEWAY = {
    GatewayState.OPEN: S.PENDING,
    GatewayState.PROCESSING: S.PENDING,
    GatewayState.AUTHORIZED: S.AUTHORIZED,
    GatewayState.CAPTURED: S.CAPTURED,
    GatewayState.CANCELLED: S.CANCELLED,
    GatewayState.FAILED: S.FAILED,
}


def order_of(row: PaymentRow) -> PaymentOrder:
    return PaymentOrder(payment_id=row.id, amount=row.amount, currency=row.currency,
                        source=row.source, terminal=row.terminal)


def start_key(row: PaymentRow) -> str:
    """The idempotency key of the payment's creation at the gateway."""
    return f"{row.idempotency_key}-s"


def send(ctx: ServiceContext, conn: PaymentConnection, row: PaymentRow, *,
         defer: bool = False) -> PaymentRow:
    """Create (if not yet) and authorize the payment at the gateway.

    A payment that failed before authorizing may leave an unconfirmed PaymentIntent at
    the gateway; it holds no money, and the next attempt is a new one. With ``defer``
    neither a new reference nor an authorization is stored here: the returned row
    carries them and the caller stores them with the sale (two commits less per card
    sale). Any other outcome is stored with the reference at once. Should the caller
    never store them, the payment row (with its idempotency key) is still pending, and
    the gateway's payment carries tillflow's payment id: the resolver finds it by the
    order (``find``) and learns its outcome.
    """
    order = order_of(row)
    try:
        if row.gateway_ref is None:
            reference = conn.gateway.start(order, idempotency_key=start_key(row))
            row = replace(row, gateway_ref=reference) if defer else \
                records.save_reference(ctx, row, reference)
        assert row.gateway_ref is not None
        result = conn.gateway.authorize(row.gateway_ref, order,
                                        idempotency_key=f"{row.idempotency_key}-a")
    except DeclinedError as exc:
        records.move(ctx, row, S.FAILED, decline_code=exc.code[:64])
        raise PaymentDeclined("the card was declined; take another tender",
                              details={"payment": row.id, "decline_code": exc.code}) from None
    except OutcomeUnknownError:
        records.move(ctx, row, S.UNKNOWN)
        raise PaymentOutcomeUnknown(
            "the gateway did not answer; retry the same request to learn the outcome",
            details={"payment": row.id, "reference": row.gateway_ref}) from None
    except GatewayUnreachableError:
        records.move(ctx, row, S.FAILED, decline_code="gateway_unavailable")
        raise GatewayUnavailable("the payment gateway cannot be reached; retry or take cash",
                                 details={"payment": row.id}) from None
    except (RefusedError, ConfigurationError) as exc:
        records.move(ctx, row, S.FAILED, decline_code="refused")
        raise Conflict(f"the gateway refused the payment: {exc}",
                       details={"payment": row.id}) from None
    if defer and result.state is GatewayState.AUTHORIZED:
        return replace(row, status=str(S.AUTHORIZED))
    return apply(ctx, row, result)


def apply(ctx: ServiceContext, row: PaymentRow, result: GatewayPayment) -> PaymentRow:
    """Store what the gateway reported about the payment."""
    status = _FROM_GATEWAY[result.state]
    if status is S.PENDING and row.status == S.UNKNOWN:
        return row
    values: dict[str, Any] = {}
    if status is S.CAPTURED:
        values["captured"] = result.captured or result.amount
    if status is S.FAILED and result.decline_code:
        values["decline_code"] = result.decline_code[:64]
    return records.move(ctx, row if row.gateway_ref else replace(
        row, gateway_ref=result.reference), status, **values)


def look_up(ctx: ServiceContext, conn: PaymentConnection, row: PaymentRow, *,
            resume: bool) -> PaymentRow:
    """Learn an unknown or stale payment's outcome from the gateway; never charges.

    With ``resume`` a payment the gateway holds but never authorized is authorized now
    (its PaymentIntent can take money once at most); otherwise it is cancelled there, so
    nothing lingers that a later attempt could add to.
    """
    try:
        if row.gateway_ref is None:
            found = conn.gateway.find(order_of(row), idempotency_key=start_key(row),
                                      sent_at=int(row.created_at.timestamp()))
            if found is None:
                # The payment was never created at the gateway: nothing to look after.
                return records.move(ctx, row, S.FAILED, decline_code="not_sent")
            row = records.save_reference(ctx, row, found.reference)
        else:
            found = conn.gateway.lookup(row.gateway_ref)
    except (OutcomeUnknownError, GatewayUnreachableError):
        raise PaymentOutcomeUnknown("the gateway is still not answering; retry later",
                                    details={"payment": row.id}) from None
    if found.state is GatewayState.OPEN:
        if resume:
            return send(ctx, conn, row)
        return void(ctx, conn, row)
    return apply(ctx, row, found)


def poll(ctx: ServiceContext, conn: PaymentConnection, row: PaymentRow) -> PaymentRow:
    """What the terminal has done with a card-present payment so far; never sends it."""
    if row.gateway_ref is None:
        return look_up(ctx, conn, row, resume=True)
    try:
        found = conn.gateway.lookup(row.gateway_ref)
    except (OutcomeUnknownError, GatewayUnreachableError):
        raise PaymentOutcomeUnknown("the gateway is not answering; retry later",
                                    details={"payment": row.id}) from None
    if found.state in (GatewayState.OPEN, GatewayState.PROCESSING):
        return row
    return apply(ctx, row, found)


def capture(ctx: ServiceContext, conn: PaymentConnection, row: PaymentRow) -> PaymentRow:
    """Take the authorized amount; a cancelled payment is refused before any call."""
    result = take(ctx, conn, row)
    return row if result is None else apply(ctx, row, result)


def take(ctx: ServiceContext, conn: PaymentConnection, row: PaymentRow) -> GatewayPayment | None:
    """Capture at the gateway only; None when the answer was lost (still authorized here,
    the resolver captures it later: a second capture is refused, never doubled)."""
    records.domain(row, ctx).capture()
    assert row.gateway_ref is not None
    try:
        return conn.gateway.capture(row.gateway_ref, amount=row.amount,
                                    idempotency_key=f"{row.idempotency_key}-c")
    except RefusedError:
        result = conn.gateway.lookup(row.gateway_ref)
        if result.state is not GatewayState.CAPTURED:
            raise Conflict(f"the gateway refused the capture ({result.state})",
                           details={"payment": row.id}) from None
        return result
    except (OutcomeUnknownError, GatewayUnreachableError):
        return None


def void(ctx: ServiceContext, conn: PaymentConnection, row: PaymentRow, *,
         approved_by: str | None = None, by: Actor | None = None) -> PaymentRow:
    """Release an authorization (or an unconfirmed payment) at the gateway.

    A terminal payment is captured when approved: voiding it gives it all back. A void
    ``by`` a person is in the audit trail.
    """
    audited = None if by is None else AuditEntry(
        act="payment.voided", actor=by.name, role=by.role, register=by.register,
        subject=f"payment:{row.id}", data={
            "sale_id": row.sale_id, "amount": ctx.currency.format(
                ctx.currency.from_minor(row.amount)), "approved_by": approved_by})
    if row.status == S.CAPTURED and row.gateway_ref is not None:
        records.domain(row, ctx).refund(records.domain(row, ctx).refundable)
        conn.gateway.cancel(row.gateway_ref, idempotency_key=f"{row.idempotency_key}-v")
        return records.move(ctx, row, S.REFUNDED, refunded=row.captured,
                            event_data={"approved_by": approved_by}, audited=audited)
    records.domain(row, ctx).move(S.CANCELLED)
    if row.gateway_ref is not None:
        try:
            result = conn.gateway.cancel(row.gateway_ref,
                                         idempotency_key=f"{row.idempotency_key}-v")
        except RefusedError:
            result = conn.gateway.lookup(row.gateway_ref)
        if result.state is not GatewayState.CANCELLED:
            return apply(ctx, row, result)
    return records.move(ctx, row, S.CANCELLED, event_data={"approved_by": approved_by},
                        audited=audited)

