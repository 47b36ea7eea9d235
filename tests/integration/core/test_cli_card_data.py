"""The command line keeps card numbers out as the API does: an option of free text holding
one is refused before the command runs, and a CSV row holding one is rejected by line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tillflow.cli import app
from tillflow.db.engine import build_engine
from tillflow.db.setup import load_config
from tillflow.db.uow import SqlStore
from tillflow.domain.card_data import contains_card_number
from tillflow.services import catalog
from tillflow.services.context import ServiceContext

PAN = "4242 4242 4242 4242"


def _run(tmp_path: Path, *args: str) -> tuple[int, str]:
    env = {"TILLFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "TILLFLOW_HOME": str(tmp_path / "home")}
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_free_text_options_refuse_card_numbers(tmp_path: Path) -> None:
    code, out = _run(tmp_path, "init", "--store-name", f"Shop {PAN}")
    assert code == 2
    assert "card number" in out
    assert _run(tmp_path, "init", "--store-name", "Corner shop")[0] == 0
    for args in (("token", "create", "--role", "cashier", "--name", PAN),
                 ("staff", "add", "--name", f"Ana {PAN}", "--role", "cashier", "--pin", "1234")):
        code, out = _run(tmp_path, *args)
        assert code == 2, out
        assert not contains_card_number(out)


def test_an_imported_row_holding_a_card_number_is_rejected_by_line(tmp_path: Path) -> None:
    assert _run(tmp_path, "init")[0] == 0
    rows = tmp_path / "products.csv"
    rows.write_text("sku,name,price\nTEA,Green tea,4.20\n"
                    f"CARD,Paid with {PAN},1.00\n4242424242424242,Card as SKU,1.00\n")
    code, out = _run(tmp_path, "import", "products", str(rows))
    assert code == 1
    assert "1 created, 0 updated, 0 unchanged, 2 rejected" in out
    assert not contains_card_number(out)
    engine = build_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    ctx = ServiceContext(SqlStore(engine), load_config(engine))
    found = catalog.search_products(ctx, query=None, after_sku=None, limit=10)
    assert [p.sku for p in found] == ["TEA"]
    engine.dispose()
