"""A real Odoo 19's catalog follows tillflow's by itself (JSON-2 with the API key): each
change within seconds, through a restart and a refusal, never twice, in order per SKU.

The module shares one Odoo (``odoo_peer``): each test has SKUs and barcodes of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from support.api import Api
from support.erp_catalog import (
    OdooShelf,
    cost_follows,
    deleted_then_made_again,
    erp_worker,
    follow_a_product,
    only_costs_come_in,
    refused_then_replayed,
    stopped_mid_change,
    the_erp_masters,
)
from support.odoo_peer import OdooPeer
from support.waiting import wait_until
from tillflow.connectors.odoo.client import JSON2, OdooClient

pytestmark = [pytest.mark.parametrize("database", ["sqlite"], indirect=True),
              pytest.mark.parametrize("odoo_peer", ["19"], indirect=True)]


@pytest.fixture
def shelf(odoo_peer: OdooPeer) -> Iterator[OdooShelf]:
    client = OdooClient(url=odoo_peer.url, database=odoo_peer.database,
                        username=odoo_peer.login, secret=odoo_peer.api_key, protocol=JSON2)
    try:
        yield OdooShelf(client)
    finally:
        client.close()


def connect(api: Api, peer: OdooPeer) -> None:
    api.ok(api.post("/connections", {
        "name": "erp", "platform": "odoo",
        "settings": {"url": peer.url, "database": peer.database, "protocol": JSON2,
                     "posting": "sale", "poll_seconds": 0},
        "secrets": {"username": peer.login, "api_key": peer.api_key}}), 201)


def test_each_change_reaches_odoo_within_seconds(api: Api, odoo_peer: OdooPeer,
                                                 shelf: OdooShelf) -> None:
    connect(api, odoo_peer)
    with erp_worker(api.ctx):
        follow_a_product(api, shelf, "TF-TEA", codes="20000000003")
    [template] = shelf.client.call("product.template", "search_read",
                                   domain=[["default_code", "=", "TF-TEA"]],
                                   fields=["name", "list_price", "active"])
    assert (template["name"], template["list_price"], template["active"]) == (
        "Green tea", 4.1, True)


def test_odoo_restarted_mid_change_loses_nothing_doubles_nothing_keeps_the_order(
        api: Api, odoo_peer: OdooPeer, shelf: OdooShelf) -> None:
    connect(api, odoo_peer)
    with erp_worker(api.ctx):
        stopped_mid_change(api, shelf, stop=odoo_peer.stop, start=odoo_peer.start,
                           sku="TF-V", other="TF-MUG")


def test_a_product_odoo_refuses_is_a_dead_letter_replayed_once_odoo_can_take_it(
        api: Api, odoo_peer: OdooPeer, shelf: OdooShelf) -> None:
    connect(api, odoo_peer)

    def add_tax() -> None:
        shelf.client.call("account.tax", "create", vals_list=[{
            "name": "Sales 5%", "amount": 5, "amount_type": "percent",
            "type_tax_use": "sale"}])

    with erp_worker(api.ctx):
        reason = refused_then_replayed(api, shelf, sku="TF-ODD", other="TF-PLAIN",
                                       add_tax=add_tax)
    assert reason == "Odoo has no sale taxes of 5 % excluded from the price"


def test_a_product_deleted_in_odoo_is_made_again_by_its_next_change(
        api: Api, odoo_peer: OdooPeer, shelf: OdooShelf) -> None:
    connect(api, odoo_peer)

    def delete() -> None:
        found = shelf.client.call("product.product", "search",
                                  domain=[["default_code", "=", "TF-GONE"]])
        shelf.client.call("product.product", "unlink", ids=found)

    with erp_worker(api.ctx):
        deleted_then_made_again(api, shelf, sku="TF-GONE", delete=delete)


def test_only_cost_prices_come_in_while_tillflow_masters(api: Api, odoo_peer: OdooPeer,
                                                         shelf: OdooShelf) -> None:
    connect(api, odoo_peer)

    def edit_in_erp() -> None:
        found = shelf.client.call("product.product", "search",
                                  domain=[["default_code", "=", "TF-COST"]])
        shelf.client.call("product.product", "write", ids=found,
                          vals={"standard_price": 1.25, "list_price": 9.99})

    with erp_worker(api.ctx):
        only_costs_come_in(api, shelf, sku="TF-COST", edit_in_erp=edit_in_erp)


def test_odoo_mastering_the_catalog_brings_its_products_and_keeps_their_price(
        api: Api, odoo_peer: OdooPeer, shelf: OdooShelf) -> None:
    connect(api, odoo_peer)
    the_erp_masters(api, platform="odoo", sku="TF-MADE", make_in_erp=lambda: shelf.client.call(
        "product.product", "create", vals_list=[{"default_code": "TF-MADE", "name": "Made there",
                                                  "list_price": 3.5}]))


def test_a_product_with_options_follows_as_one_template(api: Api, odoo_peer: OdooPeer,
                                                        shelf: OdooShelf) -> None:
    connect(api, odoo_peer)
    made = api.ok(api.post("/products", {
        "name": "Follow Tee", "tax_rate": "0.08", "category": "Clothing/Tees",
        "options": [{"name": "Size", "values": ["S", "M"]},
                    {"name": "Colour", "values": ["Red", "Blue"]}],
        "variants": [{"sku": f"FT-{size}-{colour[0]}", "options": {"Size": size,
                                                                  "Colour": colour},
                      "price": "20.00" if size == "S" else "22.00", "cost": "8.10"}
                     for size in ("S", "M") for colour in ("Red", "Blue")]}), 201)
    odoo = shelf.client

    def variants(active: bool = True) -> dict[str, tuple[float, int]]:
        found = odoo.call("product.product", "search_read",
                          domain=[["default_code", "=like", "FT-%"], ["active", "=", active]],
                          fields=["default_code", "lst_price", "product_tmpl_id"])
        return {v["default_code"]: (v["lst_price"], v["product_tmpl_id"][0]) for v in found}

    with erp_worker(api.ctx):
        # M costs 2.00 more whatever the colour: Odoo holds it as the value's extra.
        prices = {"FT-S-R": 20.0, "FT-S-B": 20.0, "FT-M-R": 22.0, "FT-M-B": 22.0}
        wait_until(lambda: {sku: price for sku, (price, _) in variants().items()} == prices,
                   timeout=120, message=lambda: f"Odoo shows {variants()}")
        assert len({template for _, template in variants().values()}) == 1
        assert shelf.cost("FT-M-B") == Decimal("8.10")

        api.ok(api.patch(f"/product-groups/{made['id']}", {"remove": ["FT-S-B"]}))
        wait_until(lambda: "FT-S-B" not in variants(), timeout=120,
                   message="the variant removed was never archived in Odoo")
    assert set(variants()) == {"FT-S-R", "FT-M-R", "FT-M-B"}
    assert api.ok(api.get("/erp/erp/postings", status="dead"))["items"] == []


def test_the_cost_tillflow_keeps_reaches_odoo(api: Api, odoo_peer: OdooPeer,
                                              shelf: OdooShelf) -> None:
    connect(api, odoo_peer)
    with erp_worker(api.ctx):
        cost_follows(api, shelf, "TF-COSTED", shown="2.35")  # Odoo's prices: 2 places
