"""Print jobs in a small SQLite file, so an accepted job survives an agent restart.

The idempotency key is unique in the table: a retried request finds the job the first
attempt created instead of adding a second one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal
from uuid import uuid4

JobStatus = Literal["pending", "printed"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS print_jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    idempotency_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    data BLOB NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL,
    printed_at TEXT
);
CREATE TABLE IF NOT EXISTS drawer_openings (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL,
    user TEXT NOT NULL,
    reason TEXT NOT NULL,
    opened_at TEXT NOT NULL
);
"""


@dataclass(frozen=True, kw_only=True)
class PrintJob:
    id: str
    idempotency_key: str
    kind: str
    data: bytes
    status: JobStatus
    attempts: int
    last_error: str | None


@dataclass(frozen=True, kw_only=True)
class DrawerOpening:
    job_id: str
    user: str
    reason: str
    opened_at: datetime


class JobQueue:
    """Each call opens its own connection, so the worker thread and requests never share one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            yield db
        finally:
            db.close()

    def enqueue(
        self, *, idempotency_key: str, kind: str, data: bytes, now: datetime
    ) -> tuple[PrintJob, bool]:
        """The job for ``idempotency_key`` and whether this call created it."""
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO print_jobs (id, idempotency_key, kind, data, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
                (str(uuid4()), idempotency_key, kind, data, now.isoformat()),
            )
            created = cursor.rowcount == 1
            row = db.execute(_SELECT + " WHERE idempotency_key = ?", (idempotency_key,)).fetchone()
        return _job(row), created

    def log_drawer_opening(self, opening: DrawerOpening) -> None:
        with self._connect() as db:
            db.execute(
                "INSERT INTO drawer_openings (job_id, user, reason, opened_at) VALUES (?, ?, ?, ?)",
                (opening.job_id, opening.user, opening.reason, opening.opened_at.isoformat()),
            )

    def drawer_openings(self) -> list[DrawerOpening]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT job_id, user, reason, opened_at FROM drawer_openings ORDER BY seq"
            ).fetchall()
        return [
            DrawerOpening(
                job_id=job_id, user=user, reason=reason, opened_at=datetime.fromisoformat(at)
            )
            for job_id, user, reason, at in rows
        ]

    def next_pending(self) -> PrintJob | None:
        with self._connect() as db:
            row = db.execute(_SELECT + " WHERE status = 'pending' ORDER BY seq LIMIT 1").fetchone()
        return _job(row) if row else None

    def get(self, job_id: str) -> PrintJob | None:
        with self._connect() as db:
            row = db.execute(_SELECT + " WHERE id = ?", (job_id,)).fetchone()
        return _job(row) if row else None

    def mark_printed(self, job_id: str, *, now: datetime) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE print_jobs SET status = 'printed', printed_at = ?, attempts = attempts + 1,"
                " last_error = NULL WHERE id = ?",
                (now.isoformat(), job_id),
            )

    def mark_failed(self, job_id: str, *, error: str) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE print_jobs SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                (error, job_id),
            )

    def counts(self) -> dict[str, int]:
        with self._connect() as db:
            rows = db.execute("SELECT status, COUNT(*) FROM print_jobs GROUP BY status").fetchall()
        return {"pending": 0, "printed": 0} | dict(rows)


_SELECT = "SELECT id, idempotency_key, kind, data, status, attempts, last_error FROM print_jobs"


def _job(row: tuple[str, str, str, bytes, JobStatus, int, str | None]) -> PrintJob:
    return PrintJob(
        id=row[0],
        idempotency_key=row[1],
        kind=row[2],
        data=row[3],
        status=row[4],
        attempts=row[5],
        last_error=row[6],
    )
