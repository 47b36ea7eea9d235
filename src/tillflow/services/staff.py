"""Staff at the register: PINs, register pairing, cashier sessions and manager approval.

A register is paired once and keeps a register-scoped token; that token only lets the
register list who may sign in and sign them in. A cashier's PIN yields a session token
that the API accepts as a bearer token with the cashier's own role until it expires.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tillflow.domain.controls import Limits, encode_acts, parse_acts
from tillflow.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from tillflow.ports.records import TokenRecord
from tillflow.security.pins import PIN_MAX_DIGITS, PIN_MIN_DIGITS, hash_pin, valid_pin
from tillflow.services import audit, staff_names
from tillflow.services.context import SYSTEM, Actor, ServiceContext
from tillflow.services.pin_checks import check_pin

PAIRING_PREFIX = "tfr_"
SESSION_PREFIX = "tfs_"
STAFF_ROLES = ("cashier", "manager", "admin")
APPROVER_ROLES = frozenset({"manager", "admin"})
# Roles whose discounts a manager must approve at the register, beyond the store's limits.
DISCOUNT_NEEDS_APPROVAL = frozenset({"cashier"})
APPROVAL_PREFIX = "tfa_"
APPROVAL_LIFETIME = timedelta(minutes=10)
SESSION_LIFETIME = timedelta(hours=8)


class RegisterUnpaired(Forbidden):
    """The session's register was unpaired: it must be paired again, not just signed in."""

    code = "register_unpaired"


@dataclass(frozen=True, kw_only=True)
class PairedRegister:
    register: str
    location: str
    location_name: str
    staff: list[tuple[str, str]]


@dataclass(frozen=True, kw_only=True)
class SignedIn:
    token: str
    name: str
    role: str
    register: str
    expires_at: datetime
    discount_needs_approval: bool
    # What the member may give without a manager's approval; None: no limits.
    limits: Limits | None


@dataclass(frozen=True, kw_only=True)
class Approved:
    approved_by: str
    token: str
    acts: frozenset[str]
    expires_at: datetime


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def validate_pin(pin: str, *, field: str = "pin") -> str:
    if not valid_pin(pin):
        raise InvalidInput(f"a PIN has {PIN_MIN_DIGITS}-{PIN_MAX_DIGITS} digits",
                           details={"field": field})
    return pin


def add_staff(ctx: ServiceContext, *, name: str, role: str, pin: str,
              by: Actor = SYSTEM) -> None:
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput("name must have 1-100 characters", details={"field": "name"})
    if role not in STAFF_ROLES:
        raise InvalidInput(f"role must be one of {', '.join(STAFF_ROLES)}",
                           details={"field": "role"})
    pin_hash = hash_pin(validate_pin(pin))
    with ctx.uow() as uow:
        staff = uow.staff
        # Managers are named when they approve: two names that differ only by case
        # would be one name to the person typing it.
        existing = staff_names.taken(uow, name)
        if existing is not None:
            raise Conflict(f"a staff member named {existing!r} exists",
                           details={"field": "name"})
        staff.add(name=name, role=role, pin_hash=pin_hash, now=uow.now)
        audit.record(uow, by, "staff.added", subject=f"staff:{name}", role=role)
        uow.commit()


def pair_register(ctx: ServiceContext, *, register: str, by: Actor = SYSTEM) -> str:
    """A new register-scoped token for ``register``, returned this one time only."""
    token = PAIRING_PREFIX + secrets.token_urlsafe(32)
    with ctx.uow() as uow:
        found = uow.registers.get(register)
        if found is None:
            raise NotFound(f"no register {register!r}")
        uow.staff.add_pairing(register_id=found.id, token_hash=digest(token), now=uow.now)
        uow.emit("register.paired", {"register": register})
        audit.record(uow, by, "register.paired", subject=f"register:{register}")
        uow.commit()
    return token


def unpair_register(ctx: ServiceContext, actor: Actor, *, register: str) -> int:
    """Revoke every pairing of ``register`` and end its sessions at once.

    Returns how many sessions were ended. The register must be paired again (a new token
    from ``pair_register``) before anyone can sign in there.
    """
    if actor.role not in APPROVER_ROLES:
        raise Forbidden("unpairing a register needs a manager or an admin",
                        details={"role": actor.role})
    with ctx.uow() as uow:
        found = uow.registers.get(register)
        if found is None:
            raise NotFound(f"no register {register!r}", details={"register": register})
        pairings, sessions = uow.staff.unpair(found.id, now=uow.now)
        uow.emit("register.unpaired", {"register": register, "by": actor.name,
                                       "pairings": pairings, "sessions": sessions})
        audit.record(uow, actor, "register.unpaired", subject=f"register:{register}",
                     pairings=pairings, sessions=sessions)
        uow.commit()
    return sessions


