"""A day of trading posted to the simulated Xero, read back and compared with the journal."""

from __future__ import annotations

import pytest

from support.api import Api
from support.erp_day import run_worker, trade_a_day
from support.xero_books import books_net, connect, journal_net, references
from tillflow_simulators.xero.simulator import XeroSimulator


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_day_posted_per_sale_matches_the_journal(api: Api, xero: XeroSimulator) -> None:
    connect(api, xero, posting="sale")
    trade_a_day(api)
    run_worker(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    assert references(xero) == sorted(e["reference"] for e in entries)
    assert books_net(xero) == journal_net(entries)
    invoices = xero.documents("Invoices")
    assert [(i["Reference"], i["InvoiceNumber"], i["Status"]) for i in invoices] == [
        (e["reference"], e["document_number"], "PAID") for e in entries if e["kind"] == "sale"]
    [credit] = xero.documents("CreditNotes")
    assert credit["Status"] == "PAID"
    run_worker(api.ctx)  # nothing is posted twice
    assert references(xero) == sorted(e["reference"] for e in entries)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_day_posted_per_shift_is_one_invoice(api: Api, xero: XeroSimulator) -> None:
    connect(api, xero, posting="shift")
    shift = trade_a_day(api)
    run_worker(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    assert books_net(xero) == journal_net(entries)
    [invoice] = xero.documents("Invoices")
    assert (invoice["Reference"], invoice["Status"]) == (f"shift-summary:{shift}", "PAID")
    assert references(xero) == [f"shift-summary:{shift}"] * 2
