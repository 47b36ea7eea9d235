"""API tokens and the roles that decide what each may do."""

from __future__ import annotations

import hashlib
import secrets

from tillflow.domain.errors import InvalidInput
from tillflow.ports.records import TokenRecord
from tillflow.services import staff
from tillflow.services.context import ServiceContext

TOKEN_PREFIX = "tf_"  # noqa: S105 (a marker, not a secret)

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

_CASHIER = frozenset({CATALOG_READ, STOCK_READ, SALES_READ, SALES_WRITE, RETURNS_WRITE, SHIFTS,
                      CUSTOMERS})
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "cashier": _CASHIER,
    "manager": _CASHIER | {CATALOG_WRITE, STOCK_WRITE, EVENTS_READ},
    "integration": frozenset({CATALOG_READ, CATALOG_WRITE, STOCK_READ, STOCK_WRITE, SALES_READ,
                              SALES_WRITE, RETURNS_WRITE, CUSTOMERS, EVENTS_READ}),
    "admin": _CASHIER | {CATALOG_WRITE, STOCK_WRITE, EVENTS_READ, SETUP, TOKENS},
}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(ctx: ServiceContext, *, role: str, name: str) -> str:
    """Create a token and return it; only its hash is stored, so this is the one time."""
    if role not in ROLE_PERMISSIONS:
        raise InvalidInput(f"role must be one of {', '.join(sorted(ROLE_PERMISSIONS))}",
                           details={"field": "role"})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with ctx.uow() as uow:
        uow.tokens.add(token_hash=hash_token(token), prefix=token[:8], role=role,
                       name=name.strip() or role, now=uow.now)
        uow.commit()
    return token


def cached(ctx: ServiceContext, token: str) -> TokenRecord | None:
    """The token's record if it was checked in the last few seconds (no I/O)."""
    return ctx.token_cache.get(hash_token(token))


def authenticate(ctx: ServiceContext, token: str) -> TokenRecord | None:
    """Look a token up. API tokens are remembered for a few seconds (a revoked one stops
    working within ``TOKEN_CACHE_SECONDS``); staff sessions are checked every time, so
    signing out takes effect at once."""
    if token.startswith(staff.SESSION_PREFIX):
        return staff.authenticate_session(ctx, token)
    token_hash = hash_token(token)
    with ctx.uow(read_only=True) as uow:
        record = uow.tokens.find_active(token_hash)
    if record is not None:
        ctx.token_cache.put(token_hash, record)
    return record
