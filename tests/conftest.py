"""Fixtures: every database test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support.api import Api
from support.databases import (
    fresh_sqlite,
    postgres_database,
    sqlite_template,
    wipe_postgres,
)
from tillflow.api.app import create_app
from tillflow.connectors import available
from tillflow.db.engine import build_engine
from tillflow.db.uow import SqlStore
from tillflow.domain.money import Currency
from tillflow.domain.store import StoreConfig
from tillflow.services.context import ServiceContext

DATABASES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def _postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def _postgres_engine(_postgres_url: str) -> Iterator[Engine]:
    engine = build_engine(_postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(params=DATABASES)
def database(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def engine(database: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if database == "postgresql":
        shared: Engine = request.getfixturevalue("_postgres_engine")
        wipe_postgres(shared)
        yield shared
        return
    template: Path = request.getfixturevalue("_sqlite_template")
    own = build_engine(fresh_sqlite(template, tmp_path))
    yield own
    own.dispose()


@pytest.fixture
def store_config() -> StoreConfig:
    return StoreConfig(currency=Currency.of("USD"))


@pytest.fixture
def ctx(engine: Engine, store_config: StoreConfig) -> ServiceContext:
    return ServiceContext(SqlStore(engine), store_config, connectors=available.registry())


@pytest.fixture
def api(ctx: ServiceContext) -> Iterator[Api]:
    with TestClient(create_app(ctx, max_body_bytes=65_536)) as client:
        yield Api(client, ctx)


# The suite runs on four xdist workers (``--dist loadgroup``). A peer started once per
# session is started once per worker that needs it, so the tests sharing one run on the
# same worker.
_SESSION_PEERS = {
    "woo_stack": "woocommerce",
    "_vendure_installed": "vendure",
    "localstripe_server": "localstripe",
    "odoo_servers": "odoo",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        group = next((g for f, g in _SESSION_PEERS.items() if f in fixtures), None)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
