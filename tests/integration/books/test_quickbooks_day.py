"""A day of trading posted to the simulated QuickBooks Online, read back and compared."""

from __future__ import annotations

import pytest

from support.api import Api
from support.erp_day import run_worker, trade_a_day
from support.quickbooks_books import books_net, connect, journal_net, notes
from tillflow_simulators.quickbooks.simulator import QuickBooksSimulator


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_day_posted_per_sale_matches_the_journal(api: Api, qbo: QuickBooksSimulator) -> None:
    connect(api, qbo, posting="sale")
    trade_a_day(api)
    run_worker(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    assert books_net(qbo) == journal_net(entries)
    sales = [e for e in entries if e["kind"] == "sale"]
    assert [(r["PrivateNote"], r["DocNumber"]) for r in qbo.entities("SalesReceipt")] == [
        (e["reference"], e["document_number"]) for e in sales]
    assert notes(qbo, "RefundReceipt") == [e["reference"] for e in entries
                                           if e["kind"] == "return"]
    assert notes(qbo, "JournalEntry") == sorted(
        e["reference"] for e in entries if e["kind"] not in ("sale", "return"))
    run_worker(api.ctx)  # nothing is posted twice
    assert len(qbo.entities("SalesReceipt")) == len(sales)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_day_posted_per_shift_is_one_receipt(api: Api, qbo: QuickBooksSimulator) -> None:
    connect(api, qbo, posting="shift")
    shift = trade_a_day(api)
    run_worker(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    assert books_net(qbo) == journal_net(entries)
    assert notes(qbo, "SalesReceipt") == [f"shift-summary:{shift}"]
    assert notes(qbo, "JournalEntry") == [f"shift-summary:{shift}"]
