"""``tillflow connect magento``: an integration signed with OAuth 1.0a or its bearer
token, proved by ``tillflow connection check`` against the simulated store; half an OAuth
integration is refused naming the missing secret, and no secret is ever printed."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tillflow.cli import app
from tillflow_simulators.magento import MagentoSimulator


def run(tmp_path: Path, *args: str) -> tuple[int, str]:
    env = {"TILLFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "TILLFLOW_HOME": str(tmp_path / "home"),
           "TILLFLOW_PUBLIC_URL": "http://tills.example:8000", "COLUMNS": "200"}
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_connect_magento_with_oauth_and_check_it(tmp_path: Path,
                                                 magento: MagentoSimulator) -> None:
    held = magento.integration
    assert run(tmp_path, "init")[0] == 0
    code, out = run(tmp_path, "connect", "magento", "--shop-url", magento.url,
                    "--location", "S1", "--access-token", held.access_token,
                    "--consumer-key", held.consumer_key)
    assert code != 0
    assert "secrets.consumer_secret" in out
    code, out = run(tmp_path, "connect", "magento", "--shop-url", magento.url,
                    "--location", "S1", "--access-token", held.access_token,
                    "--consumer-key", held.consumer_key,
                    "--consumer-secret", held.consumer_secret,
                    "--access-token-secret", held.access_token_secret,
                    "--poll-seconds", "30")
    assert code == 0, out
    assert "OAuth 1.0a" in out
    code, out = run(tmp_path, "connection", "check", "magento")
    assert code == 0, out
    assert "ready" in out
    for secret in (held.access_token, held.consumer_secret, held.access_token_secret):
        assert secret not in out


def test_connect_magento_with_a_bearer_token(tmp_path: Path,
                                             magento: MagentoSimulator) -> None:
    assert magento.access_token is not None
    assert run(tmp_path, "init")[0] == 0
    code, out = run(tmp_path, "connect", "magento", "--name", "web", "--shop-url",
                    magento.url, "--location", "S1", "--access-token", magento.access_token)
    assert code == 0, out
    assert "bearer token" in out
    code, out = run(tmp_path, "connection", "check", "web")
    assert code == 0, out
