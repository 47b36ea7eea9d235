"""A product with options made in Shopify (the simulator, on Shopify's own schema) arrives
in tillflow as one product with options, by a full sync and by its webhook, each
variant's stock counted in; a product tillflow already knows in part arrives SKU by SKU."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from support.shop_imports import assert_arrived_whole
from support.sync import SyncedStore, connect_shopify, synced_store
from tillflow.services.context import ServiceContext
from tillflow_simulators.shopify import ShopifySimulator

SECRET = "whsec-variants-in"
SIZES, COLOURS = ("S", "M"), ("Red", "Blue")
PRODUCT_SET = """mutation($input: ProductSetInput!) {
  productSet(input: $input, synchronous: true) {
    product { id } userErrors { field message } } }"""


@pytest.fixture
def shop() -> Iterator[ShopifySimulator]:
    with ShopifySimulator(webhook_secret=SECRET) as simulator:
        yield simulator


@pytest.fixture
def store(ctx: ServiceContext) -> Iterator[SyncedStore]:
    with synced_store(ctx) as synced:
        yield synced


def _admin(shop: ShopifySimulator, query: str, variables: dict[str, Any] | None = None
           ) -> dict[str, Any]:
    """A call of Shopify's Admin API as the shop's own admin makes it."""
    answer = httpx.post(shop.graphql_url(), json={"query": query, "variables": variables or {}},
                        headers={"X-Shopify-Access-Token": shop.access_token}, timeout=10)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def _tee(shop: ShopifySimulator, prefix: str) -> dict[str, int]:
    """A tee in sizes S and M, red and blue, made in the shop with 3 to 6 of each
    (``<prefix>-S-R`` ...); returns the stock of each SKU."""
    location = _admin(shop, "{ location { id } }")["location"]["id"]
    stock = {f"{prefix}-{size}-{colour[0]}": n for n, (size, colour)
             in enumerate(itertools.product(SIZES, COLOURS), start=3)}
    made = _admin(shop, PRODUCT_SET, {"input": {
        "title": f"Tee {prefix}", "status": "ACTIVE",
        "productOptions": [{"name": "Size", "values": [{"name": s} for s in SIZES]},
                           {"name": "Colour", "values": [{"name": c} for c in COLOURS]}],
        "variants": [{"price": "20.50",
                      "optionValues": [{"optionName": "Size", "name": size},
                                       {"optionName": "Colour", "name": colour}],
                      "inventoryItem": {"sku": f"{prefix}-{size}-{colour[0]}", "tracked": True},
                      "inventoryQuantities": [{
                          "locationId": location, "name": "available",
                          "quantity": stock[f"{prefix}-{size}-{colour[0]}"]}]}
                     for size, colour in itertools.product(SIZES, COLOURS)]}})["productSet"]
    assert made["userErrors"] == [], made
    return stock


def _arrived(store: SyncedStore, skus: list[str]) -> bool:
    return all(store.api.get(f"/products/{sku}").status_code == 200 for sku in skus)


def _assert_one_product(store: SyncedStore, prefix: str, stock: dict[str, int]) -> None:
    assert_arrived_whole(store.api, name=f"Tee {prefix}", price="20.50", stock=stock,
                         options=[("Size", SIZES), ("Colour", COLOURS)],
                         sku_of=lambda values: f"{prefix}-{values[0]}-{values[1][0]}")


def test_a_product_with_options_made_in_the_shop_arrives_whole_by_a_full_sync(
        store: SyncedStore, shop: ShopifySimulator) -> None:
    stock = _tee(shop, "TS")  # made before tillflow was connected: no webhook tells of it
    connect_shopify(store, shop, webhook_secret=SECRET, price="4.00", skus=("MUG",))
    store.api.ok(store.api.post("/connections/shop/sync", {"scope": "all"}), 202)
    store.work(until=lambda: _arrived(store, list(stock))
               and store.api.on_hand("TS-M-B", "S1") == stock["TS-M-B"])
    store.settle()
    _assert_one_product(store, "TS", stock)
    # The shop keeps its product: tillflow's stock of it is the shop's.
    assert {sku: shop.available(sku) for sku in stock} == stock


def test_a_product_with_options_made_in_the_shop_arrives_whole_by_its_webhook(
        store: SyncedStore, shop: ShopifySimulator) -> None:
    connect_shopify(store, shop, webhook_secret=SECRET, price="4.00", skus=("MUG",))
    store.settle()
    stock = _tee(shop, "TW")
    store.work(until=lambda: _arrived(store, list(stock))
               and store.api.on_hand("TW-M-B", "S1") == stock["TW-M-B"])
    store.settle()
    _assert_one_product(store, "TW", stock)
    assert store.api.ok(store.api.get("/connections/shop"))["failed"] == 0


def test_a_product_tillflow_knows_in_part_arrives_sku_by_sku(
        store: SyncedStore, shop: ShopifySimulator) -> None:
    stock = _tee(shop, "TP")
    # tillflow already sells one of its SKUs, as a product of its own.
    connect_shopify(store, shop, webhook_secret=SECRET, price="4.00", skus=("TP-S-R",))
    store.api.ok(store.api.post("/connections/shop/sync", {"scope": "all"}), 202)
    store.work(until=lambda: _arrived(store, list(stock)))
    store.settle()
    api = store.api
    found = {sku: api.ok(api.get(f"/products/{sku}")) for sku in stock}
    assert all(p["options"] == {} for p in found.values())
    assert len({p["product_id"] for p in found.values()}) == 4
    # Named as the shop's product now is: tillflow's push of its SKU renamed it.
    assert {p["name"] for p in found.values()} == {"Product TP-S-R"}
    assert api.on_hand("TP-M-B", "S1") == stock["TP-M-B"]
