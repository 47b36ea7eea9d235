"""``POST /connections/{name}/check`` and ``tillflow connection check NAME``."""

from pathlib import Path

import pytest
import stripe
from typer.testing import CliRunner

from support.api import Api
from support.card_shop import TEST_KEY, WEBHOOK_SECRET
from support.live_server import free_port, serving
from tillflow.api.app import create_app
from tillflow.bootstrap import open_context
from tillflow.cli import app
from tillflow.services.connections import create_connection
from tillflow.settings import Settings


def _connect(api: Api, api_base: str, **settings: str) -> None:
    api.ok(api.post("/connections", {
        "name": "stripe", "platform": "stripe", "settings": {"api_base": api_base, **settings},
        "secrets": {"api_key": TEST_KEY, "webhook_secret": WEBHOOK_SECRET}}), 201)


def test_check_in_test_mode_authorizes_and_voids(api: Api, localstripe: str,
                                                 stripe_client: stripe.StripeClient) -> None:
    with serving(create_app(api.ctx)) as url:
        _connect(api, localstripe, mode="test",
                 webhook_url=f"{url}/api/v1/payments/webhooks/stripe")

        report = api.ok(api.post("/connections/stripe/check"))

    assert report["ok"] is True, report
    assert [c["name"] for c in report["checks"]] == ["credentials", "webhook",
                                                     "authorize_and_void"]
    [intent] = stripe_client.v1.payment_intents.list().data
    assert intent.status == "canceled"


def test_check_reports_an_unreachable_gateway_and_live_mode_takes_no_payment(
        api: Api, localstripe: str, stripe_client: stripe.StripeClient) -> None:
    _connect(api, f"http://127.0.0.1:{free_port()}", mode="live")

    report = api.ok(api.post("/connections/stripe/check"))

    assert report["ok"] is False
    assert [c["name"] for c in report["checks"]] == ["credentials", "webhook"]
    assert stripe_client.v1.payment_intents.list().data == []


def test_cli_check(localstripe: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TILLFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("TILLFLOW_HOME", str(tmp_path / "home"))
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--currency", "USD"]).exit_code == 0
    with open_context(Settings.from_env()) as ctx:
        create_connection(ctx, name="stripe", platform="stripe",
                          settings={"api_base": localstripe},
                          secrets={"api_key": TEST_KEY, "webhook_secret": WEBHOOK_SECRET})

    result = runner.invoke(app, ["connection", "check", "stripe"])

    assert result.exit_code == 0, result.output
    assert "stripe (test mode): ready" in result.output
    assert runner.invoke(app, ["connection", "check", "nope"]).exit_code == 1
