"""Withdrawing and changing staff access: deactivating members, resetting and changing
PINs. Each is in the audit trail; a member deactivated or whose PIN an admin reset is
signed out everywhere at once."""

from __future__ import annotations

from tillflow.domain.errors import Forbidden, InvalidInput, NotFound
from tillflow.ports.persistence import UnitOfWork
from tillflow.ports.records import StaffInfo, StaffMember
from tillflow.security.pins import hash_pin
from tillflow.services import audit
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.pin_checks import check_pin
from tillflow.services.staff import STAFF_ROLES, validate_pin


def list_staff(ctx: ServiceContext) -> list[StaffInfo]:
    with ctx.uow(read_only=True) as uow:
        return uow.staff.all()


def set_active(ctx: ServiceContext, actor: Actor, name: str, *, active: bool) -> int:
    """(De)activate a member; returns how many of their sessions ended (deactivation)."""
    with ctx.uow() as uow:
        member = _member(uow, name)
        if member.active == active:
            return 0
        uow.staff.set_active(member.id, active=active)
        ended = 0 if active else uow.staff.end_sessions_of(member.id, now=uow.now,
                                                              reason="deactivated")
        act = "staff.activated" if active else "staff.deactivated"
        uow.emit(act, {"name": member.name, "by": actor.name, "sessions": ended})
        audit.record(uow, actor, act, subject=f"staff:{member.name}", sessions=ended)
        uow.commit()
    return ended


def set_role(ctx: ServiceContext, actor: Actor, name: str, *, role: str) -> int:
    """Give a member another role; their register and office sessions end, so nothing
    signed in keeps the rights of the old one. Returns how many sessions ended."""
    if role not in STAFF_ROLES:
        raise InvalidInput(f"role must be one of {', '.join(STAFF_ROLES)}",
                           details={"field": "role"})
    with ctx.uow() as uow:
        member = _member(uow, name)
        if member.role == role:
            return 0
        uow.staff.set_role(member.id, role=role)
        ended = (uow.staff.end_sessions_of(member.id, now=uow.now, reason="role_changed")
                 + uow.office_sessions.end_of_staff(member.id, now=uow.now,
                                                    reason="role_changed"))
        uow.emit("staff.role_changed", {"name": member.name, "role": role, "by": actor.name})
        audit.record(uow, actor, "staff.role_changed", subject=f"staff:{member.name}",
                     role=role, previous=member.role, sessions=ended)
        uow.commit()
    return ended


def reset_pin(ctx: ServiceContext, actor: Actor, name: str, *, pin: str) -> int:
    """An admin sets a member's new PIN: any lockout ends, and so do their sessions (the
    old PIN may be known to someone). Returns how many sessions ended."""
    pin_hash = hash_pin(validate_pin(pin))
    with ctx.uow() as uow:
        member = _member(uow, name)
        uow.staff.set_pin(member.id, pin_hash=pin_hash)
        ended = uow.staff.end_sessions_of(member.id, now=uow.now, reason="pin_reset")
        audit.record(uow, actor, "staff.pin_reset", subject=f"staff:{member.name}",
                     sessions=ended)
        uow.commit()
    return ended


def change_own_pin(ctx: ServiceContext, actor: Actor, *, pin: str, new_pin: str,
                   client: str | None) -> None:
    """A member signed in at a register changes their own PIN, typing the current one
    (checked, counted and locked out like any other PIN attempt)."""
    if not actor.session:
        raise Forbidden("a PIN is changed by its owner, signed in at a register",
                        details={"role": actor.role})
    pin_hash = hash_pin(validate_pin(new_pin, field="new_pin"))
    if new_pin == pin:
        raise InvalidInput("the new PIN must differ from the current one",
                           details={"field": "new_pin"})
    member = check_pin(ctx, name=actor.name, pin=pin, client=client)
    with ctx.uow() as uow:
        uow.staff.set_pin(member.id, pin_hash=pin_hash)
        audit.record(uow, actor, "staff.pin_changed", subject=f"staff:{member.name}")
        uow.commit()


def _member(uow: UnitOfWork, name: str) -> StaffMember:
    member = uow.staff.get(name.strip())
    if member is None:
        raise NotFound(f"no staff member {name!r}", details={"name": name})
    return member
