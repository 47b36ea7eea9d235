"""The embedded store's files, readable by their owner only.

A SQLite database holds the books, the hashed PINs and tokens and the sealed secrets; a
copy read by another account of the machine is a leaked database. SQLite gives its WAL
and shared-memory files the database file's permissions, so the database is created 0600
before SQLite opens it, and files left more open by an earlier version are closed down.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

OWNER_ONLY = 0o600
_COMPANIONS = ("", "-wal", "-shm", "-journal")


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL, None for an in-memory one."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def secure_sqlite_file(url: str) -> None:
    path = sqlite_path(url)
    if path is None:
        return
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, OWNER_ONLY))
    for suffix in _COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.chmod(OWNER_ONLY)
