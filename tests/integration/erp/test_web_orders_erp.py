"""Web orders in the ERPs: shipping on the invoice, what a buyer still owes left open on
it (the ERP's own receivable), and the settlement that clears it, against the real
trytond and the Odoo simulator."""

from __future__ import annotations

from decimal import Decimal

import pytest

from support.api import Api
from support.erp_day import run_worker
from support.odoo_sim import connect as connect_odoo
from support.odoo_sim import invoices as odoo_invoices
from support.tryton_peer import TrytonPeer, connect, invoices, tryton
from tillflow.domain.records import SaleRecord
from tillflow.domain.web_orders import ShopCharge, ShopLine, ShopOrder
from tillflow.ports.commerce import Buyer
from tillflow.services.channel_sales import WebOrder, record_web_sale, settle_web_sale
from tillflow_simulators.odoo.simulator import OdooSimulator

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
D = Decimal


def _web_sale(api: Api, external_id: str, *, paid: bool) -> SaleRecord:
    """A web order: 2 A and 1 B at the shop's prices and tax, 5.00 shipping taxed 8 %."""
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


def _store(api: Api) -> None:
    api.location("S1")
    api.product("A", "10.00", tax_rate="0.08")
    api.product("B", "4.99", tax_rate="0.20")


def test_tryton_invoices_shipping_leaves_what_is_owed_open_and_books_its_settlement(
        api: Api, trytond: TrytonPeer) -> None:
    connect(api, trytond, posting="sale")
    _store(api)
    paid = _web_sale(api, "web-1", paid=True)
    owed = _web_sale(api, "web-2", paid=False)
    run_worker(api.ctx)
    assert invoices(tryton(trytond)) == [(f"sale:{paid.number}", "paid", D("30.83")),
                                         (f"sale:{owed.number}", "posted", D("30.83"))]

    assert settle_web_sale(api.ctx, owed.id, method="card", reference="shopify:web-2")
    run_worker(api.ctx)
    ledger = tryton(trytond)
    try:
        settled = ledger.moves(f"settlement:{owed.number}-1")
        receivable = list(ledger.client.model(
            "account.move.line", "search_read", [("account.code", "=", "1.2.1"),
                                                 ("party.name", "=", "Web Buyer")],
            0, None, None, ["debit", "credit"]))
    finally:
        ledger.close()
    assert sorted((x["account."]["code"], x["debit"], x["credit"]) for x in settled) == [
        ("1.1.8", D("30.83"), D(0)), ("1.2.1", D(0), D("30.83"))]
    # The two buyers' receivables: each invoice met by its payment or its settlement.
    assert sum(x["debit"] - x["credit"] for x in receivable) == 0
    assert api.ok(api.get("/erp/erp/health"))["state"] == "ok"


def test_tryton_books_a_web_order_as_a_plain_entry_with_the_buyer_on_the_receivable(
        api: Api, trytond: TrytonPeer) -> None:
    connect(api, trytond, posting="sale", sales="move")
    _store(api)
    owed = _web_sale(api, "web-3", paid=False)
    run_worker(api.ctx)
    ledger = tryton(trytond)
    try:
        lines = ledger.moves(f"sale:{owed.number}")
    finally:
        ledger.close()
    assert sum(x["debit"] for x in lines) == sum(x["credit"] for x in lines) == D("30.83")
    assert [(x["debit"], x["credit"]) for x in lines if x["account."]["code"] == "1.2.1"] == [
        (D("30.83"), D(0))]
    assert api.ok(api.get("/erp/erp/health"))["state"] == "ok"


def test_odoo_invoices_shipping_and_pays_only_what_was_paid(
        api: Api, odoo: OdooSimulator, protocol: str) -> None:
    connect_odoo(api, odoo, protocol, posting="sale")
    _store(api)
    paid = _web_sale(api, "web-4", paid=True)
    owed = _web_sale(api, "web-5", paid=False)
    run_worker(api.ctx)
    assert odoo_invoices(odoo) == [
        (f"sale:{paid.number}", "out_invoice", paid.number, "paid"),
        (f"sale:{owed.number}", "out_invoice", owed.number, "not_paid")]
    totals = {m["ref"]: D(str(m["amount_total"])) for m in odoo.db.table("account.move").values()
              if m["move_type"] == "out_invoice"}
    assert totals == {f"sale:{paid.number}": D("30.83"), f"sale:{owed.number}": D("30.83")}
    assert settle_web_sale(api.ctx, owed.id, method="card", reference="shopify:web-5")
    run_worker(api.ctx)
    settlement = [m for m in odoo.db.table("account.move").values()
                  if m["ref"] == f"settlement:{owed.number}-1"]
    assert [m["state"] for m in settlement] == ["posted"]
    assert api.ok(api.get("/erp/erp/health"))["state"] == "ok"
