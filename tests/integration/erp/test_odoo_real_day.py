"""A day of trading against the real Odoo 17 (JSON-RPC) and 19 (JSON-2 and JSON-RPC).

Products go out, sales with split tenders and change, a return, a safe drop and a shift
closed short are posted per sale (as paid invoices and credit notes, or as confirmed and
delivered sale orders) and per shift, then Odoo's books are read back and compared line
by line with tillflow's journal in Odoo's own accounts (``support.odoo_books``: tenders on
the accounts Odoo's payments use). Odoo stopped mid-day and an answer lost after Odoo
acted leave nothing lost and nothing doubled; counts set Odoo's quantity; goods received
in Odoo arrive as stock; products travel both ways. One Odoo per module and version.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from support.api import Api
from support.dropping_proxy import dropping_proxy
from support.erp_catalog import unit_cost
from support.erp_day import later, open_store, run_worker, sell
from support.odoo_books import ODOO_CODES, expected
from support.odoo_peer import OdooPeer
from support.odoo_real import (
    Call,
    admin,
    booked,
    client,
    connect,
    invoices,
    moves_of,
    on_hand,
    reader,
    receive,
    register_code,
)
from tillflow.connectors.odoo.accounting import OdooAccounting
from tillflow.connectors.odoo.client import OdooClient
from tillflow.erp.adapters import accounting_for
from tillflow.erp.poster import PostingRunner
from tillflow.ports.accounting import StockCount

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
CASH = [{"method": "cash", "amount": "20.00"}]


@pytest.fixture(params=["json2", "jsonrpc"])
def every_protocol(request: pytest.FixtureRequest, odoo_peer: OdooPeer) -> str:
    """Each protocol the version has: JSON-RPC on 17, JSON-2 and JSON-RPC on 19. (The
    versions come from ``odoo_peer``'s own parameters, so that pytest runs a version's
    tests together on one server.)"""
    if request.param == "json2" and odoo_peer.version == "17":
        pytest.skip("Odoo 17 has no JSON-2")
    return str(request.param)


@pytest.fixture
def protocol(odoo_peer: OdooPeer) -> str:
    """The version's newest protocol: JSON-RPC on 17, JSON-2 on 19."""
    return "json2" if odoo_peer.version == "19" else "jsonrpc"


@pytest.fixture
def odoo(odoo_peer: OdooPeer) -> Iterator[Call]:
    with admin(odoo_peer) as call:
        yield call


def trade(api: Api, register: str) -> str:
    """The day of ``support.erp_day.trade_a_day``, with the products pushed to Odoo
    before the worker posts (a sale order line needs Odoo's product)."""
    shift = open_store(api, register=register)
    first = sell(api, [{"sku": "A", "quantity": 2}, {"sku": "B", "quantity": 3}],
                 [{"method": "cash", "amount": "50.00"}], register=register)
    sell(api, [{"sku": "B", "quantity": 1}],
         [{"method": "card", "amount": "2.00", "reference": "T-1"},
          {"method": "cash", "amount": "3.99"}], register=register)
    api.ok(api.post(f"/sales/{first['id']}/returns", {
        "lines": [{"sku": "B", "quantity": 1}], "register": register}), 201)
    api.ok(api.post(f"/shifts/{shift}/cash-movements",
                    {"amount": "-40.00", "reason": "safe drop"}, role="cashier"), 201)
    api.ok(api.post(f"/shifts/{shift}/close", {"counted_cash": "93.07"}, role="cashier"))
    assert api.ok(api.post("/erp/erp/sync", {"scope": "products-out"}))["changed"] == 2
    return shift


def test_a_day_posted_per_sale_as_invoices_on_every_protocol(
        api: Api, odoo_peer: OdooPeer, odoo: Call, every_protocol: str) -> None:
    a_day_posted_per_sale(api, odoo_peer, odoo, every_protocol, "invoice")


def test_a_day_posted_per_sale_as_sale_orders(api: Api, odoo_peer: OdooPeer, odoo: Call,
                                              protocol: str) -> None:
    a_day_posted_per_sale(api, odoo_peer, odoo, protocol, "sale_order")


