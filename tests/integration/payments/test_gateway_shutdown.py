"""The app closes its payment gateways' HTTP clients when it stops: no socket is left to
the garbage collector (a ResourceWarning, an error under this suite's warning filter)."""

import gc
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from support.card_shop import TEST_KEY
from tillflow.bootstrap import build_app
from tillflow.cli import app as cli
from tillflow.db.uow import engine_of
from tillflow.services.connections import create_connection
from tillflow.services.payments.gateways import gateways_of
from tillflow.settings import Settings


def test_gateways_are_closed_when_the_app_stops(localstripe: str, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TILLFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'shut.db'}")
    monkeypatch.setenv("TILLFLOW_HOME", str(tmp_path / "home"))
    assert CliRunner().invoke(cli, ["init", "--currency", "USD"]).exit_code == 0
    served = build_app(Settings.from_env(), run_worker=False)
    ctx = served.state.ctx
    create_connection(ctx, name="stripe", platform="stripe",
                      settings={"api_base": localstripe}, secrets={"api_key": TEST_KEY})

    with TestClient(served):
        gateways_of(ctx).connection(ctx, "stripe").gateway.check()
        assert gateways_of(ctx).opened() == ["stripe"]

    assert gateways_of(ctx).opened() == []
    gc.collect()
    engine_of(ctx.store).dispose()
