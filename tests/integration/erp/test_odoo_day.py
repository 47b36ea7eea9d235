"""The same day of trading against the Odoo simulator, over JSON-2 and over JSON-RPC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from support.api import Api
from support.erp_day import later, open_store, run_worker, sell, trade_a_day
from support.odoo_books import ODOO_CODES, expected
from support.odoo_sim import connect, invoices, odoo_lines, posted_refs
from tillflow.erp.adapters import accounting_for
from tillflow.erp.poster import PostingRunner
from tillflow_simulators.odoo.simulator import OdooSimulator

CASH = [{"method": "cash", "amount": "20.00"}]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_day_posted_per_sale_matches_the_journal(api: Api, odoo: OdooSimulator,
                                                    protocol: str) -> None:
    connect(api, odoo, protocol, posting="sale")
    trade_a_day(api)
    run_worker(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    assert posted_refs(odoo) == [e["reference"] for e in entries]
    for entry in entries:
        assert odoo_lines(odoo, protocol, entry["reference"]) == expected(entry)
    # Sales are paid invoices, the return a paid credit note, carrying their numbers.
    assert invoices(odoo) == [
        (e["reference"], "out_refund" if e["kind"] == "return" else "out_invoice",
         e["document_number"], "paid") for e in entries if e["kind"] in ("sale", "return")]
    partners = [p["name"] for p in odoo.db.table("res.partner").values()]
    assert partners == ["Walk-in customer"]
    moves = len(odoo.db.table("account.move"))
    run_worker(api.ctx)
    assert len(odoo.db.table("account.move")) == moves


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_day_posted_as_plain_entries(api: Api, odoo: OdooSimulator, protocol: str) -> None:
    connect(api, odoo, protocol, posting="sale", sales="move")
    trade_a_day(api)
    run_worker(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    assert posted_refs(odoo) == [e["reference"] for e in entries]
    assert invoices(odoo) == []
    for entry in entries:
        assert odoo_lines(odoo, protocol, entry["reference"]) == expected(entry, sales="move")


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
    runner = PostingRunner(api.ctx, accounting_for)
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
    # The draft was replaced: one invoice, paid by one payment entry.
    assert invoices(odoo) == [(f"sale:{sale['number']}", "out_invoice", sale["number"], "paid")]
    assert len(odoo.db.table("account.move")) == 2
    assert api.ok(api.get("/erp/erp/health"))["state"] == "ok"


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_customers_sale_is_invoiced_to_their_partner(api: Api, odoo: OdooSimulator,
                                                       protocol: str) -> None:
    connect(api, odoo, protocol, posting="sale")
    open_store(api)
    customer = api.ok(api.post("/customers", {"name": "Ada Lovelace",
                                              "email": "ada@example.com"}), 201)
    for _ in range(2):
        api.ok(api.post("/sales", {"location": "S1", "register": "R1",
                                   "customer": customer["id"],
                                   "lines": [{"sku": "A", "quantity": 1}],
                                   "payments": CASH}, role="cashier"), 201)
    run_worker(api.ctx)
    partners = {p["id"]: p for p in odoo.db.table("res.partner").values()}
    [ada] = [p for p in partners.values() if p.get("ref") == f"TF-{customer['id']}"]
    assert (ada["name"], ada["email"]) == ("Ada Lovelace", "ada@example.com")
    assert [m["partner_id"][0] for m in odoo.db.table("account.move").values()
            if m["move_type"] == "out_invoice"] == [ada["id"], ada["id"]]
    assert [p["name"] for p in partners.values()] == ["Ada Lovelace"]
