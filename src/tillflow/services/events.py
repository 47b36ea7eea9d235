"""Reading the events log: sequence what has committed, then page through it."""

from __future__ import annotations

from tillflow.ports.records import StoredEvent
from tillflow.services.context import ServiceContext

MAX_PAGE = 500


def _sequence_some(ctx: ServiceContext) -> bool:
    """Give sequence numbers to a batch of committed events; True when the batch was full,
    so more may be waiting."""
    with ctx.uow(read_only=True) as uow:
        if not uow.events.has_unsequenced():
            return False
    with ctx.uow() as uow:
        assigned = uow.events.sequence_pending()
        full = assigned == uow.events.sequence_batch
        uow.commit()
    return full


def read_events(ctx: ServiceContext, *, after: int, limit: int) -> list[StoredEvent]:
    while _sequence_some(ctx):
        pass
    with ctx.uow(read_only=True) as uow:
        return uow.events.read_after(after, min(limit, MAX_PAGE))
