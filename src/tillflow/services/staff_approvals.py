"""Server-side enforcement of manager approval for discounts given by a cashier.

A cashier's sale with any discount must carry the token of a manager's approval
(``staff.approve``). The token is used once, bound to the register it was given at and
to the sale's Idempotency-Key: the same sale sent again (a lost answer, an offline
replay) passes again; any other sale does not. An expired token is refused, except on a
sale made offline: its goods are gone, and the approval was given before it expired.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tillflow.domain.errors import Forbidden
from tillflow.ports.persistence import UnitOfWork
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.staff import DISCOUNT_NEEDS_APPROVAL, digest


class ApprovalRequired(Forbidden):
    code = "approval_required"


class ApprovalInvalid(Forbidden):
    code = "approval_invalid"


class ApprovalUsed(Forbidden):
    code = "approval_used"


class ApprovalExpired(Forbidden):
    code = "approval_expired"


def discounted(order_discount: str | int | None,
               line_discounts: Iterable[str | int | None]) -> bool:
    """Whether any discount is given; a malformed amount is left to the sale's own checks."""
    for value in (order_discount, *line_discounts):
        try:
            if value is not None and Decimal(str(value)) > 0:
                return True
        except InvalidOperation:
            continue
    return False


def discount_approval(ctx: ServiceContext, actor: Actor, *, approval: str | None,
                      register: str | None, idempotency_key: str | None,
                      offline: bool, discounted: bool) -> SaleApproval | None:
    """What a cashier's discounted sale must do to be approved, checked now (before any
    card is charged) and used up in the sale's own transaction (``SaleApproval``), so a
    refused sale leaves its approval unused."""
    if not discounted or actor.role not in DISCOUNT_NEEDS_APPROVAL:
        return None
    if approval is None:
        raise ApprovalRequired("a cashier's discount needs a manager's approval; send its "
                               "approval token", details={"field": "approval"})
    granted = SaleApproval(token=approval, register=register, key=idempotency_key,
                           allow_expired=offline)
    with ctx.uow() as uow:
        granted(uow)  # a check only: the transaction is rolled back
    return granted


@dataclass(frozen=True)
class SaleApproval:
    token: str
    register: str | None
    key: str | None
    allow_expired: bool

    def __call__(self, uow: UnitOfWork) -> str:
        return use_approval_in(uow, token=self.token, action="discount",
                               register=self.register, key=self.key,
                               allow_expired=self.allow_expired)


def use_approval(ctx: ServiceContext, *, token: str, action: str, register: str | None,
                 key: str | None, allow_expired: bool = False) -> str:
    """Use up a manager's approval token in a transaction of its own."""
    with ctx.uow() as uow:
        approved_by = use_approval_in(uow, token=token, action=action, register=register,
                                      key=key, allow_expired=allow_expired)
        uow.commit()
    return approved_by


def use_approval_in(uow: UnitOfWork, *, token: str, action: str, register: str | None,
                    key: str | None, allow_expired: bool = False) -> str:
    """Use up a manager's approval token for ``action`` at ``register`` for the request
    named ``key``, in the caller's transaction; the same request sent again passes again.
    Returns who approved it."""
    repo = uow.staff
    found = repo.approval(digest(token))
    if found is None or found.action != action:
        raise ApprovalInvalid(f"this approval token is unknown or not for a {action}",
                              details={"field": "approval"})
    at = uow.registers.get(register) if register else None
    if found.register_id is not None and (at is None or at.id != found.register_id):
        raise ApprovalInvalid("this approval was given at another register",
                              details={"field": "approval", "register": register})
    if found.used_at is not None:
        if key is not None and found.used_key == key:
            return found.approved_by
        raise ApprovalUsed("this approval was already used by another request",
                           details={"field": "approval"})
    if found.expires_at <= uow.now and not allow_expired:
        raise ApprovalExpired("this approval has expired; ask the manager again",
                              details={"field": "approval"})
    repo.use_approval(found.id, now=uow.now, key=key)
    return found.approved_by
