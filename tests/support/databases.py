"""Fresh databases for tests: SQLite files and PostgreSQL databases, migrated once."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from tillflow.db.engine import build_engine
from tillflow.db.migrate import upgrade
from tillflow.db.schema import metadata

POSTGRES_ADMIN_URL = os.environ.get(
    "TILLFLOW_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
_KEEP_BETWEEN_TESTS = {"event_sequence", "alembic_version", "audit_head"}


@contextmanager
def postgres_database(*, migrated: bool = True) -> Iterator[str]:
    """A new PostgreSQL database for one test session, migrated unless the test migrates it
    itself; dropped afterwards."""
    name = f"tillflow_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    if migrated:
        engine = build_engine(url)
        upgrade(engine)
        engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def sqlite_template(directory: Path) -> Path:
    """A migrated SQLite file that tests copy instead of migrating again."""
    path = directory / "template.db"
    engine = build_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection to close checkpoints the WAL into the file
    return path


def fresh_sqlite(template: Path, directory: Path) -> str:
    path = directory / "tillflow.db"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def wipe_postgres(engine: Engine) -> None:
    tables = [t.name for t in metadata.sorted_tables if t.name not in _KEEP_BETWEEN_TESTS]
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        connection.execute(text("UPDATE event_sequence SET last_seq = 0"))
        connection.execute(text("UPDATE audit_head SET last_seq = 0, last_hash = ''"))


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table: two equal snapshots prove a command wrote nothing."""
    with engine.connect() as connection:
        return {
            table.name: int(connection.execute(
                text(f"SELECT count(*) FROM {table.name}")).scalar_one())
            for table in metadata.sorted_tables
        }
