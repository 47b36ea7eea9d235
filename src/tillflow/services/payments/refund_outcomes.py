"""Refunds whose answer was lost, looked up until their outcome is known; never refunded
twice.

A refund is stored with its idempotency key before it is sent. When no answer came back
it is ``unknown`` (and a refund stuck ``pending`` past ``lifecycle.STALE_AFTER`` is
treated alike): the gateway is asked for the refund sent with that key (Stripe lists the
PaymentIntent's refunds, which tillflow tags with the key; Adyen answers a
TransactionStatusRequest for the reversal's ServiceID, which follows from the key). A
refund the gateway never made is sent again with the same key, which the gateway
deduplicates (Stripe) or refuses as a repeated ServiceID (Adyen).

A refund made while its request gave up is ``orphaned``: money went back to the card but
no return or answer took it. The request is retried with the same amount and claims it
(``claim_orphan``) instead of refunding again.

A refund the gateway accepted but settles later (Adyen's referenced refunds) is stored
``pending`` with its reference (``orphaned_pending`` when no request took it); its
notifications complete or fail it (``refund_settlement``). Those that came before the
refund's reference was stored are applied as it is stored (``finish``).
"""

from __future__ import annotations

from dataclasses import replace

from tillflow.domain.payments import PaymentOutcomeUnknown, PaymentStatus
from tillflow.ports.payments import (
    REFUND_FAILED_BY,
    REFUND_SETTLED_BY,
    DeclinedError,
    GatewayError,
    GatewayRefund,
)
from tillflow.ports.persistence import PaymentRepository
from tillflow.ports.records import RefundRow
from tillflow.services.context import ServiceContext
from tillflow.services.payments import lifecycle, records
from tillflow.services.payments.gateways import gateways_of

S = PaymentStatus
UNKNOWN, ORPHANED, ORPHANED_PENDING = "unknown", "orphaned", "orphaned_pending"
PENDING, SUCCEEDED, FAILED = "pending", "succeeded", "failed"
BATCH = 50
SETTLING, FAILING = REFUND_SETTLED_BY, REFUND_FAILED_BY
NOTIFIED_BY = SETTLING | FAILING


def verdict(notified: list[tuple[str, bool]]) -> str | None:
    """What a set of notifications (event code, success) says of one refund: any
    failure wins (they may come in any order), else a success completes it."""
    if any(code in FAILING or (code in SETTLING and not ok) for code, ok in notified):
        return FAILED
    if any(code in SETTLING for code, _ in notified):
        return SUCCEEDED
    return None


def status_of(sent: GatewayRefund, *, orphan: bool = False) -> str:
    """The status a refund takes from the gateway's answer about it."""
    if sent.succeeded:
        return ORPHANED if orphan else SUCCEEDED
    if sent.pending:
        return ORPHANED_PENDING if orphan else PENDING
    return FAILED


def finish(ctx: ServiceContext, refund: RefundRow, status: str,
           reference: str | None) -> RefundRow:
    """Store a refund's outcome; a failed one gives its amount back to the payment.

    Only from the status ``refund`` was read in: when two hands settle the same refund
    (the resolver and the request sent again), the first outcome stored stands.
    """
    with ctx.uow() as uow:
        repo = uow.payments
        status = _with_notifications(repo, refund, status, reference)
        if not repo.move_refund(refund.id, before=refund.status, status=status,
                                gateway_ref=reference):
            stored = repo.refund(refund.id)
            assert stored is not None
            return stored
        if status == "failed":
            # Nothing went back to the card: the amount may be refunded again.
            payment = repo.get(refund.payment_id, lock=True)
            assert payment is not None
            refunded = payment.refunded - refund.amount
            repo.update(payment.id, now=uow.now, refunded=refunded,
                        status=S.CAPTURED if refunded == 0 else S.PARTIALLY_REFUNDED)
        if status in (UNKNOWN, ORPHANED, ORPHANED_PENDING, FAILED) and refund.status != status:
            # An orphan is one whether or not the gateway has settled it yet.
            kind = ORPHANED if status == ORPHANED_PENDING else status
            uow.emit(f"payment.refund_{kind}", {
                "id": refund.payment_id, "refund_id": refund.id, "reference": reference,
                "amount": ctx.currency.format(ctx.currency.from_minor(refund.amount)),
                "settled": status != ORPHANED_PENDING})
        uow.commit()
    return replace(refund, status=status, gateway_ref=reference)


