"""Web orders in Xero and QuickBooks: shipping on the document, what a buyer still owes
left open, and the settlement that pays it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from support.api import Api
from support.dropping_proxy import dropping_proxy
from support.erp_day import later, run_worker
from support.quickbooks_books import settings as qbo_settings
from support.saas_books import Books
from tillflow.domain.records import SaleRecord
from tillflow.domain.web_orders import ShopCharge, ShopLine, ShopOrder
from tillflow.ports.commerce import Buyer
from tillflow.services.channel_sales import WebOrder, record_web_sale, settle_web_sale
from tillflow_simulators.quickbooks.simulator import QuickBooksSimulator

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
D = Decimal


def _web_sale(api: Api, external_id: str, *, paid: bool) -> SaleRecord:
    """2 A and 1 B at the shop's prices and tax, 5.00 shipping taxed 8 %."""
    order = ShopOrder(
        currency="USD", taxes_included=False,
        lines=(ShopLine("A", D(2), D("20.00"), D(0), D("2.00"), D("1.44"), D("0.08")),
               ShopLine("B", D(1), D("4.99"), D(0), D(0), D("1.00"), D("0.2"))),
        charges=(ShopCharge("shipping", "Standard", D("5.00"), D("0.40"), D("0.08")),),
        total=D("30.83"), total_tax=D("2.84"))
    sale, _ = record_web_sale(api.ctx, WebOrder(
        channel="shopify", external_id=external_id, location="S1", order=order,
        method="card", paid=paid,
        buyer=Buyer(email=f"{external_id}@example.com", phone=None, first_name="Web",
                    last_name="Buyer")))
    return sale


def test_what_is_owed_stays_open_until_the_settlement_pays_it(api: Api, books: Books) -> None:
    books.connect(api, posting="day")  # web orders go one by one whatever the mode
    api.location("S1")
    api.product("A", "10.00", tax_rate="0.08")
    api.product("B", "4.99", tax_rate="0.20")
    _paid = _web_sale(api, "web-1", paid=True)
    owed = _web_sale(api, "web-2", paid=False)
    run_worker(api.ctx)
    assert settle_web_sale(api.ctx, owed.id, method="card", reference="shopify:web-2")
    run_worker(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    for entry in entries:
        assert books.net(entry["reference"]) == books.journal_net([entry]), entry["reference"]
    assert books.net() == books.journal_net(entries)
    if books.platform == "xero":
        invoices = {i["Reference"]: i for i in books.xero.documents("Invoices")}
        settled = invoices[f"sale:{owed.number}"]
        assert (settled["Status"], settled["AmountDue"]) == ("PAID", D(0))
        assert [p["Reference"] for p in settled["Payments"]] == [f"settlement:{owed.number}-1"]
    else:  # an invoice, and the payment received later linked to it
        invoices = {i["PrivateNote"]: i for i in books.qbo.entities("Invoice")}
        invoice = invoices[f"sale:{owed.number}"]
        assert (invoice["DocNumber"], invoice["TotalAmt"], invoice["Balance"]) == (
            owed.number, D("30.83"), D(0))
        [payment] = books.qbo.entities("Payment")
        assert payment["PrivateNote"] == f"settlement:{owed.number}-1"
        assert payment["Line"][0]["LinkedTxn"] == [{"TxnId": invoice["Id"],
                                                   "TxnType": "Invoice"}]
        assert [r["PrivateNote"] for r in books.qbo.entities("SalesReceipt")] == [
            f"sale:{_paid.number}"]
    posted = api.ok(api.get("/erp/books/postings"))["items"]
    assert {p["status"] for p in posted} == {"posted"}


def test_quickbooks_invoice_and_payment_go_once_after_lost_answers(
        api: Api, qbo: QuickBooksSimulator) -> None:
    books = Books("quickbooks", qbo)
    with dropping_proxy(qbo.url) as (proxy, url):
        settings = qbo_settings(qbo, posting="sale")
        settings["api_url"] = settings["api_url"].replace(qbo.url, url)
        _tokens, secrets = books.consent()
        api.ok(api.post("/connections", {"name": "books", "platform": "quickbooks",
                                         "settings": settings, "secrets": secrets}), 201)
        api.location("S1")
        api.product("A", "10.00", tax_rate="0.08")
        api.product("B", "4.99", tax_rate="0.20")
        owed = _web_sale(api, "web-3", paid=False)
        proxy.drop_next("/invoice")
        run_worker(api.ctx)
        run_worker(later(api.ctx, timedelta(minutes=5)))
        assert settle_web_sale(api.ctx, owed.id, method="card", reference="shopify:web-3")
        proxy.drop_next("/payment")
        run_worker(api.ctx)
        run_worker(later(api.ctx, timedelta(minutes=10)))
        assert len(proxy.dropped) == 2
    [invoice] = qbo.entities("Invoice")
    [payment] = qbo.entities("Payment")
    assert (invoice["Balance"], payment["TotalAmt"]) == (D(0), D("30.83"))
    entries = api.ok(api.get("/journal"))["entries"]
    assert books.net() == books.journal_net(entries)
    assert {p["status"] for p in api.ok(api.get("/erp/books/postings"))["items"]} == {"posted"}
