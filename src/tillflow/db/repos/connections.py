"""Connections to other platforms; their secrets are stored sealed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from tillflow.db.tables import connections
from tillflow.ports.records import ConnectionRecord


class ConnectionRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, name: str) -> ConnectionRecord | None:
        row = self._connection.execute(
            select(connections).where(connections.c.name == name)
        ).first()
        return _record(row) if row else None

    def all(self) -> list[ConnectionRecord]:
        rows = self._connection.execute(select(connections).order_by(connections.c.name))
        return [_record(r) for r in rows]

    def add(self, *, name: str, platform: str, settings: dict[str, Any], sealed_secrets: str,
            catalog_master: bool, now: datetime) -> None:
        self._connection.execute(
            insert(connections).values(name=name, platform=platform, settings=settings,
                                       secrets=sealed_secrets, version=1, created_at=now,
                                       updated_at=now, catalog_master=_master(catalog_master))
        )

    def update(self, *, name: str, settings: dict[str, Any], sealed_secrets: str,
               catalog_master: bool, now: datetime) -> None:
        self._connection.execute(
            update(connections).where(connections.c.name == name)
            .values(settings=settings, secrets=sealed_secrets,
                    version=connections.c.version + 1, updated_at=now,
                    catalog_master=_master(catalog_master))
        )


def _master(flag: bool) -> bool | None:
    """NULL rather than False, so that any number of connections master nothing."""
    return True if flag else None


def _record(row: Any) -> ConnectionRecord:
    return ConnectionRecord(name=row.name, platform=row.platform, settings=row.settings,
                            sealed_secrets=row.secrets, version=row.version,
                            created_at=row.created_at, updated_at=row.updated_at)
