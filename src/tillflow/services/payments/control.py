"""What a person does to a payment by hand: capture, void, refund without a receipt.

A void and a refund without a return (no receipt) need a manager's approval: a manager's
or admin's own token, or the approval token of a manager's PIN (``approvals``); the
event of each names who approved it.
"""

from __future__ import annotations

from decimal import Decimal

from tillflow.ports.records import PaymentRow
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.payments import approvals, lifecycle, records, refunds
from tillflow.services.payments.gateways import gateways_of


def capture(ctx: ServiceContext, actor: Actor, payment_id: str) -> PaymentRow:
    row = records.get(ctx, payment_id)
    return lifecycle.capture(ctx, gateways_of(ctx).connection(ctx, row.connection), row)


def void(ctx: ServiceContext, actor: Actor, payment_id: str, *,
         approval: str | None = None) -> PaymentRow:
    row = records.get(ctx, payment_id)
    approved_by = approvals.approver(
        ctx, actor, approvals.Approval(action="void", key=f"void:{payment_id}",
                                       token=approval), what="a void")
    return lifecycle.void(ctx, gateways_of(ctx).connection(ctx, row.connection), row,
                          approved_by=approved_by, by=actor)


def refund_without_receipt(ctx: ServiceContext, actor: Actor, payment_id: str,
                           amount: Decimal, *, approval: str | None = None) -> str:
    granted = approvals.Approval(action="refund", key=f"refund:{payment_id}:{amount}",
                                 token=approval)
    return refunds.refund_payment(ctx, actor, payment_id, amount, approval=granted,
                                  receipt=False)
