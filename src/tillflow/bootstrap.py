"""The composition root: the one place that builds engines, contexts and the app."""

from __future__ import annotations

from fastapi import FastAPI

from tillflow.api.app import create_app
from tillflow.db.engine import build_engine
from tillflow.services.context import ServiceContext
from tillflow.services.setup import load_config
from tillflow.settings import Settings


def build_context(settings: Settings) -> ServiceContext:
    settings.ensure_home()
    engine = build_engine(settings.database_url)
    return ServiceContext(engine, load_config(engine))


def build_app(settings: Settings) -> FastAPI:
    return create_app(build_context(settings), max_body_bytes=settings.max_body_bytes)


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` worker processes."""
    return build_app(Settings.from_env())
