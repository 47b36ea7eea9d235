"""A configurable product made in Magento arrives in tillflow whole: one product with the
configurable attributes as its options and a variant for each child, with the children's
stock; the configurable product itself is not a SKU."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.sync import FAST_RETRIES, SyncedStore, synced_store
from tillflow.services.context import ServiceContext
from tillflow.sync.engine import SyncOptions
from tillflow_simulators.magento import MagentoSimulator

from .conftest import TOKEN


@pytest.fixture
def store(ctx: ServiceContext, own_store: MagentoSimulator) -> Iterator[SyncedStore]:
    options = SyncOptions(policy=FAST_RETRIES, poll_seconds=0, reconcile_seconds=0,
                          lease_seconds=5)
    with synced_store(ctx, options=options) as synced:
        synced.api.location("S1")
        synced.api.ok(synced.api.post("/connections", {
            "name": "magento", "platform": "magento",
            "settings": {"shop_url": own_store.url, "location": "S1"},
            "secrets": {"access_token": TOKEN}}), 201)
        synced.settle()
        yield synced


def test_a_configurable_product_made_in_magento_arrives_as_one_product_with_options(
        store: SyncedStore, own_store: MagentoSimulator) -> None:
    own_store.add_attribute("size", "Size", ["S", "M"])
    for size, colour, qty in (("S", "Red", 2), ("M", "Red", 3), ("M", "Blue", 4)):
        own_store.add_product(f"HOOD-{size}-{colour}", f"Hoodie {size} {colour}", "45.00",
                              qty=qty, attributes={"size": size, "color": colour})
    own_store.add_configurable("HOOD", "Hoodie", ["HOOD-S-Red", "HOOD-M-Red", "HOOD-M-Blue"],
                               attributes=["size", "color"])

    api = store.api
    api.ok(api.post("/connections/magento/sync", {"scope": "all"}), 202)
    store.work(until=lambda: api.get("/connections/magento/reconciliations/latest")
               .status_code == 200)
    store.settle()
    report = api.ok(api.get("/connections/magento/reconciliations/latest"))
    assert report["error"] is None
    assert sorted(i["sku"] for i in report["items"] if i["kind"] == "product") == [
        "HOOD-M-Blue", "HOOD-M-Red", "HOOD-S-Red"]
    assert api.get("/products/HOOD").status_code == 404

    variant = api.ok(api.get("/products/HOOD-M-Blue"))
    assert variant["options"] == {"Size": "M", "Color": "Blue"}
    assert variant["price"] == "45.00"
    group = api.ok(api.get(f"/product-groups/{variant['product_id']}"))
    assert group["name"] == "Hoodie"
    assert group["options"] == [{"name": "Size", "values": ["S", "M"]},
                                {"name": "Color", "values": ["Red", "Blue"]}]
    assert sorted(v["sku"] for v in group["variants"]) == [
        "HOOD-M-Blue", "HOOD-M-Red", "HOOD-S-Red"]
    assert api.on_hand("HOOD-M-Blue", "S1") == 4


def _children(sim: MagentoSimulator, sku: str) -> list[str]:
    with sim.store.lock:
        parent = sim.store.product(sku)
        return sorted(parent.children) if parent is not None else []


def test_a_product_with_options_made_in_tillflow_reaches_magento_through_the_engine(
        store: SyncedStore, own_store: MagentoSimulator) -> None:
    api = store.api
    tee = api.ok(api.post("/products", {
        "name": "Tee", "tax_rate": "0.08", "category": "Clothing/Tees",
        "options": [{"name": "Size", "values": ["S", "M"]},
                    {"name": "Colour", "values": ["Red", "Blue"]}],
        "variants": [{"sku": f"TEE-{size}-{colour[0]}", "price": "20.00",
                      "options": {"Size": size, "Colour": colour}}
                     for size in ("S", "M") for colour in ("Red", "Blue")]}), 201)
    parent = f"tillflow-product-{tee['id']}"
    api.stock("TEE-M-R", "S1", 7)
    store.work(until=lambda: len(_children(own_store, parent)) == 4
               and own_store.salable_quantity("TEE-M-R") == 7)

    api.ok(api.patch(f"/product-groups/{tee['id']}", {
        "options": [{"name": "Size", "values": ["S", "M", "L"]},
                    {"name": "Colour", "values": ["Red", "Blue"]}],
        "variants": [{"sku": "TEE-L-R", "price": "22.00",
                      "options": {"Size": "L", "Colour": "Red"}}],
        "remove": ["TEE-S-B"]}))
    api.ok(api.patch("/products/TEE-M-B", {"active": False}))
    store.work(until=lambda: "TEE-L-R" in _children(own_store, parent)
               and own_store.product("TEE-M-B").status == 2)
    store.settle()
    assert _children(own_store, parent) == ["TEE-L-R", "TEE-M-B", "TEE-M-R", "TEE-S-R"]
    assert own_store.product("TEE-L-R").price == 22
    assert own_store.salable_quantity("TEE-M-R") == 7
    assert api.ok(api.get("/connections/magento/dead-letters"))["items"] == []