def a_day_posted_per_sale(api: Api, odoo_peer: OdooPeer, odoo: Call, protocol: str,
                          sales: str) -> None:
    """Each document compared line by line; the invoices paid, carrying their numbers
    (a sale order's name for an order's invoice); Odoo's stock after the counts and the
    deliveries; a second pass books nothing."""
    register = register_code(odoo_peer.version)
    connect(api, odoo_peer, protocol, posting="sale", sales=sales)
    trade(api, register)
    run_worker(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    assert [e["kind"] for e in entries] == ["sale", "sale", "return", "cash_movement",
                                           "shift_close"]
    with reader(odoo_peer, protocol) as ledger:
        for entry in entries:
            assert booked(ledger, entry["reference"]) == expected(entry, sales=sales)
    documents = [e for e in entries if e["kind"] in ("sale", "return")]
    orders = [o["name"] for o in odoo("sale.order", "search_read",
                                      [["client_order_ref", "like", f":{register}-"]],
                                      fields=["name"], order="id")]
    origins = iter(orders if sales == "sale_order" else [])
    wanted = [(e["reference"], "out_refund" if e["kind"] == "return" else "out_invoice",
               e["document_number"] if e["kind"] == "return" or sales == "invoice"
               else next(origins), "paid") for e in documents]
    # One invoicing wizard makes the invoices of several orders, newest order first;
    # the invoices are made in tillflow's order otherwise.
    found = invoices(odoo, register)
    assert (sorted(found) if sales == "sale_order" else found) == (
        sorted(wanted) if sales == "sale_order" else wanted)
    health = api.ok(api.get("/erp/erp/health"))
    assert (health["state"], health["pending"], health["failed"]) == ("ok", 0, 0)
    # The opening stock went as counts; sale orders' deliveries took the goods out.
    sold = {"A": 2, "B": 4} if sales == "sale_order" else {"A": 0, "B": 0}
    assert (on_hand(odoo, "A"), on_hand(odoo, "B")) == (Decimal(50 - sold["A"]),
                                                        Decimal(50 - sold["B"]))
    # A second pass (a replayed event log, a restarted worker) books nothing again.
    before = moves_of(odoo, register)
    run_worker(api.ctx)
    assert moves_of(odoo, register) == before


def test_a_day_posted_per_shift_is_one_entry(api: Api, odoo_peer: OdooPeer, odoo: Call,
                                            protocol: str) -> None:
    register = register_code(odoo_peer.version)
    connect(api, odoo_peer, protocol, posting="shift")
    shift = trade(api, register)
    run_worker(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    net: dict[str, Decimal] = {}
    for entry in entries:
        for line in entry["lines"]:
            code = ODOO_CODES[line["role"]]
            net[code] = net.get(code, Decimal(0)) + Decimal(line["debit"]) - Decimal(
                line["credit"])
    totals: dict[str, Decimal] = {}
    with reader(odoo_peer, protocol) as ledger:
        summary = booked(ledger, f"shift-summary:{shift}")
    for (code, debit, credit), count in summary.items():
        totals[code] = totals.get(code, Decimal(0)) + (debit - credit) * count
    assert totals == {code: amount for code, amount in net.items() if amount}
    assert invoices(odoo, register) == []


def test_a_day_as_plain_entries(api: Api, odoo_peer: OdooPeer, odoo: Call,
                                protocol: str) -> None:
    register = register_code(odoo_peer.version)
    connect(api, odoo_peer, protocol, posting="sale", sales="move")
    trade(api, register)
    run_worker(api.ctx)
    with reader(odoo_peer, protocol) as ledger:
        for entry in api.ok(api.get("/journal"))["entries"]:
            assert booked(ledger, entry["reference"]) == expected(entry, sales="move")
    assert invoices(odoo, register) == []


def test_odoo_stopped_mid_day_loses_nothing_and_doubles_nothing(
        api: Api, odoo_peer: OdooPeer, odoo: Call, protocol: str) -> None:
    register = register_code(odoo_peer.version)
    connect(api, odoo_peer, protocol, posting="sale")
    open_store(api, register=register)
    first = sell(api, [{"sku": "A", "quantity": 1}], CASH, register=register)
    runner = PostingRunner(api.ctx, accounting_for)
    try:
        run_worker(api.ctx, runner)
        odoo_peer.stop()
        later_sales = [sell(api, [{"sku": "B", "quantity": n}], CASH, register=register)
                       for n in (1, 2)]
        run_worker(api.ctx, runner)
        health = api.ok(api.get("/erp/erp/health"))
        assert (health["state"], health["pending"]) == ("retrying", 2)
        assert "unreachable" in health["last_error"]
        odoo_peer.start()
    finally:
        runner.close()
    run_worker(later(api.ctx, timedelta(hours=1)))  # the retries are due
    assert [i[0] for i in invoices(odoo, register)] == [
        f"sale:{s['number']}" for s in (first, *later_sales)]
    assert {i[3] for i in invoices(odoo, register)} == {"paid"}
    assert api.ok(api.get("/erp/erp/health"))["state"] == "ok"


def test_an_answer_lost_after_odoo_acted_is_found_not_done_again(
        api: Api, odoo_peer: OdooPeer, odoo: Call, protocol: str) -> None:
    """Odoo made the invoice (a draft then, replaced; on 17) or took the first payment
    (on 19), then the answer was lost: the retry finds it by reference and does only
    what is left."""
    lost = "account.move" if odoo_peer.version == "17" else "account.payment.register"
    register = register_code(odoo_peer.version)
    with dropping_proxy(odoo_peer.url) as (proxy, url):
        connect(api, odoo_peer, protocol, posting="sale", url=url)
        open_store(api, register=register)
        sale = sell(api, [{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 1}],
                    [{"method": "card", "amount": "5.00", "reference": "T-9"},
                     {"method": "cash", "amount": "20.00"}], register=register)
        method = "create" if lost == "account.move" else "action_create_payments"
        proxy.drop_next(f"/json/2/{lost}/{method}" if protocol == "json2" else "/jsonrpc",
                        body="" if protocol == "json2" else f'"{lost}","{method}"')
        run_worker(api.ctx)
        assert proxy.dropped, "the answer was not lost"
        assert api.ok(api.get("/erp/erp/health"))["state"] == "retrying"
        run_worker(later(api.ctx, timedelta(hours=1)))
    reference = f"sale:{sale['number']}"
    assert invoices(odoo, register) == [(reference, "out_invoice", sale["number"], "paid")]
    payments = odoo("account.move", "search_read", [["ref", "like", f"{reference} payment"]],
                    fields=["ref"])
    assert sorted(p["ref"] for p in payments) == [f"{reference} payment card",
                                                  f"{reference} payment cash"]
    [entry] = [e for e in api.ok(api.get("/journal"))["entries"] if e["kind"] == "sale"]
    with reader(odoo_peer, protocol) as ledger:
        assert booked(ledger, reference) == expected(entry)


class MovingStock(httpx.HTTPTransport):
    """Lets Odoo's stock move between a count's quant and its application: after the
    first ``stock.quant`` create answers, ``meanwhile`` runs (as another Odoo user would)."""

    def __init__(self, meanwhile: Any) -> None:
        super().__init__()
        self.meanwhile = meanwhile

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        body = request.content
        if self.meanwhile is not None and b"stock.quant" in request.url.path.encode() + body \
                and b"create" in request.url.path.encode() + body:
            response.read()
            self.meanwhile, run = None, self.meanwhile
            run()
        return response


def test_counts_set_odoos_quantity_and_a_conflict_keeps_the_count(
        api: Api, odoo_peer: OdooPeer, odoo: Call, protocol: str) -> None:
    connect(api, odoo_peer, protocol, posting="sale")
    open_store(api, register=register_code(odoo_peer.version))
    assert api.ok(api.post("/erp/erp/sync", {"scope": "products-out"}))["changed"] == 2
    ledger = OdooAccounting(client(odoo_peer, protocol), locations={"S1": "WH/Stock"})

    def count(on_hand_now: int, sent: OdooAccounting = ledger) -> list[str]:
        return sent.count_stock([StockCount(reference="stock:t", sku="A", location="S1",
                                            on_hand=Decimal(on_hand_now),
                                            occurred_at=datetime.now(UTC))],
                                maybe_there=False)

    try:
        count(50)
        count(45)
        assert on_hand(odoo, "A") == 45  # set, not added (50 + 45)
        count(45)
        assert on_hand(odoo, "A") == 45
    finally:
        ledger.close()
    # Goods arrive between the count's quant and its application: Odoo answers with its
    # conflict wizard, and the count (what is on the shelf now) is kept.
    moving = OdooClient(url=odoo_peer.url, database=odoo_peer.database,
                        username=odoo_peer.login, secret=odoo_peer.api_key, protocol=protocol,
                        transport=MovingStock(lambda: receive(odoo, odoo_peer.version, "A", 7,
                                                              "conflict")))
    racing = OdooAccounting(moving, locations={"S1": "WH/Stock"})
    try:
        [quant] = count(40, racing)
    finally:
        racing.close()
    assert quant.startswith("quant:")
    assert on_hand(odoo, "A") == 40
    assert odoo("stock.inventory.conflict", "search_count", []) == 1


def test_products_both_ways_and_goods_received_in_odoo(
        api: Api, odoo_peer: OdooPeer, odoo: Call, protocol: str) -> None:
    connect(api, odoo_peer, protocol, posting="sale", poll=["receipts"])
    open_store(api, register=register_code(odoo_peer.version))
    api.product("C", "2.50", tax_rate="0.20", barcodes=["4006381333931"])
    assert api.ok(api.post("/erp/erp/sync", {"scope": "products-out"}))["changed"] == 3
    stored = ["type", "detailed_type"] if odoo_peer.version == "17" else ["type",
                                                                          "is_storable"]
    found = odoo("product.product", "search_read", [["default_code", "in", ["A", "C"]]],
                 fields=["default_code", "list_price", "barcode", "taxes_id", *stored],
                 order="default_code")
    taxes = {t["id"]: t["amount"] for t in odoo("account.tax", "search_read", [],
                                                 fields=["amount"])}
    assert [(p["default_code"], p["list_price"], p["barcode"],
             [taxes[t] for t in p["taxes_id"]]) for p in found] == [
        ("A", 10.0, False, [8.0]), ("C", 2.5, "4006381333931", [20.0])]
    kept = "product" if odoo_peer.version == "17" else True
    assert [p[stored[1]] for p in found] == [kept, kept]  # Odoo tracks their stock
    # tillflow masters the catalog: a cost set in Odoo comes back to the till, a price
    # changed there does not.
    odoo("product.product", "write", [found[0]["id"]], {"list_price": 11.5,
                                                        "standard_price": 4.25})
    assert api.ok(api.post("/erp/erp/sync", {"scope": "products-in"}))["changed"] == 1
    assert api.ok(api.get("/products/A"))["price"] == "10.00"
    assert unit_cost(api.ctx, "A") == Decimal("4.25")
    before = int(api.on_hand("A", "S1"))
    receive(odoo, odoo_peer.version, "A", 12, "PO-REAL-1")
    # Every done receipt of A from a supplier into WH/Stock arrives once, those of the
    # module's earlier tests too (this store has imported none yet).
    received = odoo("stock.move", "search_read", [
        ["product_id.default_code", "=", "A"], ["state", "=", "done"],
        ["location_id.usage", "=", "supplier"], ["location_dest_id.complete_name", "=",
                                                 "WH/Stock"]], fields=["quantity"])
    assert api.ok(api.post("/erp/erp/sync", {"scope": "receipts"}))["changed"] >= len(received)
    assert api.ok(api.post("/erp/erp/sync", {"scope": "receipts"}))["changed"] == 0
    assert api.on_hand("A", "S1") == before + sum(int(m["quantity"]) for m in received)
