"""``tillflow connect vendure`` against the real Vendure: an administrator's sign-in
becomes a scoped API key, and the password is neither kept nor shown."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from support.vendure_peer import PASSWORD, SUPERADMIN, Vendure
from tillflow.cli import app

KEYS = """{ apiKeys(options: {take: 100}) { items { name } } }"""


def run(tmp_path: Path, *args: str) -> tuple[int, str]:
    env = {"TILLFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "TILLFLOW_HOME": str(tmp_path / "home"),
           "TILLFLOW_PUBLIC_URL": "http://tills.example:8000", "COLUMNS": "200"}
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_connect_vendure_creates_a_scoped_api_key(tmp_path: Path, vendure: Vendure) -> None:
    assert run(tmp_path, "init")[0] == 0
    url = vendure.peer.url
    code, out = run(tmp_path, "connect", "vendure", "--shop-url", url, "--location", "S1",
                    "--admin-username", SUPERADMIN, "--admin-password", "wrong")
    assert code == 1
    assert "refused the administrator's sign-in" in out
    code, out = run(tmp_path, "connect", "vendure", "--shop-url", url, "--location", "S1")
    assert code == 2
    assert "--admin-username" in out
    code, out = run(tmp_path, "connect", "vendure", "--shop-url", url, "--location", "S1",
                    "--admin-username", SUPERADMIN, "--admin-password", PASSWORD)
    assert code == 0, out
    assert "http://tills.example:8000/webhooks/vendure" in out
    assert "shown once" in out
    assert PASSWORD not in out
    with vendure.admin() as admin:
        names = [k["name"] for k in admin.execute(KEYS)["apiKeys"]["items"]]
    assert "tillflow" in names
    code, out = run(tmp_path, "sync", "status")
    assert code == 0, out
    assert "vendure" in out
