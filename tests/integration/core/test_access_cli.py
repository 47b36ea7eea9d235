"""``tillflow token``, ``tillflow staff`` and ``tillflow init``'s limits on real databases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from support.databases import postgres_database
from tillflow.cli import app
from tillflow.db.engine import build_engine
from tillflow.db.setup import load_config
from tillflow.db.uow import SqlStore
from tillflow.services import audit, locations, staff, store_limits, tokens
from tillflow.services.context import ServiceContext


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cli.db'}"
        return
    with postgres_database() as url:
        yield url


Run = Callable[..., tuple[int, str]]


def _runner(url: str, tmp_path: Path) -> Run:
    env = {"TILLFLOW_DATABASE_URL": url, "TILLFLOW_HOME": str(tmp_path / "home")}

    def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
        result = CliRunner().invoke(app, list(args), env=env, input=stdin)
        return result.exit_code, result.output

    return run


def test_tokens_are_made_listed_and_revoked_from_the_command_line(store_url: str,
                                                                  tmp_path: Path) -> None:
    run = _runner(store_url, tmp_path)
    code, out = run("init", "--cashier-discount-limit", "5")
    assert code == 0, out
    assert "up to 5 % of discounts" in out
    engine = build_engine(store_url)
    ctx = ServiceContext(SqlStore(engine), load_config(engine))
    try:
        locations.create_location(ctx, code="S1", name="Shop", kind="store")
        locations.create_register(ctx, code="R1", location_code="S1")
        code, secret = run("token", "create", "--role", "cashier", "--name", "till one",
                           "--register", "R1", "--expires-in-days", "30")
        assert code == 0, secret
        record = tokens.authenticate(ctx, secret.strip())
        assert record is not None
        assert (record.name, record.role, record.register) == ("till one", "cashier", "R1")
        assert record.expires_at is not None
        assert run("token", "create", "--role", "admin", "--register", "R1")[0] == 1
        assert run("token", "create", "--role", "cashier", "--register", "R404")[0] == 1

        code, listed = run("token", "list")
        assert code == 0
        assert "till one" in listed
        assert secret.strip() not in listed
        code, out = run("token", "revoke", str(record.id))
        assert (code, out.strip()) == (0, f"token {record.id} (till one, cashier) revoked")
        ctx.token_cache.clear()
        assert tokens.authenticate(ctx, secret.strip()) is None
        assert run("token", "revoke", str(record.id))[0] == 1
        assert run("token", "revoke", "0")[0] == 2
        assert "till one" not in run("token", "list")[1]

        assert store_limits.get_limits(ctx)["cashier"].discount_percent == 5
        assert run("init", "--cashier-price-override-limit", "101")[0] == 1
        acts = [(r.act, r.actor) for r in audit.page(ctx, after=0, limit=100)]
        assert [act for act, _ in acts] == [
            "settings.limits_changed", "token.created", "token.revoked"]
        assert all(actor.startswith("cli:") for _, actor in acts)
    finally:
        engine.dispose()


def test_staff_are_deactivated_and_pins_reset_from_the_command_line(store_url: str,
                                                                    tmp_path: Path) -> None:
    run = _runner(store_url, tmp_path)
    assert run("init")[0] == 0
    assert run("staff", "add", "--name", "Ana", "--role", "cashier", "--pin", "1234")[0] == 0
    engine = build_engine(store_url)
    ctx = ServiceContext(SqlStore(engine), load_config(engine))
    try:
        locations.create_location(ctx, code="S1", name="Shop", kind="store")
        locations.create_register(ctx, code="R1", location_code="S1")
        session = staff.sign_in(ctx, register="R1", name="Ana", pin="1234")

        code, out = run("staff", "deactivate", "Ana")
        assert (code, out.strip()) == (0, "Ana deactivated (1 session(s) ended)")
        assert staff.authenticate_session(ctx, session.token) is None
        assert "no" in run("staff", "list")[1]
        assert run("staff", "activate", "Ana")[0] == 0
        assert run("staff", "deactivate", "Nobody")[0] == 1

        code, out = run("staff", "pin", "Ana", stdin="5678\n5678\n")
        assert code == 0, out
        assert "Ana's PIN was reset" in out
        assert staff.sign_in(ctx, register="R1", name="Ana", pin="5678").name == "Ana"
        assert run("staff", "pin", "Ana", "--pin", "12")[0] == 1
    finally:
        engine.dispose()
