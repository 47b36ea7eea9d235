"""A product with options as one template with attributes in the Odoo simulator, as 17
over JSON-RPC and 19 over JSON-2: the same checks the real Odoo passes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from support import odoo_variants as checks
from support.odoo_real import Call
from tillflow.connectors.odoo.catalog import OdooCatalog
from tillflow.connectors.odoo.client import OdooClient
from tillflow_simulators.odoo.simulator import (
    DEFAULT_API_KEY,
    DEFAULT_DATABASE,
    DEFAULT_LOGIN,
    OdooSimulator,
)


def admin(odoo: OdooSimulator) -> Call:
    """``execute_kw`` as the simulator's administrator, Odoo's error raised."""
    [uid] = odoo.db.search("res.users", [["login", "=", DEFAULT_LOGIN]])

    def call(model: str, method: str, *args: Any, **named: Any) -> Any:
        answer = httpx.post(f"{odoo.url}/jsonrpc", json={
            "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "service": "object", "method": "execute_kw", "args": [
                    DEFAULT_DATABASE, uid, DEFAULT_API_KEY, model, method, list(args), named]}})
        body = answer.json()
        assert "error" not in body, body["error"]
        return body.get("result")
    return call


def catalog(odoo: OdooSimulator, protocol: str) -> OdooCatalog:
    return OdooCatalog(OdooClient(url=odoo.url, database=DEFAULT_DATABASE,
                                  username=DEFAULT_LOGIN, secret=DEFAULT_API_KEY,
                                  protocol=protocol))


def test_a_product_with_options_is_made_changed_and_archived(odoo: OdooSimulator,
                                                             protocol: str) -> None:
    connector = catalog(odoo, protocol)
    try:
        checks.made_as_one_template(admin(odoo), connector)
        checks.changed(admin(odoo), connector)
        checks.reshaped(admin(odoo), connector)
        checks.moved_value_goes_and_comes_back(
            admin(odoo), connector, lambda sku: odoo.receive(sku, Decimal(3), f"{sku} in"))
    finally:
        connector.close()


@pytest.mark.parametrize(("lost", "body"), checks.LOST)
def test_a_repeat_after_a_lost_answer_makes_nothing_twice(
        odoo: OdooSimulator, protocol: str, lost: str, body: str) -> None:
    checks.repeated_after_a_lost_answer(admin(odoo), odoo.url,
                                        lambda: catalog(odoo, protocol), protocol, lost, body)
