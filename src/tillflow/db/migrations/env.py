"""Alembic environment: runs against the connection or URL tillflow hands it."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection
from sqlalchemy.types import TypeDecorator

from tillflow.db.engine import build_engine
from tillflow.db.schema import metadata


def _plain_types(kind: str, value: Any, _context: AutogenContext) -> str | Literal[False]:
    # A revision must not import application code that may change after it is written, so
    # tillflow's own column types are written as the plain type they store.
    if kind == "type" and isinstance(value, TypeDecorator):
        return f"sa.{value.impl!r}"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # Revisions are written against PostgreSQL but run on SQLite too, which can alter a
        # table only by copying it: batch operations copy it there and ALTER it elsewhere.
        render_as_batch=True,
        compare_type=True,
        render_item=_plain_types,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = build_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as new_connection:
        _run(new_connection)
    engine.dispose()
