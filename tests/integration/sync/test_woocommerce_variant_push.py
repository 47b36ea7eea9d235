"""A product with options made in tillflow reaches WooCommerce through the sync engine as
one variable product, on the real shop and on the simulator: created with its stock, a
size added, a variant removed, one withdrawn from sale."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from support.sync import SyncedStore, synced_store
from support.woo_either import EitherShop
from tillflow.services.context import ServiceContext

_tests = itertools.count(1)


@pytest.fixture
def shop(woo_either: EitherShop) -> EitherShop:
    return woo_either


@pytest.fixture
def store(ctx: ServiceContext, shop: EitherShop) -> Iterator[SyncedStore]:
    with synced_store(ctx) as synced:
        synced.api.location("S1")
        synced.api.ok(synced.api.post("/connections", {
            "name": "woo", "platform": "woocommerce",
            "settings": {"shop_url": shop.url, "ca_file": str(shop.certificate),
                         "location": "S1"},
            "secrets": {"consumer_key": shop.key[0], "consumer_secret": shop.key[1],
                        "webhook_secret": "woo-variants"}}), 201)
        yield synced


def _held(shop: EitherShop, sku: str) -> dict[str, dict[str, Any]]:
    """The variations of the shop's product holding variation ``sku``, by SKU."""
    found = shop.api.get("/products", params={"sku": sku, "status": "any"}).json()
    parents = {item["parent_id"] for item in found if item["sku"] == sku}
    if not parents or 0 in parents:
        return {}
    [parent] = parents
    variations = shop.api.get(f"/products/{parent}/variations", params={"per_page": 100})
    return {v["sku"]: {**v, "parent_id": parent} for v in variations.json()}


def test_a_product_with_options_made_in_tillflow_is_a_variable_product_of_the_shop(
        store: SyncedStore, shop: EitherShop) -> None:
    api, prefix = store.api, f"E{next(_tests)}"
    tee = api.ok(api.post("/products", {
        "name": "Tee", "tax_rate": "0.08", "category": "Clothing/Tees",
        "options": [{"name": "Size", "values": ["S", "M"]},
                    {"name": "Colour", "values": ["Red", "Blue"]}],
        "variants": [{"sku": f"{prefix}-{size}-{colour[0]}", "price": "20.00",
                      "options": {"Size": size, "Colour": colour}}
                     for size in ("S", "M") for colour in ("Red", "Blue")]}), 201)
    api.stock(f"{prefix}-M-R", "S1", 7)
    store.work(until=lambda: _held(shop, f"{prefix}-M-R").get(
        f"{prefix}-M-R", {}).get("stock_quantity") == 7)
    held = _held(shop, f"{prefix}-S-R")
    assert sorted(held) == sorted(f"{prefix}-{s}-{c}" for s in "SM" for c in "RB")
    [parent] = {v["parent_id"] for v in held.values()}
    product = shop.api.get(f"/products/{parent}").json()
    assert (product["type"], product["sku"]) == ("variable", "")

    api.ok(api.patch(f"/product-groups/{tee['id']}", {
        "options": [{"name": "Size", "values": ["S", "M", "L"]},
                    {"name": "Colour", "values": ["Red", "Blue"]}],
        "variants": [{"sku": f"{prefix}-L-R", "price": "22.00",
                      "options": {"Size": "L", "Colour": "Red"}}],
        "remove": [f"{prefix}-S-B"]}))
    api.ok(api.patch(f"/products/{prefix}-M-B", {"active": False}))
    store.work(until=lambda: f"{prefix}-L-R" in _held(shop, f"{prefix}-S-R")
               and _held(shop, f"{prefix}-M-B")[f"{prefix}-M-B"]["status"] == "private")
    store.settle()
    held = _held(shop, f"{prefix}-S-R")
    assert sorted(held) == sorted([f"{prefix}-S-R", f"{prefix}-M-R", f"{prefix}-M-B",
                                   f"{prefix}-L-R"])
    assert {v["parent_id"] for v in held.values()} == {parent}
    assert held[f"{prefix}-L-R"]["regular_price"] == "22.00"
    assert held[f"{prefix}-M-R"]["stock_quantity"] == 7
    assert api.ok(api.get("/connections/woo/dead-letters"))["items"] == []


def test_a_variable_product_made_in_the_shop_arrives_as_one_product_with_options(
        store: SyncedStore, shop: EitherShop) -> None:
    api, prefix = store.api, f"E{next(_tests)}"
    made = shop.api.post("/products", json={
        "name": f"Cap {prefix}", "type": "variable", "attributes": [
            {"name": "Colour", "options": ["Red", "Blue"], "variation": True,
             "visible": True, "position": 0},
            {"name": "Size", "options": ["One"], "variation": True, "visible": True,
             "position": 1}]})
    assert made.status_code == 201, made.text
    parent = made.json()["id"]
    batch = shop.api.post(f"/products/{parent}/variations/batch", json={"create": [
        {"sku": f"{prefix}-CAP-{colour[0]}", "regular_price": "9.50", "manage_stock": True,
         "stock_quantity": stock, "attributes": [{"name": "Colour", "option": colour},
                                                 {"name": "Size", "option": "One"}]}
        for colour, stock in (("Red", 4), ("Blue", 5))]})
    assert all("error" not in v for v in batch.json()["create"]), batch.text
    api.ok(api.post("/connections/woo/sync", {"scope": "all"}), 202)
    store.work(until=lambda: api.get(f"/products/{prefix}-CAP-B").status_code == 200
               and api.on_hand(f"{prefix}-CAP-B", "S1") == 5)
    red = api.ok(api.get(f"/products/{prefix}-CAP-R"))
    assert red["options"] == {"Colour": "Red", "Size": "One"}
    group = api.ok(api.get(f"/product-groups/{red['product_id']}"))
    assert group["name"] == f"Cap {prefix}"
    assert group["options"] == [{"name": "Colour", "values": ["Red", "Blue"]},
                                {"name": "Size", "values": ["One"]}]
    assert sorted(v["sku"] for v in group["variants"]) == [f"{prefix}-CAP-B",
                                                            f"{prefix}-CAP-R"]
    assert api.on_hand(f"{prefix}-CAP-R", "S1") == 4
