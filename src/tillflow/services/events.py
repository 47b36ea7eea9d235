"""Reading the events log: sequence what has committed, then page through it."""

from __future__ import annotations

from tillflow.db import outbox
from tillflow.db.outbox import StoredEvent
from tillflow.services.context import ServiceContext

MAX_PAGE = 500


def sequence_events(ctx: ServiceContext) -> int:
    with ctx.uow(read_only=True) as uow:
        if not outbox.has_unsequenced(uow.connection):
            return 0
    with ctx.uow() as uow:
        assigned = outbox.sequence_pending(uow.connection)
        uow.commit()
    return assigned


def read_events(ctx: ServiceContext, *, after: int, limit: int) -> list[StoredEvent]:
    while sequence_events(ctx) == outbox.SEQUENCE_BATCH:
        pass
    with ctx.uow(read_only=True) as uow:
        return outbox.read_after(uow.connection, after, min(limit, MAX_PAGE))
