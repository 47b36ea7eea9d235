"""A real trytond's catalog follows tillflow's by itself: each change within seconds,
through an outage and a refusal, never twice, in order per SKU."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from support.api import Api
from support.erp_catalog import (
    TrytonShelf,
    cost_follows,
    deleted_then_made_again,
    erp_worker,
    follow_a_product,
    only_costs_come_in,
    refused_then_replayed,
    stopped_mid_change,
    the_erp_masters,
)
from support.tryton_peer import TrytonPeer, connect, tryton
from tillflow.connectors.tryton.catalog import TrytonCatalog

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


@pytest.fixture
def shelf(trytond: TrytonPeer) -> Iterator[TrytonShelf]:
    ledger = tryton(trytond)
    try:
        yield TrytonShelf(ledger.client)
    finally:
        ledger.close()


def test_each_change_reaches_tryton_within_seconds(api: Api, trytond: TrytonPeer,
                                                   shelf: TrytonShelf) -> None:
    connect(api, trytond, posting="sale")
    with erp_worker(api.ctx):
        follow_a_product(api, shelf, "TEA", codes="20000000002")
    # The tax rates went as account categories taxing at them, made once each.
    categories = shelf.client.model("product.category", "search_read", [], 0, None,
                                    [("id", "ASC")], ["name"])
    names = [c["name"] for c in categories]
    assert sorted(set(names)) == sorted(names)


def test_tryton_stopped_mid_change_loses_nothing_doubles_nothing_keeps_the_order(
        api: Api, trytond: TrytonPeer, shelf: TrytonShelf) -> None:
    connect(api, trytond, posting="sale")
    with erp_worker(api.ctx):
        stopped_mid_change(api, shelf, stop=trytond.stop, start=trytond.start,
                           sku="TEA", other="MUG")


def test_a_product_tryton_refuses_is_a_dead_letter_replayed_once_tryton_can_take_it(
        api: Api, trytond: TrytonPeer, shelf: TrytonShelf) -> None:
    connect(api, trytond, posting="sale")

    def add_tax() -> None:
        """A 5 % tax on the accounts of the 8 % one, as Tryton's accountant would make it."""
        client = shelf.client
        [model] = client.model("account.tax", "search_read", [("rate", "=", Decimal("0.08"))],
                               0, 1, None, ["invoice_account", "credit_note_account",
                                            "company"])
        client.model("account.tax", "create", [{
            "name": "Tax 0.05", "description": "Tax 0.05", "type": "percentage",
            "rate": Decimal("0.05"), "company": model["company"],
            "invoice_account": model["invoice_account"],
            "credit_note_account": model["credit_note_account"]}])

    with erp_worker(api.ctx):
        reason = refused_then_replayed(api, shelf, sku="ODD", other="PLAIN", add_tax=add_tax)
    assert reason == "Tryton has no sale taxes of rate 0.05"


def test_a_product_deleted_in_tryton_is_made_again_by_its_next_change(
        api: Api, trytond: TrytonPeer, shelf: TrytonShelf) -> None:
    connect(api, trytond, posting="sale")

    def delete() -> None:
        found = shelf.client.model("product.product", "search_read", [("code", "=", "GONE")],
                                   0, None, None, ["template"])
        shelf.client.model("product.template", "delete", [p["template"] for p in found])

    with erp_worker(api.ctx):
        deleted_then_made_again(api, shelf, sku="GONE", delete=delete)


def test_only_cost_prices_come_in_while_tillflow_masters(api: Api, trytond: TrytonPeer,
                                                         shelf: TrytonShelf) -> None:
    connect(api, trytond, posting="sale")

    def edit_in_erp() -> None:
        [found] = shelf.client.model("product.product", "search_read", [("code", "=", "COST")],
                                     0, 1, None, ["template"])
        shelf.client.model("product.product", "write", [found["id"]],
                           {"cost_price": Decimal("1.25")})
        shelf.client.model("product.template", "write", [found["template"]],
                           {"list_price": Decimal("9.99")})

    with erp_worker(api.ctx):
        only_costs_come_in(api, shelf, sku="COST", edit_in_erp=edit_in_erp)


def test_tryton_mastering_the_catalog_brings_its_products_and_keeps_their_price(
        api: Api, trytond: TrytonPeer, shelf: TrytonShelf) -> None:
    connect(api, trytond, posting="sale")
    the_erp_masters(api, platform="tryton", sku="MADE", make_in_erp=lambda: TrytonCatalog(
        shelf.client).upsert_product(sku="MADE", name="Made there", price=Decimal("3.50"),
                                     barcodes=()))


def test_the_cost_tillflow_keeps_reaches_tryton(api: Api, trytond: TrytonPeer,
                                                shelf: TrytonShelf) -> None:
    connect(api, trytond, posting="sale")
    with erp_worker(api.ctx):
        cost_follows(api, shelf, "COSTED")
