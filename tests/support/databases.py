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
# The names of the tables a test may have written that hold a row.
_TABLES_WITH_ROWS = text(" UNION ALL ".join(
    f"(SELECT '{table.name}' FROM {table.name} LIMIT 1)" for table in metadata.sorted_tables
    if table.name not in _KEEP_BETWEEN_TESTS))


@contextmanager
def postgres_database(*, migrated: bool = True) -> Iterator[str]:
    """A new PostgreSQL database for one test session, migrated unless the test migrates it
    itself; dropped afterwards."""
    name = f"tillflow_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        # Throwaway data: a commit need not wait for the disk. Nothing else changes, as what
        # one session commits is visible to the others at once either way.
        connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
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
    """Empties what the last test wrote, as a new database would be: only the tables that
    hold rows are truncated (a truncation costs milliseconds a table, most tests touch
    few), and every sequence that moved starts again."""
    with engine.begin() as connection:
        used = list(connection.execute(_TABLES_WITH_ROWS).scalars())
        if used:
            connection.execute(text(f"TRUNCATE {', '.join(used)} RESTART IDENTITY CASCADE"))
        # A rolled-back insert moves a sequence and leaves no row.
        moved = connection.execute(text(
            "SELECT format('%I.%I', schemaname, sequencename) FROM pg_sequences"
            " WHERE last_value IS NOT NULL AND schemaname = current_schema()")).scalars()
        for sequence in list(moved):
            connection.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))
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
