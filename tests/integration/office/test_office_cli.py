"""``tillflow staff password`` sets a member's back-office password."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tillflow.cli import app
from tillflow.db.engine import build_engine
from tillflow.db.uow import SqlStore
from tillflow.domain.money import Currency
from tillflow.domain.store import StoreConfig
from tillflow.services import office_sessions
from tillflow.services.context import ServiceContext


def test_a_password_is_set_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    env = {"TILLFLOW_DATABASE_URL": url, "TILLFLOW_HOME": str(tmp_path / "home")}

    def run(*args: str, typed: str | None = None) -> tuple[int, str]:
        result = CliRunner().invoke(app, list(args), env=env, input=typed)
        return result.exit_code, result.output

    assert run("init")[0] == 0
    assert run("staff", "add", "--name", "Mia", "--role", "manager", "--pin", "1234")[0] == 0
    code, out = run("staff", "password", "Mia", typed="office-password-1\noffice-password-1\n")
    assert code == 0, out
    assert "Mia's back-office password was set" in out
    assert "office-password-1" not in out
    assert run("staff", "password", "Mia", "--password", "short")[0] == 1
    assert run("staff", "password", "Nobody", "--password", "long-enough-1")[0] == 1

    engine = build_engine(url)
    ctx = ServiceContext(SqlStore(engine), StoreConfig(currency=Currency.of("USD")))
    signed_in = office_sessions.sign_in_with_password(ctx, name="Mia",
                                                      password="office-password-1",
                                                      client="127.0.0.1")
    assert signed_in.session.role == "manager"
    engine.dispose()
