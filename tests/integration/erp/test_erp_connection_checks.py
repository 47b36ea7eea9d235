"""ERP connections proved when made: the Odoo simulator for what the real Odoo here cannot
be (older than 16, without a module, in another currency), a real trytond for Tryton;
and amounts in each currency's own minor digits, posted and read back."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from support.api import Api
from support.erp_day import run_worker
from support.live_server import free_port
from support.odoo_books import expected
from support.odoo_sim import odoo_lines
from support.smtp_server import self_signed_certificate
from support.tryton_peer import PASSWORD, USERNAME, TrytonPeer
from support.waiting import wait_until
from tillflow.domain.money import Currency
from tillflow.domain.store import StoreConfig
from tillflow_simulators.odoo.simulator import (
    DEFAULT_API_KEY,
    DEFAULT_DATABASE,
    DEFAULT_LOGIN,
    OdooSimulator,
)

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


@pytest.fixture
def store_config(request: pytest.FixtureRequest) -> StoreConfig:
    return StoreConfig(currency=Currency.of(str(getattr(request, "param", "USD"))))


@pytest.fixture
def simulated(request: pytest.FixtureRequest) -> Iterator[OdooSimulator]:
    simulator = OdooSimulator(**getattr(request, "param", {}))
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


def odoo_connection(odoo: OdooSimulator, *, url: str | None = None,
                    **settings: Any) -> dict[str, Any]:
    protocol = "json2" if odoo.db.major >= 19 else "jsonrpc"
    return {"name": "erp", "platform": "odoo",
            "settings": {"url": url or odoo.url, "database": DEFAULT_DATABASE,
                         "protocol": protocol, **settings},
            "secrets": {"username": DEFAULT_LOGIN, "api_key": DEFAULT_API_KEY}}


def written(odoo: OdooSimulator) -> int:
    return sum(len(odoo.db.table(m)) for m in ("account.move", "res.partner"))


@pytest.mark.parametrize(("simulated", "settings", "field", "words"), [
    ({"version": "15.0"}, {"protocol": "jsonrpc"}, "settings.url", "Odoo 15 is older than 16"),
    ({"version": "17.0"}, {"protocol": "json2"}, "settings.protocol",
     "Odoo 17 has no JSON-2 API"),
    ({"modules": ("account", "stock")}, {"sales": "sale_order"}, "settings.database",
     "module 'sale_management' is not installed"),
    ({"modules": ("account",)}, {}, "settings.database",
     "module 'stock' is not installed, and polling goods received"),
    ({"modules": ("account",)}, {"locations": {"S1": "WH/Stock"}, "poll": []},
     "settings.database", "module 'stock' is not installed, and settings.locations"),
    ({"currency": "EUR"}, {}, "settings.database",
     "keeps its books in EUR, the store sells in USD"),
    ({}, {"journal": "NOPE"}, "settings.journal", "no journal with code 'NOPE'"),
    ({}, {"accounts": {"tender:card": "999999"}}, "settings.accounts",
     "no account '999999'"),
], indirect=["simulated"], ids=["older", "json2-on-17", "no-sales", "no-stock-receipts",
                                "no-stock-locations", "currency", "journal", "account"])
def test_what_the_odoo_refuses_is_named_and_nothing_is_stored(
        api: Api, simulated: OdooSimulator, settings: dict[str, Any], field: str,
        words: str) -> None:
    before = written(simulated)
    answer = api.post("/connections", odoo_connection(simulated, **settings))
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert (error["code"], error["details"]["field"]) == ("validation_error", field)
    assert words in error["message"]
    assert api.get("/connections/erp").status_code == 404
    assert written(simulated) == before


@pytest.mark.parametrize("simulated", [{"modules": ("account",)}], indirect=True)
def test_an_odoo_without_inventory_serves_a_shop_that_asks_no_stock_of_it(
        api: Api, simulated: OdooSimulator) -> None:
    api.ok(api.post("/connections", odoo_connection(simulated, poll=["products-in"])), 201)
    report = api.ok(api.post("/connections/erp/check"))
    assert report["ok"] is True
    assert report["checks"][2] == {"name": "modules", "ok": True, "detail": "installed: account"}


def test_a_right_taken_in_odoo_is_named_on_check(api: Api, simulated: OdooSimulator) -> None:
    api.ok(api.post("/connections", odoo_connection(simulated)), 201)
    simulated.forbid("account.payment.register", "create")
    answer = api.post("/connections/erp/check")
    assert answer.status_code == 422
    assert answer.json()["error"]["message"].startswith(
        "Odoo's user 'admin' may not create account.payment.register")
    assert [c["name"] for c in answer.json()["error"]["details"]["checks"]] == [
        "version", "sign-in", "modules", "rights"]


@pytest.mark.parametrize(("store_config", "simulated", "price", "paid"), [
    ("JPY", {"currency": "JPY"}, "1000", "3000"),
    ("KWD", {"currency": "KWD", "price_digits": 3}, "1.235", "3.000"),
    ("USD", {}, "3.33", "10.00"),
], indirect=["store_config", "simulated"], ids=["JPY", "KWD", "USD"])
def test_amounts_travel_in_the_currencys_own_digits(
        api: Api, simulated: OdooSimulator, price: str, paid: str) -> None:
    api.ok(api.post("/connections", odoo_connection(simulated)), 201)
    api.location("S1")
    api.product("A", price, tax_rate="0.08")
    api.stock("A", "S1", 10)
    api.ok(api.post("/erp/erp/sync", {"scope": "products-out"}))
    assert simulated.db.table("product.product")[
        simulated.db.search("product.product", [["default_code", "=", "A"]])[0]][
        "list_price"] == float(Decimal(price))
    api.ok(api.post("/sales", {"location": "S1", "lines": [{"sku": "A", "quantity": 2}],
                               "payments": [{"method": "cash", "amount": paid}]},
                    role="cashier"), 201)
    run_worker(api.ctx)
    [entry] = [e for e in api.ok(api.get("/journal"))["entries"] if e["kind"] == "sale"]
    protocol = "json2" if simulated.db.major >= 19 else "jsonrpc"
    assert odoo_lines(simulated, protocol, entry["reference"]) == expected(entry)
    [invoice] = [m for m in simulated.db.table("account.move").values()
                 if m["move_type"] == "out_invoice"]
    assert invoice["payment_state"] == "paid"


@pytest.mark.parametrize("store_config", ["KWD"], indirect=True)
@pytest.mark.parametrize("simulated", [{"currency": "KWD"}], indirect=True)
def test_unit_prices_kept_to_fewer_places_than_the_currency_are_refused(
        api: Api, simulated: OdooSimulator) -> None:
    answer = api.post("/connections", odoo_connection(simulated))
    assert answer.status_code == 422
    assert "unit prices to 2 decimals" in answer.json()["error"]["message"]


def test_tryton_connections_are_proved_when_made_and_checked(
        api: Api, trytond: TrytonPeer) -> None:
    good = {"url": trytond.url, "database": trytond.database}
    cases = [({"password": "wrong"}, {}, "secrets.password", "refused the login"),
             ({}, {"database": "other"}, "settings.database", "names the database"),
             ({}, {"url": trytond.url.replace(trytond.database, "nope")},
              "settings.url", "no database 'nope'")]
    for secrets, settings, field, words in cases:
        answer = api.post("/connections", {
            "name": "erp", "platform": "tryton", "settings": {**good, **settings},
            "secrets": {"username": USERNAME, "password": PASSWORD, **secrets}})
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"]["details"]["field"] == field
        assert words in answer.json()["error"]["message"]
    assert api.get("/connections/erp").status_code == 404
    api.ok(api.post("/connections", {"name": "erp", "platform": "tryton", "settings": good,
                                     "secrets": {"username": USERNAME,
                                                 "password": PASSWORD}}), 201)
    report = api.ok(api.post("/connections/erp/check"))
    assert [(c["name"], c["ok"]) for c in report["checks"]] == [
        ("version", True), ("sign-in", True), ("modules", True), ("rights", True),
        ("currency", True)]
    assert report["ok"] is True


@pytest.fixture
def odoo_over_tls(tmp_path: Path) -> Iterator[tuple[OdooSimulator, str, Path]]:
    """The simulator served over HTTPS with a certificate no public authority signed:
    (the simulator, its https URL, the certificate to trust it by)."""
    certificate, key = self_signed_certificate(tmp_path)
    simulator = OdooSimulator()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(simulator.app.asgi, host="127.0.0.1", port=port,
                                           ssl_certfile=str(certificate),
                                           ssl_keyfile=str(key), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started, timeout=10, interval=0.05,
               message="the HTTPS simulator did not start")
    try:
        yield simulator, f"https://127.0.0.1:{port}", certificate
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_a_private_authoritys_certificate_is_the_connections_ca_file(
        api: Api, odoo_over_tls: tuple[OdooSimulator, str, Path]) -> None:
    odoo, url, certificate = odoo_over_tls
    body = odoo_connection(odoo, url=url)
    untrusted = api.post("/connections", body)
    assert untrusted.status_code == 422
    error = untrusted.json()["error"]
    assert error["details"]["field"] == "settings.ca_file"
    assert "certificate" in error["message"]
    assert "settings.ca_file" in error["message"]
    body["settings"]["ca_file"] = str(certificate)
    api.ok(api.post("/connections", body), 201)
    api.location("S1")
    api.product("A", "10.00", tax_rate="0.08")
    api.stock("A", "S1", 1)
    api.ok(api.post("/sales", {"location": "S1", "lines": [{"sku": "A", "quantity": 1}],
                               "payments": [{"method": "card", "amount": "10.80",
                                             "reference": "T-1"}]},
                    role="cashier"), 201)
    run_worker(api.ctx)
    [invoice] = [m for m in odoo.db.table("account.move").values()
                 if m["move_type"] == "out_invoice"]
    assert invoice["payment_state"] == "paid"
