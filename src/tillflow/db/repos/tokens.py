"""API tokens, stored as SHA-256 hashes (they are random, so no slow hash is needed)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select

from tillflow.db.tables import api_tokens
from tillflow.ports.records import TokenRecord


class TokenRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, *, token_hash: str, prefix: str, role: str, name: str, now: datetime) -> int:
        return int(
            self._connection.execute(
                insert(api_tokens).values(token_hash=token_hash, prefix=prefix, role=role,
                                          name=name, created_at=now)
                .returning(api_tokens.c.id)
            ).scalar_one()
        )

    def find_active(self, token_hash: str) -> TokenRecord | None:
        row = self._connection.execute(
            select(api_tokens.c.id, api_tokens.c.name, api_tokens.c.role).where(
                api_tokens.c.token_hash == token_hash, api_tokens.c.revoked_at.is_(None)
            )
        ).first()
        return TokenRecord(row.id, row.name, row.role) if row else None
