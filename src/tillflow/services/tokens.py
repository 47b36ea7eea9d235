"""API tokens and the roles that decide what each may do."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from tillflow.domain.errors import InvalidInput, NotFound
from tillflow.ports.records import Register, TokenInfo, TokenRecord
from tillflow.services import audit, staff
from tillflow.services.context import Actor, ServiceContext

TOKEN_PREFIX = "tf_"  # noqa: S105 (a marker, not a secret)
# How stale a token's recorded last use may get before a lookup writes it again.
LAST_USE_PRECISION = timedelta(minutes=1)
# Roles whose API token may be bound to one register, where alone it then acts.
REGISTER_ROLES = frozenset({"cashier", "manager"})

CATALOG_READ = "catalog:read"
CATALOG_WRITE = "catalog:write"
STOCK_READ = "stock:read"
STOCK_WRITE = "stock:write"
SALES_READ = "sales:read"
SALES_WRITE = "sales:write"
RETURNS_WRITE = "returns:write"
SHIFTS = "shifts"
CUSTOMERS = "customers"
EVENTS_READ = "events:read"
SETUP = "setup"
TOKENS = "tokens"
REPORTS_READ = "reports:read"
# Watch the connections' health and work their queues (replay, sync now); their settings
# and secrets stay with SETUP.
CONNECTIONS_OPERATE = "connections:operate"

_CASHIER = frozenset({CATALOG_READ, STOCK_READ, SALES_READ, SALES_WRITE, RETURNS_WRITE, SHIFTS,
                      CUSTOMERS})
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "cashier": _CASHIER,
    "manager": _CASHIER | {CATALOG_WRITE, STOCK_WRITE, EVENTS_READ, REPORTS_READ,
                           CONNECTIONS_OPERATE},
    "integration": frozenset({CATALOG_READ, CATALOG_WRITE, STOCK_READ, STOCK_WRITE, SALES_READ,
                              SALES_WRITE, RETURNS_WRITE, CUSTOMERS, EVENTS_READ}),
    "admin": _CASHIER | {CATALOG_WRITE, STOCK_WRITE, EVENTS_READ, REPORTS_READ,
                         CONNECTIONS_OPERATE, SETUP, TOKENS},
}


@dataclass(frozen=True)
class NewToken:
    """A token just made: its secret, shown this one time, and how it is listed."""

    token: str
    info: TokenInfo


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(ctx: ServiceContext, *, role: str, name: str) -> str:
    """A new token of ``role`` (no register, no expiry); only its hash is stored."""
    return issue_token(ctx, Actor(name="system", role="admin"), role=role, name=name).token


def issue_token(ctx: ServiceContext, actor: Actor, *, role: str, name: str,
                register: str | None = None,
                expires_at: datetime | None = None) -> NewToken:
    """Create a token and return it; only its hash is stored, so this is the one time."""
    if role not in ROLE_PERMISSIONS:
        raise InvalidInput(f"role must be one of {', '.join(sorted(ROLE_PERMISSIONS))}",
                           details={"field": "role"})
    if register is not None and role not in REGISTER_ROLES:
        raise InvalidInput(f"only a {' or '.join(sorted(REGISTER_ROLES))} token is bound to "
                           "a register", details={"field": "register"})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    name = name.strip() or role
    with ctx.uow() as uow:
        if expires_at is not None and expires_at <= uow.now:
            raise InvalidInput("expires_at must be in the future",
                               details={"field": "expires_at"})
        found = uow.registers.get(register) if register is not None else None
        register_id = _register_id(found, register)
        token_id = uow.tokens.add(token_hash=hash_token(token), prefix=token[:8], role=role,
                                  name=name, now=uow.now, register_id=register_id,
                                  expires_at=expires_at)
        info = TokenInfo(id=token_id, name=name, role=role, register=register,
                         created_at=uow.now, expires_at=expires_at, last_used_at=None)
        audit.record(uow, actor, "token.created", subject=f"token:{token_id}",
                     **_described(info))
        uow.commit()
    return NewToken(token=token, info=info)


def list_tokens(ctx: ServiceContext) -> list[TokenInfo]:
    with ctx.uow(read_only=True) as uow:
        return uow.tokens.listed()


def revoke_token(ctx: ServiceContext, actor: Actor, token_id: int) -> TokenInfo:
    """Revoke a token: every API process refuses it within ``TOKEN_CACHE_SECONDS``."""
    with ctx.uow() as uow:
        revoked = uow.tokens.revoke(token_id, now=uow.now)
        if revoked is None:
            raise NotFound(f"no live token {token_id}", details={"id": token_id})
        audit.record(uow, actor, "token.revoked", subject=f"token:{token_id}",
                     **_described(revoked))
        uow.commit()
    ctx.token_cache.clear()
    return revoked


def cached(ctx: ServiceContext, token: str) -> TokenRecord | None:
    """The token's record if it was checked moments ago and has not expired (no I/O)."""
    record = ctx.token_cache.get(hash_token(token))
    if record is not None and record.expires_at is not None and record.expires_at <= ctx.clock():
        return None
    return record


def authenticate(ctx: ServiceContext, token: str) -> TokenRecord | None:
    """Look a token up. API tokens are remembered for ``TOKEN_CACHE_SECONDS`` (a revoked
    one stops working within that time); staff sessions are checked every time, so
    signing out takes effect at once."""
    if token.startswith(staff.SESSION_PREFIX):
        return staff.authenticate_session(ctx, token)
    token_hash = hash_token(token)
    with ctx.uow(read_only=True) as uow:
        record = uow.tokens.find_active(token_hash, now=uow.now)
        now = uow.now
    if record is None:
        return None
    stale = now - LAST_USE_PRECISION
    if record.last_used_at is None or record.last_used_at < stale:
        with ctx.uow() as uow:
            uow.tokens.touch(record.id, now=uow.now, stale_before=stale)
            uow.commit()
        record = replace(record, last_used_at=now)
    ctx.token_cache.put(token_hash, record)
    return record


def _register_id(found: Register | None, code: str | None) -> int | None:
    if code is None:
        return None
    if found is None:
        raise InvalidInput(f"unknown register {code!r}", details={"field": "register"})
    return found.id


def _described(info: TokenInfo) -> dict[str, str | int | None]:
    return {"id": info.id, "name": info.name, "role": info.role, "register": info.register,
            "expires_at": info.expires_at.isoformat() if info.expires_at else None}
