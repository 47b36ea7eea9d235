"""Connecting the real Odoo 17 and 19: what is wrong is refused in plain words, nothing
stored in tillflow and nothing written in Odoo; the check on request reaches Odoo.

``POST /connections`` (and a change, and ``POST /connections/{name}/check`` and
``tillflow connection check``) sign in, ask the version, the modules, the user's rights
and the company's currency, and answer 422 naming the setting or secret to fix. An Odoo
that cannot be reached does not refuse a connection (the postings wait for it); its check
says it is not ready.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from typer.testing import CliRunner

from support.api import Api
from support.odoo_peer import OdooPeer
from support.odoo_real import Call, admin, secrets
from tillflow.bootstrap import open_context
from tillflow.cli import app
from tillflow.services.connections import create_connection
from tillflow.settings import Settings

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
CLERK = "clerk"
CLERK_PASSWORD = "clerk-Passw0rd-for-tests"
WRITTEN = ("account.move", "res.partner", "product.product", "sale.order", "stock.quant")


@pytest.fixture
def protocol(odoo_peer: OdooPeer) -> str:
    """The version's newest protocol: JSON-RPC on 17, JSON-2 on 19."""
    return "json2" if odoo_peer.version == "19" else "jsonrpc"


@pytest.fixture
def odoo(odoo_peer: OdooPeer) -> Iterator[Call]:
    with admin(odoo_peer) as call:
        yield call


def settings_for(peer: OdooPeer, protocol: str, **changed: Any) -> dict[str, Any]:
    return {"url": peer.url, "database": peer.database, "protocol": protocol,
            "poll_seconds": 0, **changed}


def written(odoo: Call) -> dict[str, int]:
    return {model: odoo(model, "search_count", []) for model in WRITTEN}


def groups_field(peer: OdooPeer) -> str:
    return "group_ids" if peer.version == "19" else "groups_id"


def clerk(odoo: Call, peer: OdooPeer, *, like_admin: bool) -> int:
    """An Odoo user signing in with a password: with the administrator's groups, or an
    internal user's only (no accounting)."""
    field = groups_field(peer)
    if like_admin:
        [me] = odoo("res.users", "search_read", [["login", "=", peer.login]], fields=[field])
        groups = me[field]
    else:
        groups = [g["res_id"] for g in odoo("ir.model.data", "search_read", [
            ["module", "=", "base"], ["name", "=", "group_user"]], fields=["res_id"])]
    found = odoo("res.users", "search", [["login", "=", CLERK]])
    values = {field: [[6, 0, groups]]}
    if found:
        odoo("res.users", "write", found, values)
        return int(found[0])
    return int(odoo("res.users", "create", [{"name": "Clerk", "login": CLERK,
                                              "password": CLERK_PASSWORD, **values}])[0])


@contextmanager
def uninstalled(peer: OdooPeer, module: str) -> Iterator[None]:
    """Odoo's module list says ``module`` is not installed (as on a database without it)."""
    query = sql.SQL("update ir_module_module set state = %s where name = %s")
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{peer.database}",
                         autocommit=True) as db:
        db.execute(query, ("uninstalled", module))
        try:
            yield
        finally:
            db.execute(query, ("installed", module))


