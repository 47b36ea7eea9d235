"""The Odoo simulator's catalog follows tillflow's by itself, on both protocols: each change
within seconds, through an outage and a refusal, never twice, in order per SKU."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest

from support.api import Api
from support.erp_catalog import (
    OdooShelf,
    deleted_then_made_again,
    erp_worker,
    follow_a_product,
    refused_then_replayed,
    shows,
    stopped_mid_change,
)
from support.erp_day import book, later, open_store, run_worker, sell
from support.odoo_sim import connect, invoices
from tillflow.connectors.odoo.client import OdooClient
from tillflow.erp.adapters import accounting_for, catalog_for
from tillflow.erp.consumer import JournalConsumer
from tillflow.erp.poster import ErpPorts, PostingRunner, deliver
from tillflow.ports.accounting import ErpCatalog, ErpProduct, ErpReceipt, ErpUnavailable
from tillflow.services.events import read_events
from tillflow_simulators.odoo.simulator import DEFAULT_API_KEY, DEFAULT_DATABASE, OdooSimulator

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


@pytest.fixture
def shelf(odoo: OdooSimulator, protocol: str) -> Iterator[OdooShelf]:
    client = OdooClient(url=odoo.url, database=DEFAULT_DATABASE, username="admin",
                        secret=DEFAULT_API_KEY, protocol=protocol)
    try:
        yield OdooShelf(client)
    finally:
        client.close()


def copies(odoo: OdooSimulator, sku: str) -> int:
    return sum(1 for p in odoo.db.table("product.product").values()
               if p.get("default_code") == sku)


def test_each_change_reaches_odoo_within_seconds(api: Api, odoo: OdooSimulator,
                                                 protocol: str, shelf: OdooShelf) -> None:
    connect(api, odoo, protocol, posting="sale")
    with erp_worker(api.ctx):
        follow_a_product(api, shelf, "TEA", codes="20000000001")
    assert copies(odoo, "TEA") == 1


def test_odoo_stopped_mid_change_loses_nothing_doubles_nothing_keeps_the_order(
        api: Api, odoo: OdooSimulator, protocol: str, shelf: OdooShelf) -> None:
    connect(api, odoo, protocol, posting="sale")
    with erp_worker(api.ctx):
        stopped_mid_change(api, shelf, stop=odoo.stop, start=odoo.start,
                           sku="TEA", other="MUG")
    assert (copies(odoo, "TEA"), copies(odoo, "MUG")) == (1, 1)


def test_a_product_odoo_refuses_is_a_dead_letter_replayed_once_odoo_can_take_it(
        api: Api, odoo: OdooSimulator, protocol: str, shelf: OdooShelf) -> None:
    connect(api, odoo, protocol, posting="sale")

    def add_tax() -> None:
        odoo.db.insert("account.tax", {"name": "5%", "amount": 5.0, "type_tax_use": "sale",
                                       "amount_type": "percent", "price_include": False,
                                       "account_code": "251000"})

    with erp_worker(api.ctx):
        reason = refused_then_replayed(api, shelf, sku="ODD", other="PLAIN", add_tax=add_tax)
    assert reason == "Odoo has no sale taxes of 5 % excluded from the price"


def test_a_product_deleted_in_odoo_is_made_again_by_its_next_change(
        api: Api, odoo: OdooSimulator, protocol: str, shelf: OdooShelf) -> None:
    connect(api, odoo, protocol, posting="sale")

    def delete() -> None:
        [found] = [i for i, p in odoo.db.table("product.product").items()
                   if p.get("default_code") == "GONE"]
        del odoo.db.table("product.product")[found]

    with erp_worker(api.ctx):
        deleted_then_made_again(api, shelf, sku="GONE", delete=delete)
    assert copies(odoo, "GONE") == 1


def test_a_product_made_and_sold_at_once_is_in_odoo_before_its_sale_order(
        api: Api, odoo: OdooSimulator, protocol: str) -> None:
    connect(api, odoo, protocol, posting="sale", sales="sale_order")
    open_store(api)
    sale = sell(api, [{"sku": "A", "quantity": 2}], [{"method": "cash", "amount": "30.00"}])
    run_worker(api.ctx)
    assert api.ok(api.get("/erp/erp/postings", status="dead"))["items"] == []
    [order] = odoo.db.table("sale.order").values()
    [line] = [x for x in odoo.db.table("sale.order.line").values()
              if x["order_id"][0] == order["id"]]
    [product] = [p for p in odoo.db.table("product.product").values()
                 if p.get("default_code") == "A"]
    assert line["product_id"][0] == product["id"]
    # Invoiced from the order (its name as the origin) and paid.
    assert invoices(odoo) == [(f"sale:{sale['number']}", "out_invoice", order["name"], "paid")]


class AnswerLost:
    """Odoo makes the product; the answer is lost on the way back (a timeout), once."""

    def __init__(self, erp: ErpCatalog) -> None:
        self.erp = erp
        self.lost = False

    def close(self) -> None:
        self.erp.close()

    def products(self) -> list[ErpProduct]:
        return self.erp.products()

    def upsert_product(self, *, sku: str, name: str, price: Decimal,
                       barcodes: tuple[str, ...], tax_rate: Decimal | None = None,
                       active: bool = True, cost: Decimal | None = None) -> int | str:
        made = self.erp.upsert_product(sku=sku, name=name, price=price, barcodes=barcodes,
                                       tax_rate=tax_rate, active=active, cost=cost)
        if not self.lost:
            self.lost = True
            raise ErpUnavailable("Odoo unreachable: timed out")
        return made

    def receipts(self, *, after: int, locations: dict[str, str]) -> list[ErpReceipt]:
        return self.erp.receipts(after=after, locations=locations)

    def storage_location(self) -> str:
        return self.erp.storage_location()


def test_a_lost_answer_and_a_twice_read_event_make_one_product(
        api: Api, odoo: OdooSimulator, protocol: str, shelf: OdooShelf) -> None:
    connect(api, odoo, protocol, posting="sale")
    api.product("A", "10.00")
    book(api.ctx)
    # The consumer reads the event again (its cursor not yet moved): queued once.
    [created] = [e for e in read_events(api.ctx, after=0, limit=100)
                 if e.type == "product.created"]
    JournalConsumer().handle(api.ctx, created)
    [posting] = api.ok(api.get("/erp/erp/postings"))["items"]
    assert posting["reference"] == f"product:A:{created.seq}"
    ledger = accounting_for(api.ctx, "erp")
    answer_lost = AnswerLost(catalog_for(api.ctx, "erp"))
    ports = ErpPorts(ledger, lambda: answer_lost)
    try:
        assert deliver(api.ctx, "erp", ports).waiting
    finally:
        ports.close()
    assert copies(odoo, "A") == 1  # Odoo has it; tillflow does not know yet
    run_worker(later(api.ctx, timedelta(hours=1)))
    [posting] = api.ok(api.get("/erp/erp/postings"))["items"]
    assert (posting["status"], posting["attempts"]) == ("posted", 2)
    assert copies(odoo, "A") == 1
    assert shows(shelf, api.ok(api.get("/products/A")))


def test_two_workers_posting_at_once_make_each_product_once(
        api: Api, odoo: OdooSimulator, protocol: str) -> None:
    connect(api, odoo, protocol, posting="sale")
    skus = [f"P{n:02d}" for n in range(30)]
    for sku in skus:
        api.product(sku, "1.00")
        api.ok(api.patch(f"/products/{sku}", {"price": "1.10"}))
    book(api.ctx)
    start = threading.Barrier(2)

    def work() -> None:
        runner = PostingRunner(api.ctx, accounting_for, batch=5)
        start.wait()
        try:
            while runner.run_once():
                pass
        finally:
            runner.close()

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    run_worker(api.ctx)  # whatever a lease left for later
    assert {sku: copies(odoo, sku) for sku in skus} == dict.fromkeys(skus, 1)
    prices = {p["default_code"]: p["list_price"] for p in odoo.db.table("product.product").values()}
    assert {prices[sku] for sku in skus} == {1.1}
    postings = api.ok(api.get("/erp/erp/postings", limit=500))["items"]
    assert [p["status"] for p in postings] == ["posted"] * 60
    assert Decimal(api.ok(api.get("/products/P00"))["price"]) == Decimal("1.10")
