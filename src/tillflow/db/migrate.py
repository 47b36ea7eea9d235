"""Schema migrations through Alembic, run by ``tillflow init`` and the test fixtures."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy import Connection, Engine

from tillflow.db.engine import is_sqlite

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str = "") -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine) -> None:
    """Apply every revision up to the one head. Two revisions written side by side make
    two heads, and this fails instead of applying them in an order nobody reviewed."""
    with engine.connect() as connection:
        if not is_sqlite(engine):
            with connection.begin():
                _apply(connection)
            return
        # SQLite alters a table by copying it and dropping the original; with foreign keys
        # enforced, that drop deletes (or refuses to delete) the rows that reference it. The
        # switch works only outside a transaction; the check finds what a revision broke.
        _foreign_keys(connection, "OFF")
        try:
            with connection.begin():
                _apply(connection)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise CommandError(f"the upgrade left rows that refer to none: {broken}")
        finally:
            _foreign_keys(connection, "ON")


def _apply(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _foreign_keys(connection: Connection, state: str) -> None:
    cursor = connection.connection.cursor()
    cursor.execute(f"PRAGMA foreign_keys={state}")
    cursor.close()
