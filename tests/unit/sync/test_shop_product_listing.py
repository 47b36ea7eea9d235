"""A shop's catalog read in pages of variants gives each product's SKUs together, and
Shopify's variants carry their options in the product's order, its default one left out."""

from __future__ import annotations

from typing import Any

from tillflow.connectors.common.whole_products import whole
from tillflow.connectors.shopify import listing

# Variants (id, product) in id order: product 1 got a variant (id 9) after product 2 was
# made, and product 3's variants straddle the end of the second page.
CATALOG = [("1", "P1"), ("2", "P1"), ("3", "P2"), ("4", "P2"), ("9", "P1"),
           ("10", "P3"), ("11", "P3")]


def _page(start: int, size: int) -> list[dict[str, Any]]:
    return [_variant(vid, product) for vid, product in CATALOG[start:start + size]]


def _variant(vid: str, product: str) -> dict[str, Any]:
    return {"id": vid, "product": product,
            "count": sum(1 for _, p in CATALOG if p == product)}


def _read(product: str) -> list[dict[str, Any]]:
    return [_variant(vid, p) for vid, p in CATALOG if p == product]


def _whole(start: int, size: int, reads: list[str]) -> list[str]:
    def read(product: str) -> list[dict[str, Any]]:
        reads.append(product)
        return _read(product)
    found = whole(_page(start, size), id_of=lambda v: v["id"], product_of=lambda v: v["product"],
                  count_of=lambda v: v["count"], read=read)
    return [v["id"] for v in found]


def test_a_product_split_by_pages_comes_whole_on_the_page_of_its_first_variant() -> None:
    reads: list[str] = []
    assert _whole(0, 3, reads) == ["1", "2", "9", "3", "4"]
    assert _whole(3, 3, reads) == ["10", "11"]  # P1 and P2 came with the page before
    assert _whole(6, 3, reads) == []  # and so did P3
    assert reads == ["P1", "P2", "P2", "P1", "P3", "P3"]


def test_a_page_holding_all_of_each_product_reads_nothing_more() -> None:
    reads: list[str] = []
    assert _whole(0, 7, reads) == ["1", "2", "9", "3", "4", "10", "11"]
    assert reads == []


def test_ids_are_ordered_by_their_number() -> None:
    catalog = [_variant("gid://shopify/ProductVariant/9", "P"),
               _variant("gid://shopify/ProductVariant/10", "P")]
    found = whole(catalog[1:], id_of=lambda v: v["id"], product_of=lambda v: v["product"],
                  count_of=lambda v: 2, read=lambda _: catalog)
    assert found == []  # 9 comes before 10, on an earlier page


def _node(selected: list[tuple[str, str]], options: list[str]) -> dict[str, Any]:
    return {"selectedOptions": [{"name": n, "value": v} for n, v in selected],
            "product": {"options": [{"name": n} for n in options]}}


def test_shopify_options_follow_the_products_order() -> None:
    node = _node([("Colour", "Red"), ("Size", "M")], ["Size", "Colour"])
    assert listing.options(node) == (("Size", "M"), ("Colour", "Red"))


def test_shopifys_default_option_is_no_option() -> None:
    assert listing.options(_node([("Title", "Default Title")], ["Title"])) == ()
    assert listing.options(_node([("Title", "Large")], ["Title"])) == (("Title", "Large"),)
