"""The external-id map and the polling cursors.

One row per (connection, kind, local id) with the platform's id: a web order maps to one
sale, a product to one platform product. ``version`` holds the platform's ``updated_at``
of the last copy applied, so an older copy that arrives later is recognised and ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select

from tillflow.db.dialects import insert_for
from tillflow.db.tables_sync import sync_cursors, sync_external_ids

ORDER = "order"
PRODUCT = "product"
CUSTOMER = "customer"
REFUND = "refund"


@dataclass(frozen=True)
class Mapping:
    local_id: str
    external_id: str
    version: str | None
    data: dict[str, Any]


def by_external(connection: Connection, name: str, kind: str, external_id: str, *,
                lock: bool = False) -> Mapping | None:
    t = sync_external_ids
    query = select(t).where(t.c.connection == name, t.c.kind == kind,
                            t.c.external_id == external_id)
    row = connection.execute(query.with_for_update() if lock else query).first()
    return None if row is None else Mapping(row.local_id, row.external_id, row.version, row.data)


def by_local(connection: Connection, name: str, kind: str, local_id: str) -> Mapping | None:
    t = sync_external_ids
    row = connection.execute(select(t).where(t.c.connection == name, t.c.kind == kind,
                                             t.c.local_id == local_id)).first()
    return None if row is None else Mapping(row.local_id, row.external_id, row.version, row.data)


def put(connection: Connection, name: str, kind: str, mapping: Mapping, *,
        now: datetime) -> None:
    t = sync_external_ids
    values = {"external_id": mapping.external_id, "version": mapping.version,
              "data": mapping.data, "updated_at": now}
    connection.execute(
        insert_for(connection, t).values(connection=name, kind=kind,
                                         local_id=mapping.local_id, **values)
        .on_conflict_do_update(index_elements=[t.c.connection, t.c.kind, t.c.local_id],
                               set_=values))


def forget_external(connection: Connection, name: str, kind: str, external_id: str) -> None:
    t = sync_external_ids
    connection.execute(delete(t).where(t.c.connection == name, t.c.kind == kind,
                                       t.c.external_id == external_id))


def put_new(connection: Connection, name: str, kind: str, mapping: Mapping, *,
            now: datetime) -> None:
    """Map ``mapping`` unless it is mapped already (another worker's row stays as it is)."""
    t = sync_external_ids
    connection.execute(
        insert_for(connection, t).values(connection=name, kind=kind, local_id=mapping.local_id,
                                         external_id=mapping.external_id,
                                         version=mapping.version, data=mapping.data,
                                         updated_at=now)
        .on_conflict_do_nothing())


def cursor(connection: Connection, name: str, cursor_name: str) -> str | None:
    t = sync_cursors
    value: str | None = connection.execute(
        select(t.c.value).where(t.c.connection == name, t.c.name == cursor_name)
    ).scalar_one_or_none()
    return value


def set_cursor(connection: Connection, name: str, cursor_name: str, value: str, *,
               now: datetime) -> None:
    t = sync_cursors
    connection.execute(
        insert_for(connection, t).values(connection=name, name=cursor_name, value=value,
                                         updated_at=now)
        .on_conflict_do_update(index_elements=[t.c.connection, t.c.name],
                               set_={"value": value, "updated_at": now}))
