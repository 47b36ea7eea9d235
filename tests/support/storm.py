"""What the storm tests share: a store served over HTTP whose sync runs in a separate
``tillflow worker`` process (so it can be SIGKILLed), and waiting with the worker's log."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import Engine

from tillflow.api.app import create_app
from tillflow.connectors import available
from tillflow.db.setup import initialise
from tillflow.db.uow import SqlStore
from tillflow.security.secret_box import SecretBox, new_key
from tillflow.services.context import ServiceContext
from tillflow.sync.engine import SyncEngine, SyncOptions


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


def wait_for(condition: Callable[[], bool], *, what: str, log: Path,
             timeout: float = 45.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-4000:]
            raise AssertionError(f"no {what} within {timeout}s; worker log:\n{tail}")
        time.sleep(0.25)
