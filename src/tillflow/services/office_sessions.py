"""Signing in to the back office: a manager's or admin's own password, or an API token of
an office role, gives a session held server-side; its secret lives in an HttpOnly cookie.

Each failed password or token counts against the client's address (and a wrong password
against the member too) exactly as failed PINs do: past ``rate_limits``' limits the answer
is ``429``. A cashier is refused even with a right password; so is an integration token.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from tillflow.domain.errors import Forbidden, InvalidInput, NotFound
from tillflow.ports.records import OfficeSession, StaffMember, TokenRecord
from tillflow.security.passwords import (
    PASSWORD_MIN_CHARS,
    hash_password,
    valid_password,
    verify_password,
)
from tillflow.services import audit, rate_limits
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.staff import digest
from tillflow.services.tokens import hash_token

OFFICE_PREFIX = "tfo_"
OFFICE_ROLES = frozenset({"manager", "admin"})
# A working day; a browser left signed in overnight must sign in again.
OFFICE_SESSION_LIFETIME = timedelta(hours=10)


class WrongPassword(Forbidden):
    code = "wrong_password"


class NotForTheOffice(Forbidden):
    code = "office_refused"


@dataclass(frozen=True, kw_only=True)
class SignedIn:
    token: str
    session: OfficeSession


def validate_password(password: str, *, field: str = "password") -> str:
    if not valid_password(password):
        raise InvalidInput(f"a password has at least {PASSWORD_MIN_CHARS} characters, not "
                           "only digits, and no spaces at either end",
                           details={"field": field})
    return password


def sign_in_with_password(ctx: ServiceContext, *, name: str, password: str,
                          client: str | None) -> SignedIn:
    member = _check_password(ctx, name=name, password=password, client=client)
    if member.role not in OFFICE_ROLES:
        raise NotForTheOffice(f"a {member.role} cannot sign in to the back office",
                              details={"role": member.role})
    return _start(ctx, Actor(name=member.name, role=member.role), staff_id=member.id)


def sign_in_with_token(ctx: ServiceContext, *, token: str, client: str | None) -> SignedIn:
    with ctx.uow(read_only=True) as uow:
        record = uow.tokens.find_active(hash_token(token), now=uow.now)
    if record is None:
        rate_limits.failed(ctx, (rate_limits.address(client), rate_limits.PER_ADDRESS))
        raise WrongPassword("the token is unknown, expired or revoked")
    if record.role not in OFFICE_ROLES:
        raise NotForTheOffice(f"a {record.role} token cannot sign in to the back office",
                              details={"role": record.role})
    return _start(ctx, Actor(name=record.name, role=record.role), api_token_id=record.id)


def authenticate(ctx: ServiceContext, token: str) -> TokenRecord | None:
    """The member or token behind a live session, as the API's auth sees a bearer token."""
    with ctx.uow(read_only=True) as uow:
        session = uow.office_sessions.live(digest(token), now=uow.now)
    if session is None or session.role not in OFFICE_ROLES:
        return None
    return TokenRecord(id=0, name=session.name, role=session.role,
                       expires_at=session.expires_at)


def current(ctx: ServiceContext, token: str) -> OfficeSession | None:
    with ctx.uow(read_only=True) as uow:
        return uow.office_sessions.live(digest(token), now=uow.now)


def sign_out(ctx: ServiceContext, token: str) -> None:
    with ctx.uow() as uow:
        uow.office_sessions.end(digest(token), now=uow.now, reason="signed_out")
        uow.commit()


def set_password(ctx: ServiceContext, actor: Actor, name: str, *, password: str) -> int:
    """An admin sets a member's password; the member's office sessions end (the old one
    may be known to someone). Returns how many ended."""
    password_hash = hash_password(validate_password(password))
    with ctx.uow() as uow:
        member = uow.staff.get(name.strip())
        if member is None:
            raise NotFound(f"no staff member {name!r}", details={"name": name})
        uow.staff.set_password(member.id, password_hash=password_hash)
        ended = uow.office_sessions.end_of_staff(member.id, now=uow.now,
                                                 reason="password_set")
        audit.record(uow, actor, "staff.password_set", subject=f"staff:{member.name}",
                     sessions=ended)
        uow.commit()
    return ended


def change_own_password(ctx: ServiceContext, token: str, *, password: str,
                        new_password: str, client: str | None) -> SignedIn:
    """A member signed in with their password changes it, typing the current one. Their
    other sessions end; the answer is a new session for this browser."""
    validate_password(new_password, field="new_password")
    if new_password == password:
        raise InvalidInput("the new password must differ from the current one",
                           details={"field": "new_password"})
    session = current(ctx, token)
    if session is None or not session.staff:
        raise Forbidden("a password is changed by its owner, signed in with it")
    member = _check_password(ctx, name=session.name, password=password, client=client)
    actor = Actor(name=member.name, role=member.role)
    with ctx.uow() as uow:
        uow.staff.set_password(member.id, password_hash=hash_password(new_password))
        uow.office_sessions.end_of_staff(member.id, now=uow.now, reason="password_set")
        audit.record(uow, actor, "staff.password_changed", subject=f"staff:{member.name}")
        uow.commit()
    return _start(ctx, actor, staff_id=member.id)


def _check_password(ctx: ServiceContext, *, name: str, password: str,
                    client: str | None) -> StaffMember:
    """The active member whose password this is; each refusal is counted first."""
    with ctx.uow(read_only=True) as uow:
        member = uow.staff.get(name.strip())
    if member is None or not member.active or not verify_password(password,
                                                                  member.password_hash):
        subjects = [(rate_limits.address(client), rate_limits.PER_ADDRESS)]
        if member is not None:
            subjects.append((rate_limits.staff_member(member.name), rate_limits.PER_STAFF))
        rate_limits.failed(ctx, *subjects)
        raise WrongPassword("unknown staff member or wrong password")
    return member


def _start(ctx: ServiceContext, actor: Actor, *, staff_id: int | None = None,
           api_token_id: int | None = None) -> SignedIn:
    token = OFFICE_PREFIX + secrets.token_urlsafe(32)
    with ctx.uow() as uow:
        expires_at: datetime = uow.now + OFFICE_SESSION_LIFETIME
        uow.office_sessions.add(token_hash=digest(token), staff_id=staff_id,
                                api_token_id=api_token_id, now=uow.now, expires_at=expires_at)
        audit.record(uow, actor, "office.signed_in",
                     subject=f"staff:{actor.name}" if staff_id else f"token:{api_token_id}")
        uow.commit()
    return SignedIn(token=token, session=OfficeSession(
        name=actor.name, role=actor.role, staff=staff_id is not None, expires_at=expires_at))
