"""API tokens, stored as SHA-256 hashes (they are random, so no slow hash is needed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from tillflow.db.tables import api_tokens, registers
from tillflow.ports.records import TokenInfo, TokenRecord

_INFO = (api_tokens.c.id, api_tokens.c.name, api_tokens.c.role, registers.c.code,
         api_tokens.c.created_at, api_tokens.c.expires_at, api_tokens.c.last_used_at)
_WITH_REGISTER = api_tokens.outerjoin(registers, registers.c.id == api_tokens.c.register_id)


class TokenRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, *, token_hash: str, prefix: str, role: str, name: str, now: datetime,
            register_id: int | None = None, expires_at: datetime | None = None) -> int:
        return int(
            self._connection.execute(
                insert(api_tokens).values(token_hash=token_hash, prefix=prefix, role=role,
                                          name=name, created_at=now, register_id=register_id,
                                          expires_at=expires_at)
                .returning(api_tokens.c.id)
            ).scalar_one()
        )

    def find_active(self, token_hash: str, *, now: datetime) -> TokenRecord | None:
        row = self._connection.execute(
            select(*_INFO).select_from(_WITH_REGISTER).where(
                api_tokens.c.token_hash == token_hash, api_tokens.c.revoked_at.is_(None),
                or_(api_tokens.c.expires_at.is_(None), api_tokens.c.expires_at > now))
        ).first()
        if row is None:
            return None
        return TokenRecord(row.id, row.name, row.role, register=row.code,
                           expires_at=row.expires_at, last_used_at=row.last_used_at)

    def listed(self) -> list[TokenInfo]:
        rows = self._connection.execute(
            select(*_INFO).select_from(_WITH_REGISTER)
            .where(api_tokens.c.revoked_at.is_(None)).order_by(api_tokens.c.id))
        return [_info(row) for row in rows]

    def revoke(self, token_id: int, *, now: datetime) -> TokenInfo | None:
        revoked = self._connection.execute(
            update(api_tokens).where(api_tokens.c.id == token_id,
                                     api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
        ).rowcount
        if not revoked:
            return None
        row = self._connection.execute(
            select(*_INFO).select_from(_WITH_REGISTER).where(api_tokens.c.id == token_id)
        ).one()
        return _info(row)

    def touch(self, token_id: int, *, now: datetime, stale_before: datetime) -> None:
        self._connection.execute(
            update(api_tokens).where(
                api_tokens.c.id == token_id,
                or_(api_tokens.c.last_used_at.is_(None),
                    api_tokens.c.last_used_at < stale_before))
            .values(last_used_at=now)
        )


def _info(row: Any) -> TokenInfo:
    return TokenInfo(id=row.id, name=row.name, role=row.role, register=row.code,
                     created_at=row.created_at, expires_at=row.expires_at,
                     last_used_at=row.last_used_at)
