"""``tillflow staff add``, ``pair`` and ``unpair`` on a SQLite store."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tillflow.cli import app
from tillflow.db.engine import build_engine
from tillflow.db.uow import SqlStore
from tillflow.domain.money import Currency
from tillflow.domain.store import StoreConfig
from tillflow.services import locations, staff
from tillflow.services.context import ServiceContext


def test_staff_are_added_and_registers_paired_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    env = {"TILLFLOW_DATABASE_URL": url, "TILLFLOW_HOME": str(tmp_path / "home")}

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, list(args), env=env)
        return result.exit_code, result.output

    assert run("init")[0] == 0
    code, out = run("staff", "add", "--name", "Ana", "--role", "cashier", "--pin", "1234")
    assert (code, out.strip()) == (0, "Ana can sign in as cashier")
    assert run("staff", "add", "--name", "Bo", "--role", "cashier", "--pin", "12")[0] == 1
    assert run("staff", "pair", "--register", "R1")[0] == 1  # no such register yet

    engine = build_engine(url)
    ctx = ServiceContext(SqlStore(engine), StoreConfig(currency=Currency.of("USD")))
    locations.create_location(ctx, code="S1", name="Shop", kind="store")
    locations.create_register(ctx, code="R1", location_code="S1")
    code, token = run("staff", "pair", "--register", "R1")
    assert code == 0
    paired = staff.paired_register(ctx, token.strip())
    assert paired is not None
    assert (paired.register, paired.staff) == ("R1", [("Ana", "cashier")])
    session = staff.sign_in(ctx, register="R1", name="Ana", pin="1234")
    assert session.role == "cashier"

    code, out = run("staff", "unpair", "--register", "R1")
    assert code == 0
    assert "1 session(s) ended" in out
    assert staff.paired_register(ctx, token.strip()) is None
    with pytest.raises(staff.RegisterUnpaired):
        staff.authenticate_session(ctx, session.token)
    assert run("staff", "unpair", "--register", "R404")[0] == 1
    engine.dispose()