def refused(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    answer = api.post("/connections", body)
    assert answer.status_code == 422, answer.text
    assert api.get("/connections/erp").status_code == 404
    error: dict[str, Any] = answer.json()["error"]
    assert error["code"] == "validation_error"
    return error


def test_a_connection_is_proved_when_made_and_on_request(
        api: Api, odoo_peer: OdooPeer, odoo: Call, protocol: str) -> None:
    before = written(odoo)
    api.ok(api.post("/connections", {"name": "erp", "platform": "odoo",
                                     "settings": settings_for(odoo_peer, protocol,
                                                              sales="sale_order"),
                                     "secrets": secrets(odoo_peer, protocol)}), 201)
    report = api.ok(api.post("/connections/erp/check"))
    assert [(c["name"], c["ok"]) for c in report["checks"]] == [
        (name, True) for name in ("version", "sign-in", "modules", "rights", "currency",
                                  "journals", "accounts")]
    assert report["checks"][0]["detail"] == f"Odoo {odoo_peer.version} over {protocol}"
    assert (report["ok"], report["state"]) == (True, "ok")
    assert written(odoo) == before  # proving reads only
    odoo_peer.stop()
    try:
        away = api.ok(api.post("/connections/erp/check"))
    finally:
        odoo_peer.start()
    assert away["ok"] is False
    assert [(c["name"], c["ok"]) for c in away["checks"]] == [("reach", False)]
    assert "unreachable" in away["checks"][0]["detail"]


@pytest.mark.parametrize("wrong", ["database", "key", "json2 on 17", "module", "rights"])
def test_what_odoo_refuses_is_named_and_nothing_is_written(
        api: Api, odoo_peer: OdooPeer, odoo: Call, protocol: str, wrong: str) -> None:
    if wrong == "json2 on 17" and odoo_peer.version != "17":
        pytest.skip("Odoo 19 has JSON-2")
    settings = settings_for(odoo_peer, protocol)
    keys = secrets(odoo_peer, protocol)
    secret = next(name for name in keys if name != "username")
    expected = {"database": ("settings.database", "has no database 'elsewhere'"),
                "key": (f"secrets.{secret}", "refused the"),
                "json2 on 17": ("settings.protocol", "Odoo 17 has no JSON-2 API"),
                "module": ("settings.database", "'sale_management' is not installed"),
                "rights": ("secrets.username", f"'{CLERK}' may not create account.move")}
    if wrong == "database":
        settings["database"] = "elsewhere"
    elif wrong == "key":
        keys[secret] = "not-the-key"
    elif wrong == "json2 on 17":
        settings["protocol"], keys = "json2", secrets(odoo_peer, "json2")
    elif wrong == "module":
        settings["sales"] = "sale_order"
    else:
        clerk(odoo, odoo_peer, like_admin=False)
        settings["protocol"] = "jsonrpc"
        keys = {"username": CLERK, "password": CLERK_PASSWORD}
    body = {"name": "erp", "platform": "odoo", "settings": settings, "secrets": keys}
    before = written(odoo)
    if wrong == "module":
        with uninstalled(odoo_peer, "sale_management"):
            error = refused(api, body)
    else:
        error = refused(api, body)
    field, words = expected[wrong]
    assert error["details"]["field"] == field
    assert words in error["message"]
    assert written(odoo) == before


def test_an_odoo_that_stops_allowing_is_refused_on_check_and_on_change(
        api: Api, odoo_peer: OdooPeer, odoo: Call, protocol: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    clerk(odoo, odoo_peer, like_admin=True)
    keys = {"username": CLERK, "password": CLERK_PASSWORD}
    settings = settings_for(odoo_peer, "jsonrpc")
    api.ok(api.post("/connections", {"name": "erp", "platform": "odoo",
                                     "settings": settings, "secrets": keys}), 201)
    # The CLI checks a store of its own, connected the same way.
    monkeypatch.setenv("TILLFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("TILLFLOW_HOME", str(tmp_path / "home"))
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--currency", "USD"]).exit_code == 0
    with open_context(Settings.from_env()) as ctx:
        create_connection(ctx, name="erp", platform="odoo", settings=settings, secrets=keys)
    ready = runner.invoke(app, ["connection", "check", "erp"])
    assert ready.exit_code == 0, ready.output
    assert "ok   rights:" in ready.output
    clerk(odoo, odoo_peer, like_admin=False)  # an administrator took its rights
    refused_check = api.post("/connections/erp/check")
    assert refused_check.status_code == 422
    assert refused_check.json()["error"]["details"]["field"] == "secrets.username"
    cli = runner.invoke(app, ["connection", "check", "erp"])
    assert cli.exit_code == 1
    assert f"'{CLERK}' may not create account.move" in " ".join(cli.output.split())
    change = api.patch("/connections/erp", {"settings": {"database": "elsewhere"}})
    assert change.status_code == 422
    assert api.ok(api.get("/connections/erp"))["settings"]["database"] == odoo_peer.database
