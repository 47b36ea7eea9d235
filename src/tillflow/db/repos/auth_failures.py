"""Failed credential checks counted per subject (a client address, a staff member)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, case

from tillflow.db.dialects import insert_for
from tillflow.db.tables_controls import auth_failures


class AuthFailureRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def count(self, subject: str, *, now: datetime,
              window_start_after: datetime) -> tuple[int, datetime]:
        statement = insert_for(self._connection, auth_failures).values(
            subject=subject, window_start=now, failures=1)
        stored = auth_failures.c
        over = stored.window_start <= window_start_after
        # One statement: concurrent failures each add one, and none is lost.
        row = self._connection.execute(statement.on_conflict_do_update(
            index_elements=[stored.subject],
            set_={"failures": case((over, 1), else_=stored.failures + 1),
                  "window_start": case((over, statement.excluded.window_start),
                                       else_=stored.window_start)},
        ).returning(stored.failures, stored.window_start)).one()
        started: datetime = row.window_start
        return int(row.failures), started
