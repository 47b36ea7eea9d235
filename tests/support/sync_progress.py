"""How far the sync has got, read from its tables: what a wait on the sync watches, so it
fails when these figures stop moving rather than after a fixed time."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Engine, func, select

from tillflow.db.tables import sales
from tillflow.db.tables_sync import sync_deliveries, sync_inbox
from tillflow.sync.work_queue import DEAD, DONE, PENDING


class SyncProgress(NamedTuple):
    deliveries_queued: int
    deliveries_done: int
    deliveries_dead: int
    webhooks_handled: int
    sales: int


def sync_progress(engine: Engine) -> SyncProgress:
    d = sync_deliveries
    with engine.connect() as connection:
        by_status = {str(status): int(n) for status, n in connection.execute(
            select(d.c.status, func.count()).group_by(d.c.status)).all()}
        handled = connection.execute(
            select(func.count()).select_from(sync_inbox)
            .where(sync_inbox.c.status != PENDING)).scalar_one()
        recorded = connection.execute(select(func.count()).select_from(sales)).scalar_one()
    return SyncProgress(deliveries_queued=sum(by_status.values()),
                        deliveries_done=by_status.get(DONE, 0),
                        deliveries_dead=by_status.get(DEAD, 0),
                        webhooks_handled=int(handled), sales=int(recorded))
