"""The composition root: the one place that builds engines, contexts and the app."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI

from tillflow.api.app import create_app
from tillflow.db.engine import build_engine
from tillflow.services.context import ServiceContext
from tillflow.services.setup import load_config
from tillflow.settings import Settings


def build_context(settings: Settings) -> ServiceContext:
    settings.ensure_home()
    engine = build_engine(settings.database_url)
    try:
        return ServiceContext(engine, load_config(engine))
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


def build_app(settings: Settings) -> FastAPI:
    return create_app(build_context(settings), max_body_bytes=settings.max_body_bytes)


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` worker processes."""
    return build_app(Settings.from_env())
