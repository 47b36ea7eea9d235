"""What the storm tests share: a store served over HTTP whose sync runs in a separate
``tillflow worker`` process, killing that worker while it provably holds claimed
deliveries, and waiting on the sync's progress with the worker's log."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import Engine, func, select

from support.sync_progress import sync_progress
from support.waiting import wait_progressing, wait_until
from tillflow.api.app import create_app
from tillflow.connectors import available
from tillflow.db.setup import initialise
from tillflow.db.tables_sync import sync_deliveries
from tillflow.db.uow import SqlStore
from tillflow.security.secret_box import SecretBox, new_key
from tillflow.services.context import ServiceContext
from tillflow.sync.engine import SyncEngine, SyncOptions
from tillflow.sync.work_queue import PENDING

# A storm's wait fails after this long without progress: longer than any pause the worker
# takes in these storms (a 2 s lease left by the killed worker, Retry-After, or up to 16 s
# of backoff after five failed attempts while Vendure restarts).
STALL = 30.0


@dataclass(frozen=True)
class StormStore:
    ctx: ServiceContext
    app: FastAPI
    sync: SyncEngine
    database_url: str
    secret_key: str


def storm_store(engine: Engine) -> StormStore:
    """A fresh store whose API does not run the sync itself: the worker process does."""
    key = new_key()
    ctx = ServiceContext(SqlStore(engine), initialise(engine), secret_box=SecretBox(key),
                         connectors=available.registry())
    app = create_app(ctx)
    app.state.sync = sync = SyncEngine(ctx, ctx.connectors.commerce_factories(),
                                       SyncOptions(poll_seconds=0))
    return StormStore(ctx, app, sync, engine.url.render_as_string(hide_password=False), key)


@contextmanager
def worker(store: StormStore, public_url: str, log: Path
           ) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "TILLFLOW_DATABASE_URL": store.database_url,
           "TILLFLOW_SECRET_KEY": store.secret_key, "TILLFLOW_PUBLIC_URL": public_url,
           "TILLFLOW_SYNC_LEASE_SECONDS": "2", "TILLFLOW_SYNC_POLL_SECONDS": "1"}
    with log.open("ab") as out:
        process = subprocess.Popen([sys.executable, "-m", "tillflow", "worker"], env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=15)


def wait_synced(condition: Callable[[], bool], *, engine: Engine, what: str,
                log: Path) -> None:
    """Wait for ``condition`` while the sync keeps moving; fails, with the worker's log,
    once it stood still for ``STALL`` seconds."""
    with _log_on_failure(log):
        wait_progressing(condition, progress=lambda: sync_progress(engine), stall=STALL,
                         message=f"still waiting for {what}")


def last_delivery(engine: Engine) -> int:
    """The newest delivery row's id, 0 when there is none."""
    with engine.connect() as connection:
        newest = connection.execute(select(func.max(sync_deliveries.c.id))).scalar_one()
    return int(newest or 0)


def kill_mid_batch(process: subprocess.Popen[bytes], engine: Engine, *, after: int,
                   log: Path) -> list[int]:
    """SIGKILL the worker while it holds deliveries newer than row ``after`` that it
    claimed and has not finished; the ids of those it died holding (PostgreSQL only).

    The worker is frozen (SIGSTOP) before its leased rows are read again with SKIP LOCKED:
    a row it is finishing at that instant is locked by its open transaction and skipped,
    and a frozen worker starts no other, so every row returned is unfinished at its death.
    """
    def frozen_holding() -> list[int]:
        if not _leased(engine, after=after, skip_locked=False):
            return []
        process.send_signal(signal.SIGSTOP)
        held = _leased(engine, after=after, skip_locked=True)
        if not held:  # it finished them in the meantime: let it go on, look again
            process.send_signal(signal.SIGCONT)
        return held

    try:
        with _log_on_failure(log):
            return wait_until(frozen_holding, timeout=60, interval=0.01,
                              message="the worker never held a claimed delivery")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)


def delivery_statuses(engine: Engine, ids: list[int]) -> set[str]:
    with engine.connect() as connection:
        return set(connection.execute(select(sync_deliveries.c.status)
                                      .where(sync_deliveries.c.id.in_(ids))).scalars())


def _leased(engine: Engine, *, after: int, skip_locked: bool) -> list[int]:
    d = sync_deliveries
    claimed = select(d.c.id).where(d.c.id > after, d.c.status == PENDING,
                                   d.c.lease_owner.is_not(None))
    if skip_locked:
        claimed = claimed.with_for_update(skip_locked=True)
    with engine.begin() as connection:
        return list(connection.execute(claimed).scalars())


@contextmanager
def _log_on_failure(log: Path) -> Iterator[None]:
    try:
        yield
    except AssertionError as failure:
        tail = log.read_text(errors="replace")[-4000:]
        raise AssertionError(f"{failure}\nworker log:\n{tail}") from None
