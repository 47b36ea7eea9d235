"""A product with options as a WooCommerce variable product and its variations, on the real
shop and on the simulator alike: created, given stock, a variant added, removed and
withdrawn, a simple product gaining options, variation SKUs read and written, web orders
of variations, and the SKU uniqueness WooCommerce keeps across products and variations.

One shop per module for each; every test names its records with a prefix of its own."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from support.woo_either import EitherShop
from tillflow.connectors.woocommerce.adapter import WooCommerceChannel
from tillflow.ports.commerce import (
    SALE_SOURCE,
    OrderLine,
    PosSale,
    ProductData,
    ProductWithVariants,
    Rejected,
    StockTarget,
    VariantData,
)

_tests = itertools.count(1)


@pytest.fixture
def shop(woo_either: EitherShop) -> EitherShop:
    return woo_either


@pytest.fixture
def channel(shop: EitherShop) -> Iterator[WooCommerceChannel]:
    opened = shop.channel()
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def prefix() -> str:
    return f"V{next(_tests)}"


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _tee(prefix: str, sizes: tuple[str, ...] = ("S", "M"), *, withdrawn: str = "",
         title: str = "Tee") -> ProductWithVariants:
    colours = ("Red", "Blue")
    return ProductWithVariants(
        key=prefix, title=title, category="Clothing/Tees",
        options=(("Size", sizes), ("Colour", colours)),
        variants=tuple(
            VariantData(sku=f"{prefix}-{size}-{colour[0]}", price=Decimal("20.50"),
                        barcode=None, values=(size, colour), available=n,
                        status="draft" if f"{prefix}-{size}-{colour[0]}" == withdrawn
                        else "active")
            for n, (size, colour) in enumerate(itertools.product(sizes, colours), start=3)))


def _variations(shop: EitherShop, product_id: str) -> dict[str, dict[str, Any]]:
    found = _ok(shop.api.get(f"/products/{product_id}/variations", params={"per_page": 100}))
    return {v["sku"]: v for v in found}


def test_a_product_with_two_options_is_one_variable_product_with_its_variations(
        shop: EitherShop, channel: WooCommerceChannel, prefix: str) -> None:
    saved = channel.upsert_variants(_tee(prefix))
    [external] = {s.external_id for s in saved.values()}
    assert all(s.created for s in saved.values())
    parent = _ok(shop.api.get(f"/products/{external}"))
    assert (parent["type"], parent["sku"], parent["name"]) == ("variable", "", "Tee")
    assert [(a["name"], a["options"], a["variation"]) for a in parent["attributes"]] == [
        ("Size", ["S", "M"], True), ("Colour", ["Red", "Blue"], True)]
    held = _variations(shop, external)
    assert {sku: [(a["name"], a["option"]) for a in v["attributes"]]
            for sku, v in held.items()} == {
        f"{prefix}-S-R": [("Size", "S"), ("Colour", "Red")],
        f"{prefix}-S-B": [("Size", "S"), ("Colour", "Blue")],
        f"{prefix}-M-R": [("Size", "M"), ("Colour", "Red")],
        f"{prefix}-M-B": [("Size", "M"), ("Colour", "Blue")]}
    assert {v["regular_price"] for v in held.values()} == {"20.50"}
    assert all(v["manage_stock"] is True for v in held.values())

    # Variation SKUs are found by the SKU filter of /products, read and written.
    skus = sorted(held)
    assert channel.stock(skus, channel.primary_location) == {
        f"{prefix}-S-R": 3, f"{prefix}-S-B": 4, f"{prefix}-M-R": 5, f"{prefix}-M-B": 6}
    channel.set_stock([StockTarget(f"{prefix}-M-B", "default", 9, expected=6)],
                      idempotency_key=prefix)
    assert _variations(shop, external)[f"{prefix}-M-B"]["stock_quantity"] == 9
    assert sorted(p.sku for p in channel.product(external)) == skus

    # A size added, one variant removed and one withdrawn: the same product.
    changed = _tee(prefix, ("S", "M", "L"), withdrawn=f"{prefix}-M-R", title="Tee classic")
    changed = ProductWithVariants(
        key=changed.key, title=changed.title, category=changed.category,
        options=changed.options,
        variants=tuple(v for v in changed.variants if v.sku != f"{prefix}-S-B"))
    again = channel.upsert_variants(changed)
    assert {s.external_id for s in again.values()} == {external}
    assert sorted(sku for sku, s in again.items() if s.created) == [
        f"{prefix}-L-B", f"{prefix}-L-R"]
    held = _variations(shop, external)
    assert sorted(held) == sorted(v.sku for v in changed.variants)
    assert held[f"{prefix}-M-B"]["stock_quantity"] == 9  # kept: tillflow writes stock itself
    assert held[f"{prefix}-L-R"]["stock_quantity"] == 7
    assert held[f"{prefix}-M-R"]["status"] == "private"
    parent = _ok(shop.api.get(f"/products/{external}"))
    assert parent["name"] == "Tee classic"
    assert parent["attributes"][0]["options"] == ["S", "M", "L"]
    status = {p.sku: p.status for p in channel.product(external)}
    assert status[f"{prefix}-M-R"] == "draft"
    assert status[f"{prefix}-M-B"] == "active"
    assert channel.stock([f"{prefix}-S-B"], "default") == {}


def test_a_simple_product_that_gains_options_becomes_the_variable_product(
        shop: EitherShop, channel: WooCommerceChannel, prefix: str) -> None:
    simple = channel.upsert_product(ProductData(
        sku=f"{prefix}-S-R", title="Tee", price=Decimal("20.50"), barcode=None,
        status="active", available=2))
    saved = channel.upsert_variants(_tee(prefix))
    assert {s.external_id for s in saved.values()} == {simple.external_id}
    parent = _ok(shop.api.get(f"/products/{simple.external_id}"))
    assert (parent["type"], parent["sku"]) == ("variable", "")
    assert sorted(_variations(shop, simple.external_id)) == sorted(saved)
    assert channel.stock([f"{prefix}-S-R"], "default") == {f"{prefix}-S-R": 3}


def test_a_variant_held_by_another_product_is_refused_naming_it(
        shop: EitherShop, channel: WooCommerceChannel, prefix: str) -> None:
    channel.upsert_product(ProductData(sku=f"{prefix}-M-B", title="Other", price=Decimal(1),
                                       barcode=None, status="active"))
    channel.upsert_variants(ProductWithVariants(
        key=prefix, title="Tee", category=None, options=(("Size", ("S",)),),
        variants=(VariantData(sku=f"{prefix}-S-R", price=Decimal(1), barcode=None,
                              status="active", values=("S",)),)))
    with pytest.raises(Rejected, match=f"{prefix}-M-B"):
        channel.upsert_variants(_tee(prefix))


def test_a_sku_is_unique_across_products_and_variations(
        shop: EitherShop, channel: WooCommerceChannel, prefix: str) -> None:
    saved = channel.upsert_variants(_tee(prefix))
    external = saved[f"{prefix}-S-R"].external_id
    taken = shop.api.post("/products", json={"name": "Copy", "sku": f"{prefix}-S-R"})
    assert _ok(taken, 400)["code"] == "product_invalid_sku"
    other = _ok(shop.api.post("/products", json={"name": "Other", "sku": f"{prefix}-X"}), 201)
    again = shop.api.post(f"/products/{external}/variations", json={"sku": f"{prefix}-X"})
    assert _ok(again, 400)["code"] == "product_invalid_sku"
    batch = _ok(shop.api.post(f"/products/{external}/variations/batch",
                              json={"create": [{"sku": other["sku"]}]}))
    assert batch["create"][0]["error"]["code"] == "product_invalid_sku"


def test_a_web_order_of_a_variation_is_read_with_the_variations_sku(
        shop: EitherShop, channel: WooCommerceChannel, prefix: str) -> None:
    saved = channel.upsert_variants(_tee(prefix))
    external = int(saved[f"{prefix}-M-R"].external_id)
    variation = _variations(shop, str(external))[f"{prefix}-M-R"]
    order = _ok(shop.api.post("/orders", json={
        "status": "processing", "set_paid": True,
        "line_items": [{"product_id": external, "variation_id": variation["id"],
                        "quantity": 2}]}), 201)
    assert order["line_items"][0]["sku"] == f"{prefix}-M-R"
    remote = channel.order(str(order["id"]))
    assert remote is not None
    assert [(line.sku, line.quantity) for line in remote.lines] == [(f"{prefix}-M-R", 2)]
    assert channel.stock([f"{prefix}-M-R"], "default") == {f"{prefix}-M-R": 3}


def test_variations_of_a_product_that_is_gone(shop: EitherShop, prefix: str) -> None:
    """None to list; writing one is a PHP fatal error (HTTP 500) in WooCommerce 10."""
    gone = 999_999
    assert _ok(shop.api.get(f"/products/{gone}/variations")) == []
    made = shop.api.post(f"/products/{gone}/variations", json={"sku": f"{prefix}-O"})
    assert _ok(made, 500)["code"] == "internal_server_error"
    batch = shop.api.post(f"/products/{gone}/variations/batch",
                          json={"create": [{"sku": f"{prefix}-P"}]})
    assert _ok(batch, 500)["code"] == "internal_server_error"


def test_deleting_what_is_not_a_variation_of_the_product_fails_that_item(
        shop: EitherShop, channel: WooCommerceChannel, prefix: str) -> None:
    saved = channel.upsert_variants(_tee(prefix))
    parent = int(saved[f"{prefix}-S-R"].external_id)
    other = _ok(shop.api.post("/products", json={"name": "O", "sku": f"{prefix}-O"}), 201)
    result = _ok(shop.api.post(f"/products/{parent}/variations/batch",
                               json={"delete": [other["id"]]}))
    assert result == {"delete": [{
        "id": {"id": other["id"], "product_id": parent, "force": True},
        "error": {"code": "woocommerce_rest_product_variation_invalid_id",
                  "message": "Invalid ID.", "data": {"status": 404}}}]}


def test_a_variant_keeps_its_barcode_and_is_sold_at_the_till_as_its_variation(
        shop: EitherShop, channel: WooCommerceChannel, prefix: str) -> None:
    tee = _tee(prefix)
    gtin = f"{400000 + next(_tests)}{len(prefix):02d}"  # unique within the module's shop
    first = tee.variants[0]
    tee = ProductWithVariants(
        key=tee.key, title=tee.title, category=tee.category, options=tee.options,
        variants=(VariantData(sku=first.sku, price=first.price, barcode=gtin,
                              status=first.status, values=first.values, available=3),
                  *tee.variants[1:]))
    saved = channel.upsert_variants(tee)
    parent = saved[first.sku].external_id
    assert _variations(shop, parent)[first.sku]["global_unique_id"] == gtin
    assert {p.sku: p.barcode for p in channel.product(parent)}[first.sku] == gtin
    order_id = channel.push_sale(PosSale(
        source_id=f"{SALE_SOURCE}{prefix}", number=f"{prefix}-1",
        placed_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), currency="USD",
        total=Decimal("41.00"),
        lines=(OrderLine(sku=first.sku, quantity=2, unit_price=Decimal("20.50")),)))
    [line] = _ok(shop.api.get(f"/orders/{order_id}"))["line_items"]
    variation = _variations(shop, parent)[first.sku]
    assert (line["product_id"], line["variation_id"], line["sku"]) == (
        int(parent), variation["id"], first.sku)
    assert variation["stock_quantity"] == 3  # the till's sale leaves the shop's stock alone


def test_the_sku_filter_shows_a_variation_with_a_products_fields(
        shop: EitherShop, channel: WooCommerceChannel, prefix: str) -> None:
    saved = channel.upsert_variants(_tee(prefix))
    simple = channel.upsert_product(ProductData(sku=f"{prefix}-P", title="Plain",
                                                price=Decimal(1), barcode=None,
                                                status="active"))
    [found] = _ok(shop.api.get("/products", params={"sku": f"{prefix}-M-R"}))
    [plain] = _ok(shop.api.get("/products", params={"sku": f"{prefix}-P"}))
    assert plain["id"] == int(simple.external_id)
    assert set(found) == set(plain)
    assert (found["type"], found["parent_id"], found["total_sales"], found["variations"]) == (
        "variation", int(saved[f"{prefix}-M-R"].external_id), "0", [])
    assert found["attributes"] == [
        {"id": 0, "name": "Size", "option": "M", "slug": "size"},
        {"id": 0, "name": "Colour", "option": "Red", "slug": "colour"}]
    assert found["slug"].startswith("tee-m-red")  # WordPress suffixes a slug taken


def test_an_option_value_woocommerce_would_split_is_refused(
        shop: EitherShop, channel: WooCommerceChannel, prefix: str) -> None:
    """WooCommerce splits a custom attribute's options at "|"."""
    made = _ok(shop.api.post("/products", json={
        "name": "Pipe", "type": "variable", "attributes": [
            {"name": "Size", "options": ["A|B", "C"], "variation": True}]}), 201)
    assert made["attributes"][0]["options"] == ["A", "B", "C"]
    with pytest.raises(Rejected, match=re.escape("'A|B' of option 'Size'")):
        channel.upsert_variants(ProductWithVariants(
            key=prefix, title="Pipe", category=None, options=(("Size", ("A|B",)),),
            variants=(VariantData(sku=f"{prefix}-AB", price=Decimal(1), barcode=None,
                                  status="active", values=("A|B",)),)))
    assert channel.stock([f"{prefix}-AB"], "default") == {}
