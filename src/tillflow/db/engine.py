"""Engines for SQLite (embedded default) and PostgreSQL, built from settings."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import ConnectionPoolEntry

from tillflow.db.files import secure_sqlite_file
from tillflow.ports.persistence import DuplicateRecord, ValueOutOfRange

READ_ONLY = "tillflow_read_only"


def _to_json(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def build_engine(url: str, *, pool_size: int = 20) -> Engine:
    engine = _build(url, pool_size=pool_size)
    event.listen(engine, "handle_error", _duplicates_as_domain_errors)
    return engine


# PostgreSQL's unique_violation; SQLite says so in its message.
_UNIQUE_VIOLATION = "23505"
# PostgreSQL's numeric_value_out_of_range; SQLite's driver raises OverflowError.
_OUT_OF_RANGE = "22003"


def _duplicates_as_domain_errors(context: ExceptionContext) -> None:
    """A unique key violated reaches the services as ``DuplicateRecord``: they decide by
    unique keys (claims, idempotency keys) and must not know the driver's errors. A figure
    too large for its column is the client's error, ``ValueOutOfRange``."""
    original = context.original_exception
    if (isinstance(original, OverflowError)
            or getattr(original, "sqlstate", None) == _OUT_OF_RANGE):
        raise ValueOutOfRange("a figure is too large to record") from original
    if not isinstance(context.sqlalchemy_exception, IntegrityError):
        return
    if (getattr(original, "sqlstate", None) == _UNIQUE_VIOLATION
            or "UNIQUE constraint failed" in str(original)):
        raise DuplicateRecord(str(original).splitlines()[0]) from context.sqlalchemy_exception


def _build(url: str, *, pool_size: int) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    if parsed.drivername == "postgresql":
        url = str(parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False))
    # No pre-ping (a round trip per checkout): after a lost connection SQLAlchemy drops the
    # whole pool, so one request fails and the next ones reconnect.
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800,
                         json_serializer=_to_json, json_deserializer=orjson.loads)


def _sqlite_engine(url: str) -> Engine:
    secure_sqlite_file(url)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                           json_serializer=_to_json, json_deserializer=orjson.loads)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A write transaction takes the write lock up front: a deferred one that reads
        # first and writes later can fail with SQLITE_BUSY when another writer commits
        # in between, which busy_timeout cannot wait out.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
