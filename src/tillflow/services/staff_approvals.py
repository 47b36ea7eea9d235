"""Using a manager's approval: the token a manager's PIN gave at a register
(``staff.approve``) names the acts it approves and is used once, by one request.

It is bound to the register it was given at and, once used, to the request that used it
(the sale's Idempotency-Key, a refund's key): the same request sent again (a lost answer,
an offline replay) passes again; any other does not. An expired token is refused, except
for a sale made offline: its goods are gone, and the approval was given before it expired.
"""

from __future__ import annotations

from collections.abc import Iterable

from tillflow.domain.controls import decode_acts
from tillflow.domain.errors import Forbidden
from tillflow.ports.persistence import UnitOfWork
from tillflow.ports.records import Approval
from tillflow.services.context import ServiceContext
from tillflow.services.staff import digest


class ApprovalRequired(Forbidden):
    code = "approval_required"


class ApprovalInvalid(Forbidden):
    code = "approval_invalid"


class ApprovalUsed(Forbidden):
    code = "approval_used"


class ApprovalExpired(Forbidden):
    code = "approval_expired"


def required(acts: Iterable[str], what: str) -> ApprovalRequired:
    names = sorted(acts)
    return ApprovalRequired(f"{what} needs a manager's approval ({', '.join(names)}); send "
                            "its approval token", details={"field": "approval", "acts": names})


def use_approval(ctx: ServiceContext, *, token: str, acts: Iterable[str],
                 register: str | None, key: str | None, allow_expired: bool = False) -> str:
    """Use up a manager's approval token in a transaction of its own."""
    with ctx.uow() as uow:
        approved_by = use_approval_in(uow, token=token, acts=acts, register=register,
                                      key=key, allow_expired=allow_expired)
        uow.commit()
    return approved_by


def use_approval_in(uow: UnitOfWork, *, token: str, acts: Iterable[str],
                    register: str | None, key: str | None,
                    allow_expired: bool = False) -> str:
    """Use up a manager's approval of ``acts`` at ``register`` for the request named
    ``key``, in the caller's transaction; the same request sent again passes again.
    Returns who approved it."""
    found = _checked(uow, token=token, acts=acts, register=register, key=key,
                     allow_expired=allow_expired)
    if found.used_at is None:
        uow.staff.use_approval(found.id, now=uow.now, key=key)
    return found.approved_by


def check_approval(ctx: ServiceContext, *, token: str, acts: Iterable[str],
                   register: str | None, key: str) -> str:
    """Who approved ``acts``, refusing what ``use_approval_in`` would refuse, without using
    the token up: a void checks its refund's approval before the card is refunded and
    spends the token, for both acts, in the return's own transaction."""
    # Not a read-only transaction: the approval's row is read FOR UPDATE; nothing is
    # committed.
    with ctx.uow() as uow:
        return _checked(uow, token=token, acts=acts, register=register, key=key).approved_by


def _checked(uow: UnitOfWork, *, token: str, acts: Iterable[str], register: str | None,
             key: str | None, allow_expired: bool = False) -> Approval:
    found = uow.staff.approval(digest(token))
    wanted = frozenset(acts)
    if found is None:
        raise ApprovalInvalid("this approval token is unknown", details={"field": "approval"})
    missing = wanted - decode_acts(found.action)
    if missing:
        raise ApprovalInvalid(f"this approval is not for {', '.join(sorted(missing))}",
                              details={"field": "approval", "acts": sorted(missing)})
    at = uow.registers.get(register) if register else None
    if found.register_id is not None and (at is None or at.id != found.register_id):
        raise ApprovalInvalid("this approval was given at another register",
                              details={"field": "approval", "register": register})
    if found.used_at is not None:
        if key is not None and found.used_key == key:
            return found
        raise ApprovalUsed("this approval was already used by another request",
                           details={"field": "approval"})
    if found.expires_at <= uow.now and not allow_expired:
        raise ApprovalExpired("this approval has expired; ask the manager again",
                              details={"field": "approval"})
    return found
