"""The Odoo simulator speaks JSON-2 and JSON-RPC with Odoo's shapes, errors included."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sim_support.odoo import jsonrpc as rpc
from tillflow_simulators.odoo.simulator import (
    DEFAULT_API_KEY,
    DEFAULT_DATABASE,
    DEFAULT_LOGIN,
    DEFAULT_PASSWORD,
    OdooSimulator,
)


@pytest.fixture
def odoo() -> Iterator[OdooSimulator]:
    simulator = OdooSimulator()
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


def test_json2_reads_and_answers_errors_with_status_and_odoo_fields(odoo: OdooSimulator) -> None:
    headers = {"Authorization": f"bearer {DEFAULT_API_KEY}", "X-Odoo-Database": "tillflow"}
    found = httpx.post(f"{odoo.url}/json/2/account.account/search_read", headers=headers,
                       json={"domain": [["code", "=", "400000"]], "fields": ["name"]})
    assert found.status_code == 200
    assert [a["name"] for a in found.json()] == ["Product Sales"]
    denied = httpx.post(f"{odoo.url}/json/2/account.account/search_read",
                        headers={"Authorization": "bearer wrong"}, json={})
    assert denied.status_code == 401
    assert set(denied.json()) == {"name", "message", "arguments", "context", "debug"}
    assert (denied.json()["name"], denied.json()["message"]) == (
        "werkzeug.exceptions.Unauthorized", "Invalid apikey")
    missing = httpx.post(f"{odoo.url}/json/2/account.account/read", headers=headers,
                         json={"ids": [9999], "fields": ["code"]})
    assert missing.status_code == 404
    assert missing.json()["name"] == "odoo.exceptions.MissingError"
    unbalanced = httpx.post(f"{odoo.url}/json/2/account.move/create", headers=headers,
                            json={"vals_list": [{"journal_id": 9999}]})
    assert unbalanced.status_code == 422


def test_jsonrpc_authenticates_and_runs_execute_kw(odoo: OdooSimulator) -> None:
    uid = rpc(odoo, "common", "authenticate", DEFAULT_DATABASE, DEFAULT_LOGIN,
              DEFAULT_PASSWORD, {})["result"]
    assert uid == odoo.db.search("res.users", [["login", "=", DEFAULT_LOGIN]])[0]
    assert rpc(odoo, "common", "authenticate", DEFAULT_DATABASE, DEFAULT_LOGIN, "bad",
               {})["result"] is False
    accounts = rpc(odoo, "object", "execute_kw", DEFAULT_DATABASE, uid, DEFAULT_PASSWORD,
                   "account.account", "search_read", [[["code", "=", "101501"]]],
                   {"fields": ["name"]})["result"]
    assert [a["name"] for a in accounts] == ["Cash"]
    failed = rpc(odoo, "object", "execute_kw", DEFAULT_DATABASE, uid, DEFAULT_PASSWORD,
                 "account.move", "action_post", [[424242]], {})
    error = failed["error"]
    assert error["message"] == "Odoo Server Error"
    assert error["data"]["name"] == "odoo.exceptions.MissingError"
    wrong_key = rpc(odoo, "object", "execute_kw", DEFAULT_DATABASE, uid, "bad",
                    "account.account", "search", [[]], {})
    assert wrong_key["error"]["data"]["name"] == "odoo.exceptions.AccessDenied"
