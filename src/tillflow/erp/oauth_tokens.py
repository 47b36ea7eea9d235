"""A connection's OAuth 2.0 tokens: kept sealed, refreshed before expiry, under one lease.

Xero and QuickBooks Online rotate refresh tokens: each is spent once, and the answer
holds the next one. Two workers spending the same refresh token would leave one of them
(or both) with a token the books refuse, so the refresh happens under a lease on the
connection's row of ``oauth_tokens``: the worker that takes it reads the row again (a
worker before it may have refreshed already), spends the token, and writes the new pair
before it lets go. The others wait for the row to change. A lease outlives a worker that
died mid-refresh by ``LEASE`` at most; Xero's grace period for a spent token (and
Intuit's, which keeps answering a refresh token for a while) covers a worker that lost
the answer.

The first token comes from the connection's secrets (``refresh_token``, which ``tillflow
connect`` fills); a new consent there replaces the row. A refusal of the refresh token
is kept (``refused``) so the health says what to do: connect again.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, or_, select, update

from tillflow.db.dialects import insert_for
from tillflow.db.tables_accounting import oauth_tokens
from tillflow.db.uow import connection_of
from tillflow.ports.accounting import ConsentRevoked, ErpUnavailable, TokenEndpoint
from tillflow.services.context import ServiceContext

LEASE = timedelta(seconds=30)
# Refreshed this long before the books would refuse the access token.
MARGIN = timedelta(minutes=2)
WAIT = 20.0  # seconds a worker waits for another's refresh before giving up for now


def seed_of(refresh_token: str) -> str:
    return hashlib.sha256(refresh_token.encode()).hexdigest()


def reconnect_hint(name: str, platform: str) -> str:
    return (f"the books refused {name!r}'s refresh token (the consent was revoked or has "
            f"lapsed): run `tillflow connect {platform} --name {name}` to consent again; "
            f"postings wait meanwhile and nothing is lost")


@dataclass(frozen=True)
class Held:
    access_token: str | None
    refresh_token: str
    expires_at: datetime | None


class LeasedTokens:
    """``AccessTokens`` for one connection, shared by every worker through the database."""

    def __init__(self, ctx: ServiceContext, name: str, *, platform: str,
                 endpoint: TokenEndpoint, seed_token: str,
                 pause: Callable[[float], None] = time.sleep) -> None:
        self.ctx = ctx
        self.name = name
        self.platform = platform
        self.endpoint = endpoint
        self.seed_token = seed_token
        self.owner = uuid.uuid4().hex
        self._pause = pause
        self._cached: Held | None = None

    def access_token(self) -> str:
        now = self.ctx.clock()
        cached = self._cached
        if cached and cached.access_token and cached.expires_at and \
                cached.expires_at - MARGIN > now:
            return cached.access_token
        deadline = time.monotonic() + WAIT
        while True:
            held = self._read()
            if held.access_token and held.expires_at and held.expires_at - MARGIN > now:
                self._cached = held
                return held.access_token
            if self._take_lease():
                return self._refresh()
            if time.monotonic() > deadline:
                raise ErpUnavailable(f"another worker is refreshing {self.name!r}'s tokens")
            self._pause(0.05)

    def refused(self, token: str) -> None:
        """Expire ``token`` so the next call refreshes (the books answered 401 to it)."""
        self._cached = None
        with self.ctx.uow() as uow:
            connection_of(uow).execute(update(oauth_tokens).where(
                oauth_tokens.c.connection == self.name).values(expires_at=None))
            uow.commit()

    def _read(self) -> Held:
        """The row, made (or made again, for a new consent) from the secrets' token."""
        seed = seed_of(self.seed_token)
        with self.ctx.uow() as uow:
            connection = connection_of(uow)
            row = connection.execute(select(oauth_tokens).where(
                oauth_tokens.c.connection == self.name)).first()
            if row is None or row.seed != seed:
                sealed = self.ctx.secret_box.seal({"refresh_token": self.seed_token})
                _replace(connection, self.name, seed=seed, sealed=sealed)
                uow.commit()
                return Held(None, self.seed_token, None)
            if row.refused:
                raise ConsentRevoked(row.refused)
            opened = self.ctx.secret_box.open(row.sealed)
            return Held(opened.get("access_token"), opened["refresh_token"], row.expires_at)

    def _take_lease(self) -> bool:
        with self.ctx.uow() as uow:
            taken = connection_of(uow).execute(update(oauth_tokens).where(
                oauth_tokens.c.connection == self.name,
                or_(oauth_tokens.c.lease_owner.is_(None), oauth_tokens.c.lease_until < uow.now),
            ).values(lease_owner=self.owner, lease_until=uow.now + LEASE)).rowcount
            uow.commit()
        return bool(taken)

    def _refresh(self) -> str:
        try:
            held = self._read()  # a worker before this one may have refreshed already
            if held.access_token and held.expires_at and \
                    held.expires_at - MARGIN > self.ctx.clock():
                self._cached = held
                return held.access_token
            try:
                grant = self.endpoint.refresh(held.refresh_token)
            except ConsentRevoked:
                self._refuse(reconnect_hint(self.name, self.platform))
                raise ConsentRevoked(reconnect_hint(self.name, self.platform)) from None
            expires = self.ctx.clock() + timedelta(seconds=grant.expires_in)
            sealed = self.ctx.secret_box.seal({"access_token": grant.access_token,
                                               "refresh_token": grant.refresh_token})
            with self.ctx.uow() as uow:
                connection_of(uow).execute(update(oauth_tokens).where(
                    oauth_tokens.c.connection == self.name,
                    oauth_tokens.c.lease_owner == self.owner,
                ).values(sealed=sealed, expires_at=expires, rotated_at=uow.now,
                         refused=None))
                uow.commit()
            self._cached = Held(grant.access_token, grant.refresh_token, expires)
            return grant.access_token
        finally:
            self._release()

    def _refuse(self, message: str) -> None:
        with self.ctx.uow() as uow:
            connection_of(uow).execute(update(oauth_tokens).where(
                oauth_tokens.c.connection == self.name).values(refused=message))
            uow.commit()

    def _release(self) -> None:
        with self.ctx.uow() as uow:
            connection_of(uow).execute(update(oauth_tokens).where(
                oauth_tokens.c.connection == self.name,
                oauth_tokens.c.lease_owner == self.owner,
            ).values(lease_owner=None, lease_until=None))
            uow.commit()


def _replace(connection: Connection, name: str, *, seed: str, sealed: str) -> None:
    connection.execute(oauth_tokens.delete().where(oauth_tokens.c.connection == name))
    connection.execute(insert_for(connection, oauth_tokens).values(
        connection=name, seed=seed, sealed=sealed).on_conflict_do_nothing())


def refusal(connection: Connection, name: str) -> str | None:
    """Why the books refuse the connection's refresh token, if they do."""
    found: str | None = connection.execute(select(oauth_tokens.c.refused).where(
        oauth_tokens.c.connection == name)).scalar()
    return found
