"""A product with options as a Magento configurable product of simple ones, against the
simulated store: created with its attributes, options and stock, a price changed, a
variant added, withdrawn and removed, a push retried after a lost answer, more variants
than Magento's input limit takes in one list, a simple product of another attribute set
becoming a variant, and a configurable product made in the store read as one product
with options."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest

from support.waiting import wait_until
from tillflow.connectors.magento.adapter import MagentoChannel
from tillflow.connectors.magento.auth import Bearer
from tillflow.connectors.magento.client import MagentoClient
from tillflow.connectors.magento.factory import magento_channel
from tillflow.ports.commerce import (
    ProductWithVariants,
    Rejected,
    Retryable,
    VariantData,
)
from tillflow_simulators.magento import MagentoSimulator
from tillflow_simulators.magento.model import AttributeGroup, AttributeSet

from .conftest import TOKEN

_tests = itertools.count(1)


@pytest.fixture
def channel(magento: MagentoSimulator) -> Iterator[MagentoChannel]:
    made = magento_channel({"shop_url": magento.url}, {"access_token": TOKEN})
    yield made
    made.close()


@pytest.fixture
def prefix() -> str:
    return f"MV{next(_tests)}"


def _tee(prefix: str, sizes: tuple[str, ...] = ("S", "M"), *, price: str = "20.50",
         withdrawn: str = "", without: str = "", size: str = "Size") -> ProductWithVariants:
    colours = ("Red", "Blue")
    return ProductWithVariants(
        key=prefix, title=f"Tee {prefix}", category="Clothing/Tees",
        options=((size, sizes), ("Colour", colours)),
        variants=tuple(
            VariantData(sku=f"{prefix}-{s}-{c[0]}", price=Decimal(price), barcode=None,
                        values=(s, c), available=n,
                        status="draft" if f"{prefix}-{s}-{c[0]}" == withdrawn else "active")
            for n, (s, c) in enumerate(itertools.product(sizes, colours), start=3)
            if f"{prefix}-{s}-{c[0]}" != without))


def _children(magento: MagentoSimulator, prefix: str) -> list[str]:
    return sorted(magento.product(f"tillflow-product-{prefix}").children)


def _labels(magento: MagentoSimulator, code: str) -> list[str]:
    with magento.store.lock:
        return [o.label for o in magento.store.attributes[code].options]


def test_a_product_with_two_options_is_a_configurable_product_of_simple_ones(
        magento: MagentoSimulator, channel: MagentoChannel, prefix: str) -> None:
    saved = channel.upsert_variants(_tee(prefix))
    parent = magento.product(f"tillflow-product-{prefix}")
    assert {s.external_id for s in saved.values()} == {str(parent.id)}
    assert all(s.created for s in saved.values())
    assert (parent.type_id, parent.name, parent.attribute_set_id) == (
        "configurable", f"Tee {prefix}", 4)
    with magento.store.lock:
        size, colour = magento.store.attributes["size"], magento.store.attributes["colour"]
        assert (size.frontend_input, size.scope) == ("select", "global")
        assert "size" in magento.store.attribute_sets[4].attributes
        assert [(o.label, o.position) for o in parent.super_attributes.values()] == [
            ("Size", 0), ("Colour", 1)]
    assert _children(magento, prefix) == sorted(saved)
    small_red = magento.product(f"{prefix}-S-R")
    assert (small_red.type_id, small_red.visibility, small_red.status, small_red.price) == (
        "simple", 1, 1, Decimal("20.50"))
    assert small_red.custom_attributes["size"] == str(
        next(o.option_id for o in size.options if o.label == "S"))
    assert small_red.custom_attributes["colour"] == str(
        next(o.option_id for o in colour.options if o.label == "Red"))
    assert channel.stock(sorted(saved), "default") == {
        f"{prefix}-S-R": 3, f"{prefix}-S-B": 4, f"{prefix}-M-R": 5, f"{prefix}-M-B": 6}
    read = {p.sku: p.options for p in channel.product(str(parent.id))}
    assert read[f"{prefix}-M-B"] == (("Size", "M"), ("Colour", "Blue"))
    assert len(read) == 4


def test_a_price_change_a_variant_added_withdrawn_and_removed_keep_the_product(
        magento: MagentoSimulator, channel: MagentoChannel, prefix: str) -> None:
    first = channel.upsert_variants(_tee(prefix))
    external = first[f"{prefix}-S-R"].external_id

    again = channel.upsert_variants(_tee(prefix, price="22.00"))
    assert not any(s.created for s in again.values())
    assert magento.product(f"{prefix}-M-B").price == Decimal("22.00")

    grown = channel.upsert_variants(_tee(prefix, ("S", "M", "L"), price="22.00"))
    assert {s.external_id for s in grown.values()} == {external}
    assert sorted(sku for sku, s in grown.items() if s.created) == [
        f"{prefix}-L-B", f"{prefix}-L-R"]
    assert len(_children(magento, prefix)) == 6
    assert channel.stock([f"{prefix}-L-R"], "default") == {f"{prefix}-L-R": 7}
    assert _labels(magento, "size").count("L") == 1

    channel.upsert_variants(_tee(prefix, ("S", "M", "L"), withdrawn=f"{prefix}-M-R",
                                 without=f"{prefix}-S-B"))
    assert magento.product(f"{prefix}-M-R").status == 2  # disabled, still a child
    assert f"{prefix}-M-R" in _children(magento, prefix)
    assert f"{prefix}-S-B" not in _children(magento, prefix)
    assert magento.product(f"{prefix}-S-B").type_id == "simple"  # left in the catalog
    status = {p.sku: p.status for p in channel.product(external)}
    assert (status[f"{prefix}-M-R"], status[f"{prefix}-M-B"]) == ("draft", "active")
    assert f"{prefix}-S-B" not in status


def _attribute_made(magento: MagentoSimulator, prefix: str) -> bool:
    with magento.store.lock:
        return f"fit_{prefix.lower()}" in magento.store.attributes


def _parent_made(magento: MagentoSimulator, prefix: str) -> bool:
    with magento.store.lock:
        return magento.store.product(f"tillflow-product-{prefix}") is not None


def _option_made(magento: MagentoSimulator, prefix: str) -> bool:
    with magento.store.lock:
        return bool(magento.product(f"tillflow-product-{prefix}").super_attributes)


@pytest.mark.parametrize(("path", "landed"), [
    ("/rest/all/V1/products/attributes", _attribute_made),
    ("/rest/all/V1/products", _parent_made),
    ("/rest/all/V1/configurable-products/", _option_made),
], ids=["attribute", "product", "configurable-option"])
def test_a_push_whose_answer_was_lost_makes_nothing_twice(
        magento: MagentoSimulator, channel: MagentoChannel, prefix: str, path: str,
        landed: Callable[[MagentoSimulator, str], bool]) -> None:
    impatient = MagentoChannel(
        MagentoClient(magento.url, timeout=1.0, auth=Bearer(TOKEN)),
        source="default", website="base", barcode_attribute=None)
    if landed is not _attribute_made:  # the attribute and its options made beforehand
        channel.upsert_variants(_tee(f"{prefix}W", size=f"Fit {prefix}"))
    product = _tee(prefix, size=f"Fit {prefix}")
    impatient.layout.facts()
    with magento.store.lock:
        before = len(magento.store.products)
    magento.slow_next(3.0, path_prefix=path, method="POST")
    with pytest.raises(Retryable):
        impatient.upsert_variants(product)
    wait_until(lambda: landed(magento, prefix), timeout=10,
               message="the change whose answer was lost never landed")
    saved = impatient.upsert_variants(product)
    impatient.close()
    with magento.store.lock:
        assert len(magento.store.products) == before + 5
        assert list(magento.store.attributes).count(f"fit_{prefix.lower()}") == 1
    assert _children(magento, prefix) == sorted(saved)
    assert sorted(_labels(magento, f"fit_{prefix.lower()}")) == ["M", "S"]
    assert [magento.source_quantity(sku) for sku in sorted(saved)] == [6, 5, 4, 3]


def test_more_variants_than_a_list_may_hold_go_in_lists_of_twenty() -> None:
    """With the store's input limits on, a synchronous list holds at most 20 entities."""
    with MagentoSimulator(access_token=TOKEN, input_limits=True) as limited:
        opened = magento_channel({"shop_url": limited.url}, {"access_token": TOKEN})
        sizes = tuple(str(n) for n in range(30, 43))
        product = _tee("WIDE", sizes)
        saved = opened.upsert_variants(product)
        opened.close()
        assert len(saved) == 26
        assert len(limited.product("tillflow-product-WIDE").children) == 26
        assert limited.source_quantity("WIDE-42-B") == 28
        assert limited.violations == []


