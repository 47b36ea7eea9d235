"""The composition root: the one place that builds engines, contexts and the app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from fastapi import FastAPI

from tillflow.api.app import create_app
from tillflow.connectors import available
from tillflow.db.engine import build_engine, is_sqlite
from tillflow.security.secret_box import SecretBox, load_key
from tillflow.services.context import ServiceContext
from tillflow.services.setup import load_config
from tillflow.settings import Settings
from tillflow.sync.consumers import ConsumerRunner, EventConsumer
from tillflow.sync.worker import start_in_background


def build_context(settings: Settings) -> ServiceContext:
    settings.ensure_home()
    engine = build_engine(settings.database_url)
    try:
        return ServiceContext(
            engine, load_config(engine),
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
        ctx.engine.dispose()


def build_consumers(ctx: ServiceContext) -> list[EventConsumer]:
    """Every consumer of the events log that a worker runs."""
    return []


def build_app(settings: Settings, *, run_worker: bool | None = None) -> FastAPI:
    """The API; on SQLite (one process) it also runs the worker in a background thread."""
    ctx = build_context(settings)
    embedded = is_sqlite(ctx.engine) if run_worker is None else run_worker

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if not embedded:
            yield
            return
        thread, stop = start_in_background(ConsumerRunner(ctx, build_consumers(ctx)))
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=10)

    return create_app(ctx, max_body_bytes=settings.max_body_bytes, lifespan=lifespan)


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` worker processes."""
    return build_app(Settings.from_env())
