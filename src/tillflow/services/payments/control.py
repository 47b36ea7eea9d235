"""What a person does to a payment by hand: capture, void, refund without a receipt.

A void and a refund without a return (no receipt) need a manager or admin; the event
of each names who approved it.
"""

from __future__ import annotations

from decimal import Decimal

from tillflow.db.repos.payments import PaymentRow
from tillflow.domain.errors import Forbidden
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.payments import lifecycle, records, refunds
from tillflow.services.payments.gateways import gateways_of


def capture(ctx: ServiceContext, actor: Actor, payment_id: str) -> PaymentRow:
    row = records.get(ctx, payment_id)
    return lifecycle.capture(ctx, gateways_of(ctx).connection(ctx, row.connection), row)


def void(ctx: ServiceContext, actor: Actor, payment_id: str) -> PaymentRow:
    _approver(actor, "a void")
    row = records.get(ctx, payment_id)
    return lifecycle.void(ctx, gateways_of(ctx).connection(ctx, row.connection), row,
                          approved_by=actor.name)


def refund_without_receipt(ctx: ServiceContext, actor: Actor, payment_id: str,
                           amount: Decimal) -> str:
    _approver(actor, "a refund without a receipt")
    return refunds.refund_payment(ctx, actor, payment_id, amount)


def _approver(actor: Actor, what: str) -> None:
    if actor.role not in refunds.APPROVERS:
        raise Forbidden(f"{what} needs a manager's approval", details={"role": actor.role})
