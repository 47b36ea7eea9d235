"""Who masters the catalog: with ``catalog: "erp"`` the ERP's products come in and
tillflow refuses to change the fields the ERP masters, through the API and the importer;
one ERP at most masters it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from support.api import Api
from support.databases import row_counts
from support.odoo_sim import connect
from tillflow.cli import app
from tillflow.domain.errors import Conflict
from tillflow.services import connections
from tillflow_simulators.odoo.simulator import OdooSimulator

ODOO = {"url": "http://127.0.0.1:8069/", "database": "tillflow"}
ODOO_SECRETS = {"username": "admin", "api_key": "k"}
MASTER = {"master": "erp:odoo", "connection": "erp"}


def odoo_connection(api: Api, name: str, **settings: Any) -> Any:
    return api.post("/connections", {"name": name, "platform": "odoo",
                                     "settings": {**ODOO, **settings},
                                     "secrets": ODOO_SECRETS})


def refusal(answer: Any) -> tuple[int, str, dict[str, Any]]:
    error = answer.json()["error"]
    return answer.status_code, error["code"], error["details"]


def test_new_connections_follow_tillflow_and_catalog_takes_two_values(api: Api) -> None:
    created = api.ok(odoo_connection(api, "erp"), 201)
    assert "catalog" not in created["settings"]  # absent: tillflow masters the products
    api.product("A")
    assert api.ok(api.patch("/products/A", {"price": "12.00"}))["price"] == "12.00"
    bad = api.patch("/connections/erp", {"settings": {"catalog": "shop"}})
    assert refusal(bad)[:2] == (422, "validation_error")
    assert refusal(bad)[2]["field"] == "settings.catalog"
    assert api.ok(api.get("/connections/erp"))["settings"] == ODOO


def test_an_erp_master_refuses_its_fields_and_leaves_the_others_editable(
        api: Api, engine: Engine) -> None:
    api.product("A", "10.00", barcodes=["4006381333931"])
    api.ok(odoo_connection(api, "erp", catalog="erp"), 201)
    before = row_counts(engine)
    for change, field in (({"price": "12.00"}, "price"), ({"name": "Renamed"}, "name"),
                          ({"name": "Renamed", "active": False}, "name")):
        status, code, details = refusal(api.patch("/products/A", change))
        assert (status, code, details) == (422, "validation_error", {"field": field, **MASTER})
    created = api.post("/products", {"sku": "NEW", "name": "New", "price": "1.00"})
    assert refusal(created) == (422, "validation_error", {"field": "sku", **MASTER})
    assert "erp:odoo" in created.json()["error"]["message"]
    assert row_counts(engine) == before  # refused: nothing written, no event
    # What the ERP does not master stays tillflow's; the same name and price are no change.
    changed = api.ok(api.patch("/products/A", {
        "name": "Product A", "price": "10.00", "tax_rate": "0.20", "active": False,
        "barcodes": ["036000291452"]}))
    assert (changed["tax_rate"], changed["active"], changed["barcodes"]) == (
        "0.2", False, ["036000291452"])
    # Handing the catalog back to tillflow makes the fields editable again.
    api.ok(api.patch("/connections/erp", {"settings": {"catalog": "tillflow"}}))
    assert api.ok(api.patch("/products/A", {"price": "12.00"}))["price"] == "12.00"


def test_the_importer_reports_the_rows_an_erp_master_refuses(
        api: Api, engine: Engine, tmp_path: Path) -> None:
    api.product("A", "10.00", tax_rate="0.08")
    api.product("B", "4.99", tax_rate="0.08")
    api.ok(odoo_connection(api, "erp", catalog="erp"), 201)
    csv_file = tmp_path / "products.csv"
    csv_file.write_text("sku,name,price,tax_rate,barcodes,active\n"
                        "A,Product A,10.00,0.20,4006381333931,true\n"  # tax and barcode: fine
                        "B,Product B,5.49,0.08,,true\n"                # a new price: refused
                        "C,Tea,3.00,0.08,,true\n")                     # a new SKU: refused
    env = {"TILLFLOW_DATABASE_URL": engine.url.render_as_string(hide_password=False),
           "TILLFLOW_HOME": str(tmp_path / "home")}
    assert CliRunner().invoke(app, ["init", "--currency", "USD"], env=env).exit_code == 0
    result = CliRunner().invoke(app, ["import", "products", str(csv_file)], env=env)
    assert result.exit_code == 1
    assert "0 created, 1 updated, 0 unchanged, 2 rejected" in result.output
    rows = [line for line in result.output.splitlines() if line.startswith("│")]
    assert any("│ 3 " in row and "price is mastered by erp:odoo" in row for row in rows)
    assert any("│ 4 " in row and "products are created in erp:odoo" in row for row in rows)
    assert api.ok(api.get("/products/A"))["tax_rate"] == "0.2"
    assert api.ok(api.get("/products/B"))["price"] == "4.99"
    assert api.get("/products/C").status_code == 404


def test_one_erp_masters_the_catalog_at_a_time(api: Api) -> None:
    api.ok(odoo_connection(api, "erp", catalog="erp"), 201)
    second = odoo_connection(api, "erp2", catalog="erp")
    assert refusal(second) == (409, "conflict", {"field": "settings.catalog", **MASTER})
    assert api.get("/connections/erp2").status_code == 404
    api.ok(odoo_connection(api, "erp2"), 201)
    switched = api.patch("/connections/erp2", {"settings": {"catalog": "erp"}})
    assert refusal(switched) == (409, "conflict", {"field": "settings.catalog", **MASTER})
    assert "catalog" not in api.ok(api.get("/connections/erp2"))["settings"]
    # The master hands over: the first one first, then the other takes it.
    api.ok(api.patch("/connections/erp", {"settings": {"catalog": "tillflow"}}))
    api.ok(api.patch("/connections/erp2", {"settings": {"catalog": "erp"}}))
    assert refusal(api.post("/products", {"sku": "A", "name": "A", "price": "1.00"}))[2] == {
        "field": "sku", "master": "erp:odoo", "connection": "erp2"}


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_two_masters_set_up_at_once_one_wins(api: Api) -> None:
    """Both pass the check before either commits; the unique key decides."""
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def create(name: str) -> None:
        start.wait()
        try:
            connections.create_connection(api.ctx, name=name, platform="odoo",
                                          settings={**ODOO, "catalog": "erp"},
                                          secrets=ODOO_SECRETS)
            outcomes[name] = "created"
        except Conflict as exc:
            outcomes[name] = str(exc.details.get("field"))

    for attempt in range(5):
        names = [f"a{attempt}", f"b{attempt}"]
        threads = [threading.Thread(target=create, args=(name,)) for name in names]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes[name] for name in names) == ["created", "settings.catalog"]
        winner = next(name for name in names if outcomes[name] == "created")
        api.ok(api.patch(f"/connections/{winner}", {"settings": {"catalog": "tillflow"}}))


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_the_master_brings_its_products_and_tillflow_pushes_none_to_it(
        api: Api, odoo: OdooSimulator, protocol: str) -> None:
    connect(api, odoo, protocol, posting="sale")
    api.ok(api.patch("/connections/erp", {"settings": {"catalog": "erp"}}))
    odoo.db.insert("product.product", {"default_code": "A", "name": "Tea", "list_price": 3.5,
                                      "standard_price": 1.25, "barcode": False,
                                      "active": True})
    assert api.ok(api.post("/erp/erp/sync", {"scope": "products-in"}))["changed"] == 1
    product = api.ok(api.get("/products/A"))
    assert (product["name"], product["price"]) == ("Tea", "3.50")
    [record] = [p for p in odoo.db.table("product.product").values()
                if p["default_code"] == "A"]
    record.update(list_price=3.9, name="Green tea")
    assert api.ok(api.post("/erp/erp/sync", {"scope": "products-in"}))["changed"] == 1
    product = api.ok(api.get("/products/A"))
    assert (product["name"], product["price"]) == ("Green tea", "3.90")
    refused = api.post("/erp/erp/sync", {"scope": "products-out"})
    assert refusal(refused) == (422, "validation_error", {
        "field": "scope", "master": "erp:odoo", "connection": "erp"})
