"""A product with options reaches a shop that groups variants as one product of the shop,
whichever of its SKUs changed; a shop that does not gets each SKU on its own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from support.api import Api
from support.sync import TEE_CHANGES, drain, memory_synced, tee_with_variants
from tillflow.services.context import ServiceContext
from tillflow.sync.consumers import ConsumerRunner
from tillflow.sync.memory import MemoryShop


@pytest.fixture
def memory_shop() -> MemoryShop:
    return MemoryShop()


@pytest.fixture
def setup(ctx: ServiceContext, memory_shop: MemoryShop) -> Iterator[tuple[Api, ConsumerRunner]]:
    with memory_synced(ctx, memory_shop) as (api, runner):
        api.location("S1")
        api.ok(api.post("/connections", {
            "name": "mem", "platform": "shopify",
            "settings": {"shop_url": "http://127.0.0.1:9", "location": "S1"},
            "secrets": {"access_token": "t"}}), 201)
        drain(runner)  # the first sync of the connection, of an empty catalog
        yield api, runner


def _tee(api: Api) -> dict[str, Any]:
    made: dict[str, Any] = api.ok(api.post("/products", tee_with_variants()), 201)
    return made


def _shop_product(shop: MemoryShop, sku: str) -> dict[str, tuple[str, ...]]:
    """The shop's product holding ``sku``: each of its SKUs with its option values."""
    external = shop.products[sku].external_id
    return {s: shop.values[s] for s, p in shop.products.items() if p.external_id == external}


def test_a_product_with_variants_is_one_product_of_the_shop(
        setup: tuple[Api, ConsumerRunner], memory_shop: MemoryShop) -> None:
    api, runner = setup
    tee = _tee(api)
    api.stock("TEE-M-R", "S1", 7)
    drain(runner)
    assert _shop_product(memory_shop, "TEE-S-R") == {
        "TEE-S-R": ("S", "Red"), "TEE-S-B": ("S", "Blue"),
        "TEE-M-R": ("M", "Red"), "TEE-M-B": ("M", "Blue")}
    external = memory_shop.products["TEE-S-R"].external_id
    assert memory_shop.options[external] == (("Size", ("S", "M")), ("Colour", ("Red", "Blue")))
    assert memory_shop.stock["TEE-M-R"] == 7
    # One write of the product covered the rows of its four SKUs and of the product.
    assert memory_shop.product_writes == [external]

    # A size added, a variant renamed by its product, one taken off: the same product.
    api.ok(api.patch(f"/product-groups/{tee['id']}", TEE_CHANGES))
    drain(runner)
    assert _shop_product(memory_shop, "TEE-L-R") == {
        "TEE-S-R": ("S", "Red"), "TEE-M-R": ("M", "Red"), "TEE-M-B": ("M", "Blue"),
        "TEE-L-R": ("L", "Red")}
    assert memory_shop.products["TEE-L-R"].external_id == external
    assert {p.title for p in memory_shop.products.values()} == {"Tee classic"}
    assert memory_shop.options[external][0] == ("Size", ("S", "M", "L"))
    assert memory_shop.stock["TEE-M-R"] == 7
    assert memory_shop.product_writes == [external] * 2

    # Withdrawn from sale, a variant stays, as a draft.
    api.ok(api.patch("/products/TEE-M-B", {"active": False}))
    drain(runner)
    assert memory_shop.products["TEE-M-B"].status == "draft"
    assert api.ok(api.get("/connections/mem/dead-letters"))["items"] == []


def test_a_simple_product_stays_a_product_of_its_own(
        setup: tuple[Api, ConsumerRunner], memory_shop: MemoryShop) -> None:
    api, runner = setup
    api.product("MUG")
    _tee(api)
    drain(runner)
    assert memory_shop.products["MUG"].external_id == "memory-product-MUG"
    assert "MUG" not in memory_shop.values
    assert memory_shop.products["MUG"].external_id != memory_shop.products["TEE-S-R"].external_id


def test_a_variant_deleted_alone_leaves_the_shops_product(
        setup: tuple[Api, ConsumerRunner], memory_shop: MemoryShop) -> None:
    api, runner = setup
    tee = _tee(api)
    drain(runner)
    # Never sold nor stocked: the variant is deleted, and that is the whole change.
    api.ok(api.patch(f"/product-groups/{tee['id']}", {"remove": ["TEE-S-B"]}))
    drain(runner)
    assert set(_shop_product(memory_shop, "TEE-S-R")) == {"TEE-S-R", "TEE-M-R", "TEE-M-B"}