def _with_notifications(repo: PaymentRepository, refund: RefundRow, status: str,
                        reference: str | None) -> str:
    """The status to store for a refund now pending under ``reference``, after the
    gateway's notifications about it that are already in the webhook inbox."""
    if reference is None or status not in (PENDING, ORPHANED_PENDING):
        return status
    payment = repo.get(refund.payment_id)
    assert payment is not None
    stored = repo.webhooks_about(connection=payment.connection, reference=reference,
                                 types=NOTIFIED_BY)
    # A stored refund event's id ends with its success flag (see GatewayEvent).
    said = verdict([(kind, event_id.rsplit(":", 1)[-1] == "true") for kind, event_id in stored])
    if said == FAILED:
        return FAILED
    if said == SUCCEEDED:
        return SUCCEEDED if status == PENDING else ORPHANED
    return status


def resolve(ctx: ServiceContext, refund_id: str) -> RefundRow:
    """Learn what became of a refund whose answer was lost; raises while nobody can tell."""
    with ctx.uow(read_only=True) as uow:
        refund = uow.payments.refund(refund_id)
    assert refund is not None
    if refund.status not in (UNKNOWN, "pending") or refund.gateway_ref is not None:
        return refund  # settled meanwhile (by the request sent again, or an earlier pass)
    payment = records.get(ctx, refund.payment_id)
    assert payment.gateway_ref is not None
    conn = gateways_of(ctx).connection(ctx, payment.connection)
    try:
        found = conn.gateway.find_refund(payment.gateway_ref, amount=refund.amount,
                                         idempotency_key=refund.idempotency_key)
        if found is None:
            # Never made there: the same key again (deduplicated, or refused, never doubled).
            found = conn.gateway.refund(payment.gateway_ref, amount=refund.amount,
                                        idempotency_key=refund.idempotency_key)
    except DeclinedError:
        return finish(ctx, refund, "failed", None)
    except GatewayError:
        # Refused too: the first request may still be in progress there. Ask later.
        raise PaymentOutcomeUnknown("the gateway does not say yet what became of the refund; "
                                    "retry later", details={"refund": refund.id}) from None
    return finish(ctx, refund, status_of(found, orphan=True), found.reference)


def settle(ctx: ServiceContext, payment_id: str) -> list[RefundRow]:
    """The payment's refunds, after resolving those whose outcome is not known; raises
    ``PaymentOutcomeUnknown`` (and nothing may be sent) while one cannot be."""
    for refund_id in _unsettled(ctx, payment_id):
        resolve(ctx, refund_id)
    with ctx.uow(read_only=True) as uow:
        return uow.payments.refunds_of(payment_id)


def _unsettled(ctx: ServiceContext, payment_id: str | None) -> list[str]:
    with ctx.uow(read_only=True) as uow:
        return uow.payments.refunds_to_resolve(
            stale_before=uow.now - lifecycle.STALE_AFTER, payment_id=payment_id, limit=BATCH)


def resolve_due(ctx: ServiceContext) -> int:
    """One sweep over every payment's unsettled refunds; returns how many it settled."""
    settled = 0
    for refund_id in _unsettled(ctx, None):
        try:
            resolve(ctx, refund_id)
        except PaymentOutcomeUnknown:
            continue
        settled += 1
    return settled


def claim_orphan(ctx: ServiceContext, payment_id: str, amount: int) -> RefundRow | None:
    """The orphaned refund of ``amount`` a retried request takes instead of refunding again
    (call ``settle`` first, so that a lost refund is known before anything is sent)."""
    with ctx.uow() as uow:
        repo = uow.payments
        for refund in repo.refunds_of(payment_id):
            # One the gateway has not settled yet stays pending for whoever takes it.
            taken = {ORPHANED: SUCCEEDED, ORPHANED_PENDING: PENDING}.get(refund.status)
            if taken is not None and refund.amount == amount \
                    and repo.move_refund(refund.id, before=refund.status, status=taken):
                uow.commit()
                return replace(refund, status=taken)
    return None
