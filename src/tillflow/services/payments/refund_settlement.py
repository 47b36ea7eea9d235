"""Refunds the gateway settles after accepting them, completed or failed by its word.

Adyen answers a referenced refund (a ReversalRequest) only with "received": the refund
is ``pending`` (``orphaned_pending`` when no return took it) until a notification says
how it ended: CANCEL_OR_REFUND (or REFUND) with success true completes it, with success
false fails it; REFUND_FAILED (the card scheme refused it later) and REFUNDED_REVERSED
(the money came back) fail it even after it completed. A failed refund gives its amount
back to the payment, once, and stays failed whatever comes after.

Notifications may come twice, in any order, and before the refund's acknowledgement was
stored. Each is kept in the webhook inbox under the refund's pspReference; one whose
refund is not known yet waits there and is applied when the refund's reference is
stored (``refund_outcomes.finish``).
"""

from __future__ import annotations

from tillflow.ports.records import RefundRow
from tillflow.services.context import ServiceContext
from tillflow.services.payments import refund_outcomes as outcomes

# What a success moves each open status to. Pending without a reference still waits for
# its own answer, which applies the inbox when it is stored.
_ON_SUCCESS = {outcomes.PENDING: outcomes.SUCCEEDED,
               outcomes.ORPHANED_PENDING: outcomes.ORPHANED,
               outcomes.UNKNOWN: outcomes.ORPHANED}


def apply(ctx: ServiceContext, *, connection: str, psp_reference: str | None,
          refund_key: str | None, code: str, success: bool) -> RefundRow | None:
    """Apply one stored notification to the refund it names (by pspReference, or by the
    idempotency key sent as its merchantReference); None while no refund is known."""
    refund = _refund_named(ctx, connection, psp_reference, refund_key)
    if refund is None:
        return None
    return settle(ctx, refund, outcomes.verdict([(code, success)]), psp_reference)


def settle(ctx: ServiceContext, refund: RefundRow, outcome: str | None,
           reference: str | None) -> RefundRow:
    """Move a refund on by a verdict; a failed refund stays failed."""
    reference = refund.gateway_ref or reference
    if outcome is None or refund.status == outcomes.FAILED:
        return refund
    if outcome == outcomes.FAILED:
        return outcomes.finish(ctx, refund, outcomes.FAILED, reference)
    moved = _ON_SUCCESS.get(refund.status)
    if moved is None or (refund.status == outcomes.PENDING and refund.gateway_ref is None):
        return refund
    return outcomes.finish(ctx, refund, moved, reference)


def _refund_named(ctx: ServiceContext, connection: str, psp_reference: str | None,
                  refund_key: str | None) -> RefundRow | None:
    with ctx.uow(read_only=True) as uow:
        if psp_reference:
            found = uow.payments.refund_of_connection(connection, gateway_ref=psp_reference)
            if found is not None:
                return found
        if refund_key:
            return uow.payments.refund_of_connection(connection, idempotency_key=refund_key)
    return None
