"""Sales as confirmed sale orders invoiced from the order, on both protocols."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from support.api import Api
from support.erp_day import open_store, run_worker, sell, trade_a_day
from support.odoo_books import expected
from support.odoo_sim import connect, invoices, odoo_lines, posted_refs
from tillflow.connectors.odoo.client import OdooClient
from tillflow.ports.accounting import ErpRejected
from tillflow_simulators.odoo.simulator import DEFAULT_API_KEY, DEFAULT_DATABASE, OdooSimulator

CASH = [{"method": "cash", "amount": "20.00"}]


def orders(odoo: OdooSimulator) -> list[tuple[Any, ...]]:
    """(client_order_ref, origin, state, invoice_status, invoice ids) of Odoo's orders."""
    return [(o["client_order_ref"], o["origin"], o["state"], o["invoice_status"],
             o["invoice_ids"]) for o in odoo.db.table("sale.order").values()]


def push_products(api: Api) -> None:
    api.ok(api.post("/erp/erp/sync", {"scope": "products-out"}))


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_day_as_sale_orders_matches_the_journal(api: Api, odoo: OdooSimulator,
                                                  protocol: str) -> None:
    connect(api, odoo, protocol, posting="sale", sales="sale_order")
    trade_a_day(api)
    push_products(api)
    run_worker(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    assert posted_refs(odoo) == [e["reference"] for e in entries]
    for entry in entries:
        assert odoo_lines(odoo, protocol, entry["reference"]) == expected(entry)
    sales = [e for e in entries if e["kind"] == "sale"]
    moves = {m["ref"]: m for m in odoo.db.table("account.move").values()}
    # One confirmed, invoiced order per sale, found by reference or by sale number.
    assert orders(odoo) == [(e["reference"], e["document_number"], "sale", "invoiced",
                             [moves[e["reference"]]["id"]]) for e in sales]
    names = [o["name"] for o in odoo.db.table("sale.order").values()]
    assert invoices(odoo) == [
        (e["reference"], "out_refund", e["document_number"], "paid") if e["kind"] == "return"
        else (e["reference"], "out_invoice", names.pop(0), "paid")
        for e in entries if e["kind"] in ("sale", "return")]
    lines = list(odoo.db.table("sale.order.line").values())
    skus = {p["id"]: p["default_code"] for p in odoo.db.table("product.product").values()}
    assert [(skus[line["product_id"][0]], line["product_uom_qty"], line["qty_invoiced"])
            for line in lines] == [("A", 2, 2), ("B", 3, 3), ("B", 1, 1)]
    assert all(line["invoice_lines"] for line in lines)
    count = len(odoo.db.table("account.move")), len(odoo.db.table("sale.order"))
    run_worker(api.ctx)
    assert (len(odoo.db.table("account.move")), len(odoo.db.table("sale.order"))) == count


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_replay_finishes_the_order_without_a_second_one(api: Api, odoo: OdooSimulator,
                                                          protocol: str) -> None:
    connect(api, odoo, protocol, posting="sale", sales="sale_order")
    open_store(api)
    push_products(api)
    odoo.db.lock_date = datetime.now(UTC).date()  # the invoice is made but cannot be posted
    sale = sell(api, [{"sku": "A", "quantity": 1}], CASH)
    run_worker(api.ctx)
    [dead] = api.ok(api.get("/erp/erp/postings", status="dead"))["items"]
    assert "lock date" in dead["last_error"]
    reference = f"sale:{sale['number']}"
    [(_, _, state, status, made)] = orders(odoo)
    assert (state, status, len(made)) == ("sale", "invoiced", 1)
    assert deliveries(odoo) == [("done", [Decimal(1)])]
    odoo.db.lock_date = None
    api.ok(api.post(f"/erp/erp/postings/{dead['id']}/replay"), 202)
    run_worker(api.ctx)
    [(ref, origin, state, status, made)] = orders(odoo)
    assert (ref, origin, state, status, len(made)) == (
        reference, sale["number"], "sale", "invoiced", 1)
    assert [i[0::3] for i in invoices(odoo)] == [(reference, "paid")]
    assert posted_refs(odoo) == [reference]
    assert deliveries(odoo) == [("done", [Decimal(1)])]  # delivered once
    assert api.ok(api.get("/erp/erp/health"))["state"] == "ok"


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_goods_invoiced_on_delivery_are_delivered_then_invoiced(
        api: Api, odoo: OdooSimulator, protocol: str) -> None:
    """The till handed the goods over: Odoo's delivery is validated before the invoice is
    made, so products invoiced on delivered quantities are invoiced too."""
    connect(api, odoo, protocol, posting="sale", sales="sale_order")
    open_store(api)
    push_products(api)
    for product in odoo.db.table("product.product").values():
        product["invoice_policy"] = "delivery"
    sale = sell(api, [{"sku": "A", "quantity": 2}, {"sku": "B", "quantity": 1}], [
        {"method": "cash", "amount": "30.00"}])
    run_worker(api.ctx)
    assert orders(odoo) == [(f"sale:{sale['number']}", sale["number"], "sale", "invoiced",
                             [invoices_ids(odoo)[0]])]
    assert deliveries(odoo) == [("done", [Decimal(2), Decimal(1)])]
    stock = {q["product_id"][1]: q["quantity"] for q in odoo.db.table("stock.quant").values()}
    assert stock == {"Product A": 48, "Product B": 49}  # counted 50 each, then the sale


def deliveries(odoo: OdooSimulator) -> list[tuple[str, list[Decimal]]]:
    """(state, done quantity per move) of Odoo's deliveries."""
    moves = odoo.db.table("stock.move")
    return [(p["state"], [moves[m]["quantity"] for m in p["move_ids"]])
            for p in odoo.db.table("stock.picking").values()]


def invoices_ids(odoo: OdooSimulator) -> list[int]:
    return [m["id"] for m in odoo.db.table("account.move").values()
            if m["move_type"] == "out_invoice"]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_product_odoo_lacks_is_refused_before_anything_is_written(
        api: Api, odoo: OdooSimulator, protocol: str) -> None:
    connect(api, odoo, protocol, posting="sale", sales="sale_order")
    open_store(api)
    # Odoo masters its own products, and it has no A: tillflow's A never went there.
    api.ok(api.patch("/connections/erp", {"settings": {"catalog": "erp"}}))
    sell(api, [{"sku": "A", "quantity": 1}], CASH)
    run_worker(api.ctx)
    [dead] = api.ok(api.get("/erp/erp/postings", status="dead"))["items"]
    assert "no product with default_code A" in dead["last_error"]
    assert orders(odoo) == []
    assert list(odoo.db.table("account.move").values()) == []


def test_the_simulator_keeps_odoos_rules(odoo: OdooSimulator, protocol: str) -> None:
    client = OdooClient(url=odoo.url, database=DEFAULT_DATABASE, username="admin",
                        secret=DEFAULT_API_KEY if protocol == "json2" else "admin",
                        protocol=protocol)
    try:
        [partner] = client.call("res.partner", "create", vals_list=[{"name": "P"}])
        [product] = client.call("product.product", "create", vals_list=[
            {"name": "A", "default_code": "A", "list_price": 10.0}])
        taxes = "tax_ids" if protocol == "json2" else "tax_id"
        [order] = client.call("sale.order", "create", vals_list=[{
            "partner_id": partner, "client_order_ref": "x",
            "order_line": [[0, 0, {"product_id": product, "product_uom_qty": 2,
                                   taxes: [[6, 0, []]]}]]}])
        client.call("sale.order", "action_confirm", ids=[order])
        with pytest.raises(Exception, match="not in a state requiring confirmation"):
            client.call("sale.order", "action_confirm", ids=[order])
        with pytest.raises(ErpRejected, match="Private methods"):
            client.call("sale.order", "_create_invoices", ids=[order])
        [(_, _, state, status, made)] = orders(odoo)
        assert (state, status, made) == ("sale", "to invoice", [])
        [wizard] = client.call("sale.advance.payment.inv", "create", vals_list=[{}],
                               context={"active_model": "sale.order", "active_ids": [order]})
        client.call("sale.advance.payment.inv", "create_invoices", ids=[wizard])
        [invoice] = client.call("account.move", "search_read", domain=[["ref", "=", "x"]],
                                fields=["amount_total", "state", "invoice_origin"])
        assert (invoice["amount_total"], invoice["state"]) == (20.0, "draft")
        assert orders(odoo)[0][3] == "invoiced"
        with pytest.raises(Exception, match="cancel it"):
            client.call("sale.order", "unlink", ids=[order])
    finally:
        client.close()


@pytest.mark.parametrize(("platform", "sales", "status"), [
    ("odoo", "sale_order", 201), ("odoo", "pos_order", 422), ("tryton", "sale_order", 422)])
def test_sale_orders_are_a_setting_of_odoo_only(api: Api, platform: str, sales: str,
                                                status: int) -> None:
    secrets = ({"username": "admin", "api_key": "k"} if platform == "odoo"
               else {"username": "admin", "password": "admin"})
    answer = api.post("/connections", {
        "name": "erp", "platform": platform, "secrets": secrets,
        "settings": {"url": "http://127.0.0.1:9/", "database": "tillflow",
                     "sales": sales}})
    assert answer.status_code == status
    if status == 422:
        assert answer.json()["error"]["details"]["field"] == "settings.sales"
        assert api.get("/connections/erp").status_code == 404
