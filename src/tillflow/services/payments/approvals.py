"""Who approves a card refund or a void: the caller's own role, or a manager's PIN.

A manager or admin approves with their own token. A cashier presents the token of a
manager's approval given with the manager's PIN at the register (``POST /staff/approvals``
with action ``refund`` or ``void``): it is used once, must come from the cashier's
register if it was given at one, and is bound to the request it approves (``key``), so
the same request sent again after a lost answer passes again and no other does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tillflow.services.context import Actor, ServiceContext
from tillflow.services.staff import APPROVER_ROLES
from tillflow.services.staff_approvals import check_approval, required, use_approval


@dataclass(frozen=True)
class Approval:
    """What a request brings to be approved: a PIN approval's token (if any), and the key
    that names the request (a refund of this payment and amount, say)."""

    action: str
    key: str
    token: str | None = None
    # A void's refund: the token is only checked here (it must name this act too) and is
    # spent, for every act it approved, in the void's own transaction; the acts so
    # checked are noted in ``deferred``.
    deferred: list[str] | None = field(default=None, compare=False)


def approver(ctx: ServiceContext, actor: Actor, approval: Approval, *, what: str) -> str:
    """The name of who approves ``what``; refusals write nothing."""
    if actor.role in APPROVER_ROLES:
        return actor.name
    if approval.token is None:
        raise required([approval.action], what)
    if approval.deferred is not None:
        approved_by = check_approval(ctx, token=approval.token, acts=[approval.action],
                                     register=actor.register, key=approval.key)
        approval.deferred.append(approval.action)
        return approved_by
    return use_approval(ctx, token=approval.token, acts=[approval.action],
                        register=actor.register, key=approval.key)
