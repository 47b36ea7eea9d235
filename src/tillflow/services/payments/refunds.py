"""Returns refunded to the original card through its gateway.

The return is checked first (what may come back, what it refunds) without writing;
then each card refund is stored with its idempotency key, sent, and its outcome stored;
then the return is recorded with the refunds' references. A refund goes only to a card
the sale was paid with, never more than what is left of it (earlier refunds count), and
above the connection's ``refund_approval_above`` (or without a receipt: no return) it
needs a manager's approval, by role or PIN (``approvals``).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal

from tillflow.domain.errors import Conflict, NotFound
from tillflow.domain.payments import GatewayUnavailable, PaymentOutcomeUnknown, PaymentStatus
from tillflow.domain.records import ReturnRecord
from tillflow.domain.returns import ReturnRequestLine, check_refunds, price_return
from tillflow.domain.sales import CARD
from tillflow.ports.payments import GatewayError, OutcomeUnknownError
from tillflow.ports.persistence import DuplicateRecord
from tillflow.ports.records import PaymentRow, RefundRow
from tillflow.services import audit, return_keys, returns, voids
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.inventory import parse_quantity
from tillflow.services.payments import approvals, records, refund_outcomes
from tillflow.services.payments.checkout import refuse_card_data
from tillflow.services.payments.gateways import gateways_of
from tillflow.services.sales import TenderRequest, parse_tenders
from tillflow.services.staff import APPROVER_ROLES

S = PaymentStatus


def record_return(ctx: ServiceContext, actor: Actor, sale_id: str,
                  request: returns.ReturnRequest, *, approval: str | None = None,
                  key: return_keys.ReturnKey | None = None) -> tuple[ReturnRecord, bool]:
    """A return, and whether it was made now (False: ``key`` made it before).

    Card refunds of a sale paid through a gateway go back to its cards. ``approval`` is
    the token of a manager's PIN approval, for a card refund above the connection's
    limit asked for by a cashier.
    """
    try:
        earlier = return_keys.replayed(ctx, key)
        if earlier is not None:
            return earlier, False
        return _record_return(ctx, actor, sale_id, request, approval=approval, key=key), True
    except return_keys.Replayed as replay:
        return replay.record, False
    except (DuplicateRecord, Conflict):
        # A duplicate that raced the first try (its card refunded already, or its key
        # claimed first) answers the return the first one made.
        earlier = return_keys.replayed(ctx, key)
        if earlier is None:
            raise
        return earlier, False


def _record_return(ctx: ServiceContext, actor: Actor, sale_id: str,
                   request: returns.ReturnRequest, *, approval: str | None,
                   key: return_keys.ReturnKey | None) -> ReturnRecord:
    refuse_card_data(request.refunds)
    cards = [r for r in request.refunds if r.method == CARD and r.reference is None]
    if not cards:
        return returns.record_return(ctx, actor, sale_id, request, key=key)
    with ctx.uow(read_only=True) as uow:
        paid = [p for p in uow.payments.of_sale(sale_id)
                if p.status in (S.CAPTURED, S.PARTIALLY_REFUNDED, S.REFUNDED)]
    if not paid:
        return returns.record_return(ctx, actor, sale_id, request, key=key)
    _check(ctx, sale_id, request)
    void = request.reason == voids.VOID
    if void:
        # A void refused for want of approval must be refused before its card is refunded.
        approvals.approver(ctx, actor, approvals.Approval(
            action=voids.VOID, key=voids.approval_key(sale_id), token=approval, deferred=[]),
            what="voiding a sale")
    total = sum((ctx.currency.parse(t.amount, field="refunds.amount") for t in cards),
                start=ctx.currency.parse(0))
    # A void's one approval covers its refund: checked before the card is refunded, spent
    # with the void's in the return's transaction.
    granted = approvals.Approval(action="refund",
                                 key=voids.approval_key(sale_id) if void else
                                 f"return:{sale_id}:{total}",
                                 token=approval, deferred=[] if void else None)
    refunded: list[TenderRequest] = []
    for tender in request.refunds:
        if tender in cards:
            amount = ctx.currency.parse(tender.amount, field="refunds.amount")
            refunded.extend(_refund(ctx, actor, paid, amount, granted))
        else:
            refunded.append(tender)
    record = returns.record_return(ctx, actor, sale_id, replace(request, refunds=refunded),
                                   also_approved=granted.deferred or (), key=key)
    _link(ctx, record)
    return record


def _check(ctx: ServiceContext, sale_id: str, request: returns.ReturnRequest) -> None:
    """Refuse, before any refund is sent, a return that would not be recorded."""
    requested = [ReturnRequestLine(sku=line.sku, quantity=parse_quantity(
        line.quantity, field=f"lines[{i}].quantity")) for i, line in enumerate(request.lines)]
    with ctx.uow(read_only=True) as uow:
        sale = uow.sales.get(sale_id)
        if sale is None:
            raise NotFound(f"no sale {sale_id!r}", details={"id": sale_id})
        sold = returns.sold_lines(uow, sale)
        priced = price_return(sold, requested, currency=ctx.currency)
        if request.reason == voids.VOID:
            _, shift_id = returns.register_and_shift(uow, request.register)
            voids.check_is_void(sale, priced, shift_id=shift_id)
    check_refunds(priced.total, parse_tenders(ctx, request.refunds, field="refunds"))


def _refund(ctx: ServiceContext, actor: Actor, paid: list[PaymentRow], amount: Decimal,
            approval: approvals.Approval) -> list[TenderRequest]:
    """Refund ``amount`` over the sale's card payments, first payment first.

    A refund made for an earlier try of the same return whose answer was lost (orphaned)
    still counts as refundable here: ``refund_payment`` takes it instead of a new one.
    """
    left = amount
    tenders = []
    for payment in paid:
        refunds = refund_outcomes.settle(ctx, payment.id)
        orphaned = sum(r.amount for r in refunds
                       if r.status in (refund_outcomes.ORPHANED, refund_outcomes.ORPHANED_PENDING))
        refundable = records.domain(records.get(ctx, payment.id), ctx).refundable
        part = min(left, refundable + ctx.currency.from_minor(orphaned))
        if part > 0:
            reference = refund_payment(ctx, actor, payment.id, part, approval=approval)
            tenders.append(TenderRequest(method=CARD, amount=str(part), reference=reference))
            left -= part
    if left > 0:
        raise Conflict(f"the sale's cards have {amount - left} left to refund, not {amount}",
                       details={"field": "refunds", "refundable": str(amount - left)})
    return tenders


def refund_payment(ctx: ServiceContext, actor: Actor, payment_id: str, amount: Decimal, *,
                   approval: approvals.Approval, receipt: bool = True) -> str:
    """Refund part of a captured payment; returns the refund's id for the return's tender.

    Without a ``receipt`` (no return) it always needs a manager's approval.

    A refund whose answer was lost is looked up first; the same request sent again takes
    the refund it made (see ``refund_outcomes``) rather than refunding twice.
    """
    conn = gateways_of(ctx).connection(ctx, records.get(ctx, payment_id).connection)
    approved_by = _approval(ctx, actor, conn.name, amount, approval, receipt=receipt)
    refund_outcomes.settle(ctx, payment_id)
    claimed = refund_outcomes.claim_orphan(ctx, payment_id, ctx.currency.to_minor(amount))
    if claimed is not None and claimed.gateway_ref is not None:
        return claimed.gateway_ref
    refund = _reserve(ctx, actor, payment_id, amount, approved_by, receipt=receipt)
    payment = records.get(ctx, payment_id)
    assert payment.gateway_ref is not None
    try:
        sent = conn.gateway.refund(payment.gateway_ref, amount=refund.amount,
                                   idempotency_key=refund.idempotency_key)
    except OutcomeUnknownError:
        refund_outcomes.finish(ctx, refund, refund_outcomes.UNKNOWN, None)
        raise PaymentOutcomeUnknown(
            "the refund got no answer; send the same request again: the refund is looked "
            "up first and never made twice", details={"refund": refund.id}) from None
    except GatewayError as exc:
        refund_outcomes.finish(ctx, refund, "failed", None)
        raise GatewayUnavailable(f"the gateway did not refund: {exc}",
                                 details={"refund": refund.id}) from None
    refund_outcomes.finish(ctx, refund, refund_outcomes.status_of(sent), sent.reference)
    return sent.reference


def _approval(ctx: ServiceContext, actor: Actor, connection: str, amount: Decimal,
              approval: approvals.Approval, *, receipt: bool) -> str | None:
    """Who approves this refund; None for a cashier's refund that needs no approval."""
    with ctx.uow(read_only=True) as uow:
        record = uow.connections.get(connection)
    limit = record.settings.get("refund_approval_above") if record else None
    above = limit is not None and amount > ctx.currency.parse(limit,
                                                              field="refund_approval_above")
    if receipt and not above and actor.role not in APPROVER_ROLES:
        return None
    what = "a card refund without a receipt" if not receipt else \
        f"a card refund above {limit}"
    return approvals.approver(ctx, actor, approval, what=what)


