"""Pure pieces of ERP posting: Tryton's JSON types and Odoo's errors."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tillflow.connectors.odoo.client import OdooClient
from tillflow.connectors.tryton.rpc import decode, encode
from tillflow.ports.accounting import ErpRejected, ErpUnavailable


def test_tryton_decimals_and_dates_travel_as_class_objects() -> None:
    sent = encode([{"amount": Decimal("2.50"), "day": dt.date(2026, 11, 26)}, ("x", 1)])
    assert sent == [{"amount": {"__class__": "Decimal", "decimal": "2.50"},
                     "day": {"__class__": "date", "year": 2026, "month": 11, "day": 26}},
                    ["x", 1]]
    assert decode(sent) == [{"amount": Decimal("2.50"), "day": dt.date(2026, 11, 26)},
                            ["x", 1]]
    with pytest.raises(TypeError):
        encode(dt.datetime(2026, 11, 26, tzinfo=dt.UTC))


@pytest.mark.parametrize(("status", "body", "error"), [
    (503, {"name": "werkzeug.exceptions.ServiceUnavailable", "message": "down"},
     ErpUnavailable),
    (401, {"name": "odoo.exceptions.AccessDenied", "message": "Access Denied"},
     ErpUnavailable),
    (422, {"name": "odoo.exceptions.UserError", "message": "The entry is not balanced."},
     ErpRejected),
    (500, {"name": "builtins.ValueError",
           "message": "Invalid field 'is_storable' on model 'product.product'"}, ErpRejected),
    (409, {"name": "odoo.exceptions.LockError", "message": "Record locked"}, ErpUnavailable),
    (502, {"message": "Bad gateway"}, ErpUnavailable),
])
def test_odoo_json2_errors_are_classified_by_what_happens_next(
        status: int, body: dict[str, str], error: type[Exception]) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == "bearer key"
        return httpx.Response(status, json=body)

    client = OdooClient(url="http://odoo", database="db", username="u", secret="key",
                        transport=httpx.MockTransport(answer))
    with pytest.raises(error, match=body["message"].split()[0]):
        client.call("account.move", "action_post", ids=[1])
    client.close()


def test_execute_kw_passes_the_ids_then_the_values_of_creates_and_writes_in_position() -> None:
    """Odoo 16-19 read a create's records from its first positional argument."""
    sent: list[list[Any]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        params = json.loads(request.content)["params"]
        if params["method"] == "authenticate":
            return httpx.Response(200, json={"jsonrpc": "2.0", "id": 1, "result": 2})
        sent.append(params["args"][3:])
        return httpx.Response(200, json={"jsonrpc": "2.0", "id": 1})  # no result: None

    client = OdooClient(url="http://odoo", database="db", username="u", secret="key",
                        protocol="jsonrpc", transport=httpx.MockTransport(answer))
    client.call("res.partner", "create", vals_list=[{"name": "P"}])
    assert client.call("account.move", "write", ids=[4], vals={"ref": "x"}) is None
    client.call("stock.quant", "action_apply_inventory", ids=[7],
                context={"inventory_mode": True})
    client.close()
    assert sent == [["res.partner", "create", [[{"name": "P"}]], {}],
                    ["account.move", "write", [[4], {"ref": "x"}], {}],
                    ["stock.quant", "action_apply_inventory", [[7]],
                     {"context": {"inventory_mode": True}}]]


def test_the_version_is_asked_once_per_client() -> None:
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        return httpx.Response(200, json={"jsonrpc": "2.0", "id": 1, "result": {
            "server_version_info": ["saas~17", 4, 0, "final", 0, ""]}})

    client = OdooClient(url="http://odoo", database="db", username="u", secret="key",
                        transport=httpx.MockTransport(answer))
    assert (client.major_version(), client.major_version()) == (17, 17)
    client.close()
    assert asked == ["/web/webclient/version_info"]
