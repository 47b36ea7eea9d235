"""The same day of trading against the Odoo simulator, over JSON-2 and over JSON-RPC."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from support.api import Api
from support.erp_day import Lines, journal_lines, later, open_store, run_worker, sell, trade_a_day
from tillflow.connectors.odoo.client import OdooClient
from tillflow.connectors.odoo.ledger import OdooLedger
from tillflow.erp.adapters import ledger_for
from tillflow.erp.poster import PostingRunner
from tillflow.simulators.odoo.simulator import (
    DEFAULT_API_KEY,
    DEFAULT_DATABASE,
    DEFAULT_LOGIN,
    DEFAULT_PASSWORD,
    OdooSimulator,
)

ODOO_CODES = {"revenue:0.08": "400000", "revenue:0.2": "400000", "tax:0.08": "251000",
              "tax:0.2": "251000", "tender:cash": "101501", "tender:card": "101403",
              "cash_transfer": "101701", "over_short": "642000"}
CASH = [{"method": "cash", "amount": "20.00"}]


@pytest.fixture(params=["json2", "jsonrpc"])
def protocol(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def odoo(protocol: str) -> Iterator[OdooSimulator]:
    simulator = OdooSimulator(version="19.0" if protocol == "json2" else "17.0")
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


def connect(api: Api, odoo: OdooSimulator, protocol: str, *, posting: str) -> None:
    secrets = ({"username": DEFAULT_LOGIN, "api_key": DEFAULT_API_KEY} if protocol == "json2"
               else {"username": DEFAULT_LOGIN, "password": DEFAULT_PASSWORD})
    api.ok(api.post("/connections", {
        "name": "erp", "platform": "odoo",
        "settings": {"url": odoo.url, "database": DEFAULT_DATABASE, "protocol": protocol,
                     "posting": posting},
        "secrets": secrets}), 201)


def odoo_lines(odoo: OdooSimulator, protocol: str, reference: str) -> Lines:
    ledger = OdooLedger(OdooClient(url=odoo.url, database=DEFAULT_DATABASE,
                                   username=DEFAULT_LOGIN, secret=DEFAULT_API_KEY,
                                   protocol=protocol))
    try:
        return Counter(ledger.moves(reference))
    finally:
        ledger.close()


def posted_refs(odoo: OdooSimulator) -> list[str]:
    moves = sorted(odoo.db.table("account.move").values(), key=lambda m: m["id"])
    return [m["ref"] for m in moves if m["state"] == "posted"]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_day_posted_per_sale_matches_the_journal(api: Api, odoo: OdooSimulator,
                                                    protocol: str) -> None:
    connect(api, odoo, protocol, posting="sale")
    trade_a_day(api)
    run_worker(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    assert posted_refs(odoo) == [e["reference"] for e in entries]
    for entry in entries:
        assert odoo_lines(odoo, protocol, entry["reference"]) == journal_lines(entry, ODOO_CODES)
    run_worker(api.ctx)
    assert len(posted_refs(odoo)) == len(entries)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_day_posted_per_shift_is_one_entry(api: Api, odoo: OdooSimulator,
                                             protocol: str) -> None:
    connect(api, odoo, protocol, posting="shift")
    shift = trade_a_day(api)
    run_worker(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    net: dict[str, Decimal] = {}
    for entry in entries:
        for line in entry["lines"]:
            code = ODOO_CODES[line["role"]]
            net[code] = net.get(code, Decimal(0)) + Decimal(line["debit"]) - Decimal(
                line["credit"])
    assert posted_refs(odoo) == [f"shift-summary:{shift}"]
    summary = odoo_lines(odoo, protocol, f"shift-summary:{shift}")
    totals: dict[str, Decimal] = {}
    for (code, debit, credit), count in summary.items():
        totals[code] = totals.get(code, Decimal(0)) + (debit - credit) * count
    assert totals == {code: amount for code, amount in net.items() if amount}


def test_odoo_down_then_back_drains_in_order_without_doubles(api: Api, odoo: OdooSimulator,
                                                             protocol: str) -> None:
    connect(api, odoo, protocol, posting="sale")
    open_store(api)
    first = sell(api, [{"sku": "A", "quantity": 1}], CASH)
    runner = PostingRunner(api.ctx, ledger_for)
    try:
        run_worker(api.ctx, runner)
        odoo.stop()
        second = sell(api, [{"sku": "B", "quantity": 1}], CASH)
        third = sell(api, [{"sku": "B", "quantity": 2}], CASH)
        run_worker(api.ctx, runner)
        health = api.ok(api.get("/erp/erp/health"))
        assert (health["state"], health["pending"]) == ("retrying", 2)
        odoo.start()
    finally:
        runner.close()
    # An hour later a worker (this one restarted, or another) finds the retries due.
    run_worker(later(api.ctx, timedelta(hours=1)))
    assert posted_refs(odoo) == [f"sale:{s['number']}" for s in (first, second, third)]
    assert api.ok(api.get("/erp/erp/health"))["state"] == "ok"


def test_a_locked_period_dead_letters_with_odoos_message_and_replays(
        api: Api, odoo: OdooSimulator, protocol: str) -> None:
    connect(api, odoo, protocol, posting="sale")
    odoo.db.lock_date = datetime.now(UTC).date()
    open_store(api)
    sale = sell(api, [{"sku": "A", "quantity": 1}], CASH)
    run_worker(api.ctx)
    [dead] = api.ok(api.get("/erp/erp/postings", status="dead"))["items"]
    assert dead["reference"] == f"sale:{sale['number']}"
    assert "lock date" in dead["last_error"]
    # Odoo kept the draft its failed post left (each call is its own transaction).
    assert [m["state"] for m in odoo.db.table("account.move").values()] == ["draft"]
    odoo.db.lock_date = None
    api.ok(api.post(f"/erp/erp/postings/{dead['id']}/replay"), 202)
    run_worker(api.ctx)
    assert posted_refs(odoo) == [f"sale:{sale['number']}"]
    assert len(odoo.db.table("account.move")) == 1
    assert api.ok(api.get("/erp/erp/health"))["state"] == "ok"
