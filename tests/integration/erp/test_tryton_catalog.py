"""Products both ways with a real trytond, and goods received in Tryton arriving as stock."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from support.api import Api
from support.erp_day import later, open_store
from support.tryton_peer import TrytonPeer, connect, tryton
from tillflow.connectors.tryton.catalog import TrytonCatalog
from tillflow.connectors.tryton.rpc import TrytonClient
from tillflow.erp import procurement
from tillflow.erp.adapters import catalog_for
from tillflow.erp.polling import ErpPolling

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


def receive(client: TrytonClient, product_id: int, quantity: int, cost: str) -> str:
    """A supplier shipment received and done in Tryton, as its warehouse clerk would."""
    [unit] = client.model("product.uom", "search", [("symbol", "=", "u")], 0, 1, None)
    [warehouse] = client.model("stock.location", "search", [("code", "=", "WH")], 0, 1, None)
    [supplier_zone] = client.model("stock.location", "search", [("code", "=", "SUP")],
                                   0, 1, None)
    [supplier] = client.model("party.party", "create", [{
        "name": "Supplier Ltd", "supplier_location": supplier_zone}])
    [input_zone] = client.model("stock.location", "search", [("code", "=", "IN")], 0, 1, None)
    [storage] = client.model("stock.location", "search", [("code", "=", "STO")], 0, 1, None)
    [shipment] = client.model("stock.shipment.in", "create", [{
        "supplier": supplier, "warehouse": warehouse, "reference": "PO-42", "company": 1,
        "warehouse_input": input_zone, "warehouse_storage": storage,
        "incoming_moves": [["create", [{
            "product": product_id, "quantity": quantity, "unit": unit,
            "from_location": supplier_zone, "to_location": input_zone,
            "unit_price": Decimal(cost), "currency": 1, "company": 1}]]],
    }])
    client.model("stock.shipment.in", "receive", [shipment])
    client.model("stock.shipment.in", "do", [shipment])
    [done] = client.model("stock.shipment.in", "read", [shipment], ["state", "number"])
    assert done["state"] == "done"
    return str(done["number"])


def test_products_go_both_ways(api: Api, trytond: TrytonPeer) -> None:
    api.product("A", "10.00", barcodes=["4006381333931"])
    api.product("B", "4.99")
    ledger = tryton(trytond)
    erp = TrytonCatalog(ledger.client)
    try:
        assert procurement.push_products(api.ctx, erp) == 2
        pushed = {p.sku: p for p in erp.products()}
        assert pushed["A"].price == Decimal("10.00")
        assert pushed["A"].barcodes == ("4006381333931",)
        # A price change and a new product made in Tryton come back to the till.
        template = ledger.client.model("product.product", "read",
                                       [erp.upsert_product(sku="A", name="Product A",
                                                           price=Decimal("10.00"),
                                                           barcodes=())], ["template"])
        ledger.client.model("product.template", "write", [template[0]["template"]],
                            {"list_price": Decimal("11.50")})
        erp.upsert_product(sku="C", name="Made in Tryton", price=Decimal("3.20"), barcodes=())
        assert procurement.pull_products(api.ctx, erp, source="erp") == 2
        assert api.ok(api.get("/products/A"))["price"] == "11.50"
        assert api.ok(api.get("/products/C"))["name"] == "Made in Tryton"
        assert procurement.pull_products(api.ctx, erp, source="erp") == 0
    finally:
        ledger.close()


def test_a_purchase_receipt_in_tryton_arrives_as_stock_on_request_and_by_poll(
        api: Api, trytond: TrytonPeer) -> None:
    connect(api, trytond, posting="sale")
    api.ok(api.patch("/connections/erp", {"settings": {"poll": ["receipts"],
                                                       "poll_seconds": 60}}))
    open_store(api)
    before = int(api.on_hand("A", "S1"))
    ledger = tryton(trytond)
    try:
        product_id = TrytonCatalog(ledger.client).upsert_product(
            sku="A", name="Product A", price=Decimal("10.00"), barcodes=())
        number = receive(ledger.client, product_id, 12, "4.25")
        assert api.ok(api.post("/erp/erp/sync", {"scope": "receipts"})) == {
            "scope": "receipts", "changed": 1}
        assert api.ok(api.post("/erp/erp/sync", {"scope": "receipts"}))["changed"] == 0
        assert api.on_hand("A", "S1") == before + 12
        events = api.ok(api.get("/events", after=0, limit=500))["events"]
        [receipt] = [e["data"] for e in events
                     if e["type"] == "stock.changed" and e["data"]["kind"] == "receipt"]
        assert receipt["delta"] == 12
        assert number in receipt["reason"]
        # The worker's poll: once per interval, whichever worker runs it.
        receive(ledger.client, product_id, 5, "4.25")
        worker = ErpPolling(api.ctx, catalog_for)
        assert worker.run_once() == 1
        receive(ledger.client, product_id, 7, "4.25")
        assert worker.run_once() == 0  # not due yet
        # Another worker half a minute on: the first one's lease still holds the interval.
        assert ErpPolling(later(api.ctx, timedelta(seconds=30)), catalog_for).run_once() == 0
        assert ErpPolling(later(api.ctx, timedelta(minutes=2)), catalog_for).run_once() == 1
    finally:
        ledger.close()
    assert api.on_hand("A", "S1") == before + 24
    assert api.post("/erp/erp/sync", {"scope": "everything"}).status_code == 422
    trytond.stop()
    # The ERP away: a poll logs and waits for its next turn; on-demand sync says 502.
    assert ErpPolling(later(api.ctx, timedelta(minutes=5)), catalog_for).run_once() == 0
    down = api.post("/erp/erp/sync", {"scope": "receipts"})
    assert down.status_code == 502
    assert down.json()["error"]["code"] == "erp_error"