def paired_register(ctx: ServiceContext, pairing_token: str) -> PairedRegister | None:
    with ctx.uow(read_only=True) as uow:
        staff = uow.staff
        code = staff.paired_register(digest(pairing_token))
        if code is None:
            return None
        register = uow.registers.get(code)
        assert register is not None
        location = uow.locations.get_by_id(register.location_id)
        return PairedRegister(register=code, location=register.location_code,
                              location_name=location.name, staff=staff.active())


def sign_in(ctx: ServiceContext, *, register: str, name: str, pin: str,
            client: str | None = None, lifetime: timedelta = SESSION_LIFETIME) -> SignedIn:
    member = check_pin(ctx, name=name, pin=pin, client=client)
    token = SESSION_PREFIX + secrets.token_urlsafe(32)
    with ctx.uow() as uow:
        found = uow.registers.get(register)
        assert found is not None, "a pairing always names an existing register"
        expires_at = uow.now + lifetime
        uow.staff.add_session(
            token_hash=digest(token), staff_id=member.id, register_id=found.id, now=uow.now,
            expires_at=expires_at)
        limits = uow.limits.read().get(member.role)
        uow.commit()
    return SignedIn(token=token, name=member.name, role=member.role, register=register,
                    expires_at=expires_at,
                    discount_needs_approval=member.role in DISCOUNT_NEEDS_APPROVAL,
                    limits=limits)


def sign_out(ctx: ServiceContext, session_token: str) -> None:
    with ctx.uow() as uow:
        uow.staff.end_session(digest(session_token), now=uow.now)
        uow.commit()


def approve(ctx: ServiceContext, actor: Actor, *, name: str, pin: str, acts: Iterable[str],
            client: str | None = None) -> Approved:
    """Check a manager's PIN typed at the register for ``acts``, logged as an event and in
    the audit trail.

    Only a staff session at a paired register asks: an API token cannot, so it can
    neither guess managers' PINs nor lock them out. The answer carries a single-use
    approval token, bound to the requester's register and valid for
    ``APPROVAL_LIFETIME``, that the one request it approves presents.
    """
    approved_acts = parse_acts(acts)
    if not actor.session or actor.register is None:
        raise Forbidden("a manager approves at a paired register, for a staff member signed "
                        "in there with their PIN", details={"role": actor.role})
    member = check_pin(ctx, name=name, pin=pin, client=client)
    if member.role not in APPROVER_ROLES:
        raise Forbidden(f"{member.name} may not approve this", details={"role": member.role})
    token = APPROVAL_PREFIX + secrets.token_urlsafe(24)
    with ctx.uow() as uow:
        register = uow.registers.get(actor.register)
        assert register is not None, "a session always names an existing register"
        expires_at = uow.now + APPROVAL_LIFETIME
        uow.staff.add_approval(
            token_hash=digest(token), action=encode_acts(approved_acts),
            approved_by=member.name, requested_by=actor.name, register_id=register.id,
            now=uow.now, expires_at=expires_at)
        for act in sorted(approved_acts):
            uow.emit("staff.approved", {"action": act, "approved_by": member.name,
                                        "requested_by": actor.name,
                                        "register": actor.register})
        audit.record(uow, actor, "approval.granted", subject=f"register:{actor.register}",
                     acts=sorted(approved_acts), approved_by=member.name)
        uow.commit()
    return Approved(approved_by=member.name, token=token, acts=approved_acts,
                    expires_at=expires_at)


def authenticate_session(ctx: ServiceContext, token: str) -> TokenRecord | None:
    """The signed-in staff member behind a live session token, as the API's auth sees it."""
    with ctx.uow(read_only=True) as uow:
        repo = uow.staff
        session = repo.live_session(digest(token), now=uow.now)
        if session is None and repo.ended_reason(digest(token)) == "unpaired":
            raise RegisterUnpaired("this register's pairing was revoked; pair it again",
                                   details={"reason": "unpaired"})
    if session is None:
        return None
    return TokenRecord(id=session.staff_id, name=session.name, role=session.role,
                       register=session.register, session=True,
                       expires_at=session.expires_at)
