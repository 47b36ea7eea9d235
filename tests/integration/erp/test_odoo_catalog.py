"""Products, stock and goods received with the Odoo simulator, over JSON-2 and JSON-RPC."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from support.api import Api
from support.erp_day import later, open_store, run_worker, sell
from support.odoo_books import expected
from support.odoo_sim import connect, invoices, odoo_lines
from tillflow.erp import procurement
from tillflow.erp.adapters import catalog_for
from tillflow.erp.polling import ErpPolling
from tillflow_simulators.odoo.simulator import OdooSimulator

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


def product(odoo: OdooSimulator, sku: str) -> dict[str, object]:
    [found] = [p for p in odoo.db.table("product.product").values()
               if p.get("default_code") == sku]
    return found


def on_hand_in_odoo(odoo: OdooSimulator, sku: str) -> Decimal:
    found = product(odoo, sku)
    return sum((q["quantity"] for q in odoo.db.table("stock.quant").values()
                if q["product_id"][0] == found["id"]), Decimal(0))


def test_products_both_ways_sold_and_counted_in_odoo(api: Api, odoo: OdooSimulator,
                                                      protocol: str) -> None:
    connect(api, odoo, protocol, posting="sale")
    api.ok(api.patch("/connections/erp", {"settings": {"poll": ["receipts"]}}))
    api.product("C", "2.50", tax_rate="0.20", barcodes=["4006381333931"])
    erp = catalog_for(api.ctx, "erp")
    try:
        open_store(api)
        assert procurement.push_products(api.ctx, erp) == 3
        taxes = {t["amount"]: t["id"] for t in odoo.db.table("account.tax").values()}
        assert (product(odoo, "A")["taxes_id"], product(odoo, "C")["barcode"]) == (
            [taxes[8.0]], "4006381333931")
        # A price and a cost set in Odoo come back to the till.
        product(odoo, "A").update(list_price=11.5, standard_price=4.25)
        assert procurement.pull_products(api.ctx, erp, source="erp") == 1
        assert api.ok(api.get("/products/A"))["price"] == "11.50"
    finally:
        erp.close()
    sale = sell(api, [{"sku": "A", "quantity": 2}], [{"method": "card", "amount": "24.84",
                                                       "reference": "T-3"}])
    run_worker(api.ctx)
    [entry] = [e for e in api.ok(api.get("/journal"))["entries"] if e["kind"] == "sale"]
    assert odoo_lines(odoo, protocol, entry["reference"]) == expected(entry)
    assert invoices(odoo) == [(entry["reference"], "out_invoice", sale["number"], "paid")]
    [line] = [x for x in odoo.db.table("account.move.line").values()
              if x.get("display_type") == "product"]
    assert line["product_id"] == product(odoo, "A")["id"]
    # The opening stock arrived as inventory-mode counts (A, B: 50 each; C: none).
    assert (on_hand_in_odoo(odoo, "A"), on_hand_in_odoo(odoo, "B")) == (Decimal(50),) * 2
    api.ok(api.post("/inventory/adjustments", {"sku": "A", "location": "S1", "delta": -3,
                                               "reason": "broken"}), 201)
    run_worker(api.ctx)
    run_worker(api.ctx)  # counted again: nothing more to correct
    assert on_hand_in_odoo(odoo, "A") == int(api.on_hand("A", "S1"))
    moves = [m for m in odoo.db.table("stock.move").values()
             if m["product_id"][0] == product(odoo, "A")["id"]]
    assert [m["quantity"] for m in moves] == [50, 5]  # the sale's 2, then the 3 broken


def test_goods_received_in_odoo_arrive_on_request_and_by_poll(
        api: Api, odoo: OdooSimulator, protocol: str) -> None:
    connect(api, odoo, protocol, posting="sale")
    open_store(api)
    before = int(api.on_hand("A", "S1"))
    erp = catalog_for(api.ctx, "erp")
    try:
        procurement.push_products(api.ctx, erp)
    finally:
        erp.close()
    odoo.receive("A", Decimal(12), "WH/IN/00001")
    assert api.ok(api.post("/erp/erp/sync", {"scope": "receipts"}))["changed"] == 1
    assert api.ok(api.post("/erp/erp/sync", {"scope": "receipts"}))["changed"] == 0
    odoo.receive("A", Decimal(5), "WH/IN/00002")
    poller = ErpPolling(later(api.ctx, timedelta(seconds=1)), catalog_for)
    assert poller.run_once() >= 1
    assert api.on_hand("A", "S1") == before + 17
