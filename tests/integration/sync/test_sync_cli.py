"""``tillflow connect`` and ``tillflow sync status`` on an embedded store."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tillflow.cli import app


def run(tmp_path: Path, *args: str) -> tuple[int, str]:
    env = {"TILLFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "TILLFLOW_HOME": str(tmp_path / "home"),
           "TILLFLOW_PUBLIC_URL": "http://tills.example:8000", "COLUMNS": "200"}
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_connect_a_shop_and_see_its_status(tmp_path: Path) -> None:
    assert run(tmp_path, "init")[0] == 0
    code, out = run(tmp_path, "connect", "shopify", "--name", "web", "--shop-url",
                    "http://127.0.0.1:9", "--location", "S1", "--access-token", "shpat-x",
                    "--webhook-secret", "hook-x")
    assert code == 0, out
    assert "http://tills.example:8000/webhooks/web" in out
    assert "shpat-x" not in out
    code, out = run(tmp_path, "connect", "woocommerce", "--name", "web", "--shop-url",
                    "http://127.0.0.1:9", "--location", "S1", "--consumer-key", "ck",
                    "--consumer-secret", "cs")
    assert code == 1
    assert "exists" in out
    code, out = run(tmp_path, "connect", "woocommerce", "--name", "woo", "--shop-url",
                    "http://127.0.0.1:9", "--location", "S1", "--consumer-key", "ck",
                    "--consumer-secret", "cs", "--no-push-pos-sales")
    assert code == 0, out
    code, out = run(tmp_path, "connect", "woocommerce", "--name", "woo2", "--shop-url",
                    "http://127.0.0.1:9", "--location", "S1", "--consumer-key", "ck",
                    "--consumer-secret", "cs", "--push-pos-sales", "maybe")
    assert code != 0
    code, out = run(tmp_path, "sync", "status")
    assert code == 0, out
    [row] = [line for line in out.splitlines() if " web " in line]
    assert "shopify" in row
    assert "ok" in row