def _reserve(ctx: ServiceContext, actor: Actor, payment_id: str, amount: Decimal,
             approved_by: str | None, *, receipt: bool) -> RefundRow:
    """Count the refund against the payment and store it before the gateway is asked.

    The payment row is locked, so two refunds of the same card never both fit. A refund
    without a receipt (no return records it) goes to the audit trail here.
    """
    with ctx.uow() as uow:
        repo = uow.payments
        payment = repo.get(payment_id, lock=True)
        if payment is None:
            raise NotFound(f"no payment {payment_id!r}", details={"id": payment_id})
        after = records.domain(payment, ctx).refund(amount)
        refund_id = str(uuid.uuid4())
        refund = RefundRow(id=refund_id, payment_id=payment_id, return_id=None,
                           amount=ctx.currency.to_minor(amount), status="pending",
                           idempotency_key=f"tillflow-refund-{refund_id}", gateway_ref=None,
                           approved_by=approved_by, created_at=uow.now, created_by=actor.name)
        repo.add_refund(refund)
        repo.update(payment_id, now=uow.now, status=str(after.status),
                    refunded=ctx.currency.to_minor(after.refunded))
        moved = replace(payment, status=str(after.status),
                        refunded=ctx.currency.to_minor(after.refunded))
        uow.emit(f"payment.{after.status}", records.payload(
            moved, ctx, refund_id=refund_id, refund_amount=ctx.currency.format(amount),
            approved_by=approved_by, requested_by=actor.name))
        if not receipt:
            audit.record(uow, actor, "refund", subject=f"payment:{payment_id}",
                         refund_id=refund_id, sale_id=payment.sale_id,
                         amount=ctx.currency.format(amount), method=CARD, receipt=False,
                         approved_by=approved_by)
        uow.commit()
    return refund


def _link(ctx: ServiceContext, record: ReturnRecord) -> None:
    refs = [r.reference for r in record.refunds if r.method == CARD and r.reference]
    with ctx.uow() as uow:
        uow.payments.link_refunds(refs, return_id=record.id)
        uow.commit()

