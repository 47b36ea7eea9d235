"""A product with options as one template with attributes in the Odoo simulator, as 17
over JSON-RPC and 19 over JSON-2: the same checks the real Odoo passes, and a product
whose variants do not fit its options refused before anything is written."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import httpx
import pytest

from support import odoo_variants as checks
from support.odoo_real import Call
from tillflow.connectors.odoo.catalog import OdooCatalog
from tillflow.connectors.odoo.client import OdooClient
from tillflow.ports.accounting import ErpRejected
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


def test_a_variant_naming_no_value_of_each_option_is_refused_and_nothing_written(
        odoo: OdooSimulator, protocol: str) -> None:
    good = checks.tee("T6")
    wrong = replace(good.variants[0], values=("S",))
    unknown = replace(good.variants[0], values=("S", "Green"))
    connector = catalog(odoo, protocol)
    try:
        for variant in (wrong, unknown):
            with pytest.raises(ErpRejected, match="names no value of each option"):
                connector.upsert_variants(replace(good, variants=(variant,)))
    finally:
        connector.close()
    assert admin(odoo)("product.template", "search_count", [["name", "=", "Tee T6"]]) == 0
