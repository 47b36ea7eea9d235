"""The composition root: the one place that builds engines, contexts and the app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import timedelta
from typing import Any

from fastapi import FastAPI

from tillflow.api.app import create_app
from tillflow.connectors import available
from tillflow.db.engine import build_engine, is_sqlite
from tillflow.db.files import sqlite_path
from tillflow.db.setup import NotInitialised, initialise, load_config
from tillflow.db.uow import SqlStore, engine_of
from tillflow.domain.store import StoreConfig
from tillflow.erp.adapters import accounting_for, catalog_for
from tillflow.erp.consumer import JournalConsumer
from tillflow.erp.polling import ErpPolling
from tillflow.erp.poster import PostingRunner
from tillflow.receipts.mailer import receipt_consumers, receipt_jobs
from tillflow.security.secret_box import SecretBox, load_key
from tillflow.services.context import ServiceContext
from tillflow.services.payments.fees import FeeReading
from tillflow.services.payments.gateways import gateways_of
from tillflow.services.payments.resolver import PaymentResolver, PaymentSweep
from tillflow.settings import Settings
from tillflow.sync.consumers import ConsumerRunner, EventConsumer
from tillflow.sync.engine import SyncEngine, SyncOptions
from tillflow.sync.worker import start_in_background


def build_context(settings: Settings) -> ServiceContext:
    # A command run in the wrong folder says where it looked, and leaves nothing behind.
    sqlite = settings.database_url.startswith("sqlite")
    path = sqlite_path(settings.database_url) if sqlite else None
    if path is not None and not path.exists():
        raise NotInitialised(f"no tillflow store at {path}; run `tillflow init`, or set "
                             "TILLFLOW_HOME (or TILLFLOW_DATABASE_URL) to the store's")
    settings.ensure_home()
    engine = build_engine(settings.database_url)
    try:
        return ServiceContext(
            SqlStore(engine), load_config(engine),
            secret_box=SecretBox(load_key(environ_key=settings.secret_key, home=settings.home)),
            connectors=available.registry(),
        )
    except BaseException:
        engine.dispose()
        raise


@contextmanager
def open_context(settings: Settings) -> Iterator[ServiceContext]:
    """A context for one command; its connections are closed when the command ends."""
    ctx = build_context(settings)
    try:
        yield ctx
    finally:
        gateways_of(ctx).close()
        engine_of(ctx.store).dispose()


def build_consumers(ctx: ServiceContext) -> list[EventConsumer]:
    """Every consumer of the events log that a worker runs."""
    return [*receipt_consumers(), PaymentResolver(), JournalConsumer()]


def build_sync(ctx: ServiceContext, settings: Settings) -> SyncEngine:
    """The sync engine with every shipped web shop platform."""
    return SyncEngine(ctx, ctx.connectors.commerce_factories(), SyncOptions(
        public_url=settings.public_url or "http://127.0.0.1:8000",
        lease_seconds=settings.sync_lease_seconds, poll_seconds=settings.sync_poll_seconds))


def build_runner(ctx: ServiceContext, sync: SyncEngine) -> ConsumerRunner:
    """What a worker runs: the events-log consumers and the sync engine's jobs."""
    return ConsumerRunner(ctx, [*build_consumers(ctx), sync.relay],
                          jobs=[*sync.jobs, PostingRunner(ctx, accounting_for),
                                ErpPolling(ctx, catalog_for),
                                *receipt_jobs(ctx), PaymentSweep(ctx), FeeReading(ctx)],
                          batch=500, lease=timedelta(seconds=sync.options.lease_seconds))


def build_app(settings: Settings, *, run_worker: bool | None = None) -> FastAPI:
    """The API; on SQLite (one process) it also runs the worker in a background thread."""
    ctx = build_context(settings)
    sync = build_sync(ctx, settings)
    embedded = is_sqlite(engine_of(ctx.store)) if run_worker is None else run_worker

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if not embedded:
            try:
                yield
            finally:
                gateways_of(ctx).close()
            return
        thread, stop = start_in_background(build_runner(ctx, sync))
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=10)
            gateways_of(ctx).close()

    app = create_app(ctx, max_body_bytes=settings.max_body_bytes, lifespan=lifespan)
    app.state.sync = sync
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` worker processes."""
    return build_app(Settings.from_env())


def initialise_store(settings: Settings, **options: Any) -> StoreConfig:
    """Create or migrate the store's database (``tillflow init``)."""
    settings.ensure_home()
    engine = build_engine(settings.database_url)
    try:
        return initialise(engine, **options)
    finally:
        engine.dispose()
