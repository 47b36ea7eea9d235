"""The ``tillflow`` command against real databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine
from typer.testing import CliRunner

from support.databases import postgres_database
from tillflow.cli import app
from tillflow.db.engine import build_engine
from tillflow.db.schema import metadata
from tillflow.db.setup import load_config
from tillflow.db.uow import SqlStore
from tillflow.services import catalog
from tillflow.services.context import ServiceContext

CSV = """sku,name,price,tax_rate,barcodes,active
TEA,Green tea,4.20,0.07,4006381333931,true
BAD-PRICE,Broken,4.2.0,0.07,,true
COFFEE,Coffee,9.99,0.07,036000291452|5901234123457,yes
BAD-CODE,Wrong barcode,1.00,0,4006381333932,true
,No sku,1.00,0,,true
OLD,Retired,1.00,0,,no
BAD-FLAG,Flag,1.00,0,,maybe
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> object:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cli.db'}"
        return
    with postgres_database() as url:
        yield url


def run(url: str, tmp_path: Path, *args: str) -> tuple[int, str]:
    env = {"TILLFLOW_DATABASE_URL": url, "TILLFLOW_HOME": str(tmp_path / "home")}
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_init_token_import_and_verify(database_url: str, tmp_path: Path) -> None:
    assert run(database_url, tmp_path, "token", "create", "--role", "admin")[0] == 1
    code, out = run(database_url, tmp_path, "init", "--currency", "eur", "--phone-region", "de")
    assert code == 0, out
    assert "EUR" in out
    assert run(database_url, tmp_path, "init", "--currency", "USD")[0] == 0
    engine = build_engine(database_url)
    assert load_config(engine).currency.code == "EUR"  # a store keeps its currency
    code, token = run(database_url, tmp_path, "token", "create", "--role", "cashier")
    assert code == 0
    assert token.strip().startswith("tf_")
    assert run(database_url, tmp_path, "token", "create", "--role", "owner")[0] == 1

    csv_file = tmp_path / "products.csv"
    csv_file.write_text(CSV)
    code, out = run(database_url, tmp_path, "import", "products", str(csv_file))
    assert code == 1
    assert "3 created, 0 updated, 0 unchanged, 4 rejected" in out
    for line in ("3", "5", "6", "8"):
        assert f"│ {line}" in out
    code, out = run(database_url, tmp_path, "import", "products", str(csv_file))
    assert "0 created, 0 updated, 3 unchanged, 4 rejected" in out
    code, out = run(database_url, tmp_path, "stock", "verify")
    assert (code, "matches" in out) == (0, True)
    _assert_catalog(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    engine.dispose()


def _assert_catalog(engine: Engine) -> None:
    ctx = ServiceContext(SqlStore(engine), load_config(engine))
    coffee = catalog.get_product(ctx, "COFFEE")
    assert [b.code for b in coffee.barcodes] == ["036000291452", "5901234123457"]
    assert str(coffee.price) == "9.99"
    assert catalog.get_product(ctx, "OLD").active is False


def test_import_rejects_a_file_without_the_columns(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert run(url, tmp_path, "init")[0] == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("code,title\nA,B\n")
    code, out = run(url, tmp_path, "import", "products", str(bad))
    assert code == 1
    assert "missing column" in out