def test_an_option_on_an_attribute_a_configurable_cannot_use_is_refused_naming_it(
        magento: MagentoSimulator, channel: MagentoChannel, prefix: str) -> None:
    product = _tee(prefix, size="Weight")  # Magento's own weight is not a dropdown
    with pytest.raises(Rejected, match="'weight'"):
        channel.upsert_variants(product)
    with magento.store.lock:
        assert magento.store.product(f"tillflow-product-{prefix}") is None


def test_a_configurable_made_in_the_store_is_read_as_one_product_with_options(
        magento: MagentoSimulator, channel: MagentoChannel, prefix: str) -> None:
    magento.add_attribute(f"shoe_{prefix.lower()}", "Shoe size", ["40", "41"])
    for size in ("40", "41"):
        magento.add_product(f"{prefix}-BOOT-{size}", f"Boot {size}", "80.00", qty=2,
                            attributes={f"shoe_{prefix.lower()}": size, "color": "Black"})
    parent = magento.add_configurable(f"{prefix}-BOOT", "Boot", [
        f"{prefix}-BOOT-40", f"{prefix}-BOOT-41"], attributes=[f"shoe_{prefix.lower()}", "color"])
    magento.add_product(f"{prefix}-LACE", "Laces", "3.00", qty=9)
    listed = []
    cursor: str | None = None
    while True:
        page, cursor = channel.products(cursor)
        listed += page
        if cursor is None:
            break
    mine = {p.sku: p for p in listed if p.sku.startswith(prefix)}
    assert sorted(mine) == [f"{prefix}-BOOT-40", f"{prefix}-BOOT-41", f"{prefix}-LACE"]
    boot = mine[f"{prefix}-BOOT-41"]
    assert (boot.external_id, boot.title, boot.options) == (
        str(parent.id), "Boot", (("Shoe size", "41"), ("Color", "Black")))
    assert mine[f"{prefix}-LACE"].options == ()
    assert [p.sku for p in channel.product(str(parent.id))] == [
        f"{prefix}-BOOT-40", f"{prefix}-BOOT-41"]


def test_a_simple_product_of_another_attribute_set_becomes_a_variant_keeping_its_set(
        magento: MagentoSimulator, channel: MagentoChannel, prefix: str) -> None:
    with magento.store.lock:
        default = magento.store.attribute_sets[4]
        magento.store.attribute_sets[9] = AttributeSet(
            9, f"Tops {prefix}", [AttributeGroup(90, "Product Details", 9)],
            dict(default.attributes))
    magento.add_product(f"{prefix}-S-R", "Older tee", "18.00", qty=5)
    with magento.store.lock:
        magento.product(f"{prefix}-S-R").attribute_set_id = 9
    saved = channel.upsert_variants(_tee(prefix, size=f"Cut {prefix}"))
    assert saved[f"{prefix}-S-R"].created  # new to the product: starts with tillflow's figure
    older = magento.product(f"{prefix}-S-R")
    assert (older.attribute_set_id, older.visibility) == (9, 1)
    assert f"cut_{prefix.lower()}" in older.custom_attributes
    assert f"{prefix}-S-R" in _children(magento, prefix)
    assert magento.source_quantity(f"{prefix}-S-R") == 3
