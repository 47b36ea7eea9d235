"""Returns refunded to the original card through its gateway.

The return is checked first (what may come back, what it refunds) without writing;
then each card refund is stored with its idempotency key, sent, and its outcome stored;
then the return is recorded with the refunds' references. A refund goes only to a card
the sale was paid with, never more than what is left of it (earlier refunds count), and
above the connection's ``refund_approval_above`` it needs a manager or admin.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal

from tillflow.connectors.payments import GatewayError, OutcomeUnknownError
from tillflow.db.repos.payments import PaymentRepository, PaymentRow, RefundRow
from tillflow.domain.errors import Conflict, Forbidden, NotFound
from tillflow.domain.payments import GatewayUnavailable, PaymentOutcomeUnknown, PaymentStatus
from tillflow.domain.records import ReturnRecord
from tillflow.domain.returns import ReturnRequestLine, check_refunds, price_return
from tillflow.domain.sales import CARD
from tillflow.services import returns
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.inventory import parse_quantity
from tillflow.services.payments import records
from tillflow.services.payments.checkout import refuse_card_data
from tillflow.services.payments.gateways import gateways_of
from tillflow.services.sales import TenderRequest, parse_tenders

S = PaymentStatus
APPROVERS = frozenset({"manager", "admin"})


def record_return(ctx: ServiceContext, actor: Actor, sale_id: str,
                  request: returns.ReturnRequest) -> ReturnRecord:
    """A return; card refunds of a sale paid through a gateway go back to its cards."""
    refuse_card_data(request.refunds)
    cards = [r for r in request.refunds if r.method == CARD and r.reference is None]
    if not cards:
        return returns.record_return(ctx, actor, sale_id, request)
    with ctx.uow(read_only=True) as uow:
        paid = [p for p in PaymentRepository(uow.connection).of_sale(sale_id)
                if p.status in (S.CAPTURED, S.PARTIALLY_REFUNDED)]
    if not paid:
        return returns.record_return(ctx, actor, sale_id, request)
    _check(ctx, sale_id, request)
    refunded: list[TenderRequest] = []
    for tender in request.refunds:
        if tender in cards:
            amount = ctx.currency.parse(tender.amount, field="refunds.amount")
            refunded.extend(_refund(ctx, actor, paid, amount))
        else:
            refunded.append(tender)
    record = returns.record_return(ctx, actor, sale_id, replace(request, refunds=refunded))
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
    check_refunds(priced.total, parse_tenders(ctx, request.refunds, field="refunds"))


def _refund(ctx: ServiceContext, actor: Actor, paid: list[PaymentRow],
            amount: Decimal) -> list[TenderRequest]:
    """Refund ``amount`` over the sale's card payments, first payment first."""
    left = amount
    tenders = []
    for payment in paid:
        part = min(left, records.domain(records.get(ctx, payment.id), ctx).refundable)
        if part > 0:
            reference = refund_payment(ctx, actor, payment.id, part)
            tenders.append(TenderRequest(method=CARD, amount=str(part), reference=reference))
            left -= part
    if left > 0:
        raise Conflict(f"the sale's cards have {amount - left} left to refund, not {amount}",
                       details={"field": "refunds", "refundable": str(amount - left)})
    return tenders


def refund_payment(ctx: ServiceContext, actor: Actor, payment_id: str,
                   amount: Decimal) -> str:
    """Refund part of a captured payment; returns the refund's id for the return's tender."""
    conn = gateways_of(ctx).connection(ctx, records.get(ctx, payment_id).connection)
    approved_by = _approval(ctx, actor, conn.name, amount)
    refund = _reserve(ctx, actor, payment_id, amount, approved_by)
    payment = records.get(ctx, payment_id)
    assert payment.gateway_ref is not None
    try:
        sent = conn.gateway.refund(payment.gateway_ref, amount=refund.amount,
                                   idempotency_key=refund.idempotency_key)
    except OutcomeUnknownError:
        _finish(ctx, refund, "unknown", None)
        raise PaymentOutcomeUnknown("the refund got no answer; it is checked before any other",
                                    details={"refund": refund.id}) from None
    except GatewayError as exc:
        _finish(ctx, refund, "failed", None)
        raise GatewayUnavailable(f"the gateway did not refund: {exc}",
                                 details={"refund": refund.id}) from None
    _finish(ctx, refund, "succeeded" if sent.succeeded else "pending", sent.reference)
    return sent.reference


def _approval(ctx: ServiceContext, actor: Actor, connection: str,
              amount: Decimal) -> str | None:
    with ctx.uow(read_only=True) as uow:
        record = uow.connections.get(connection)
    limit = record.settings.get("refund_approval_above") if record else None
    if actor.role in APPROVERS:
        return actor.name
    if limit is not None and amount > ctx.currency.parse(limit, field="refund_approval_above"):
        raise Forbidden(f"a card refund above {limit} needs a manager's approval",
                        details={"refund_approval_above": str(limit)})
    return None


def _reserve(ctx: ServiceContext, actor: Actor, payment_id: str, amount: Decimal,
             approved_by: str | None) -> RefundRow:
    """Count the refund against the payment and store it before the gateway is asked.

    The payment row is locked, so two refunds of the same card never both fit.
    """
    with ctx.uow() as uow:
        repo = PaymentRepository(uow.connection)
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
        uow.commit()
    return refund


def _finish(ctx: ServiceContext, refund: RefundRow, status: str, reference: str | None) -> None:
    with ctx.uow() as uow:
        repo = PaymentRepository(uow.connection)
        repo.update_refund(refund.id, status=status, gateway_ref=reference)
        if status == "failed":
            # Nothing went back to the card: the amount may be refunded again.
            payment = repo.get(refund.payment_id, lock=True)
            assert payment is not None
            refunded = payment.refunded - refund.amount
            repo.update(payment.id, now=uow.now, refunded=refunded,
                        status=S.CAPTURED if refunded == 0 else S.PARTIALLY_REFUNDED)
        uow.commit()


def _link(ctx: ServiceContext, record: ReturnRecord) -> None:
    refs = [r.reference for r in record.refunds if r.method == CARD and r.reference]
    with ctx.uow() as uow:
        PaymentRepository(uow.connection).link_refunds(refs, return_id=record.id)
        uow.commit()

