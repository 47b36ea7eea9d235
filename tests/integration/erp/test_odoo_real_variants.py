"""A product with options as one template with attributes in the real Odoo 17 (JSON-RPC)
and 19 (JSON-2): its lines, its variants' SKUs, barcodes and prices read back from Odoo;
prices, values and variants changed; a variant with stock moves whose value goes; and
answers lost after Odoo acted, which make nothing twice. One Odoo per version.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from support.dropping_proxy import dropping_proxy
from support.odoo_peer import OdooPeer
from support.odoo_real import Call, admin, client, receive
from tillflow.connectors.odoo.catalog import OdooCatalog
from tillflow.connectors.odoo.client import JSON2
from tillflow.ports.accounting import (
    ErpCatalogVariants,
    ErpProductWithVariants,
    ErpUnavailable,
    ErpVariant,
)

SIZES = ("S", "M", "L")
COLOURS = ("Red", "Blue")
# A base plus an amount per value: M 2.00 more than S, L 4.00 more, Blue 0.50 more.
EXTRA = {"S": Decimal(0), "M": Decimal(2), "L": Decimal(4), "Red": Decimal(0),
         "Blue": Decimal("0.5"), "XL": Decimal(6)}


@pytest.fixture
def protocol(odoo_peer: OdooPeer) -> str:
    return JSON2 if odoo_peer.version == "19" else "jsonrpc"


@pytest.fixture
def odoo(odoo_peer: OdooPeer) -> Iterator[Call]:
    with admin(odoo_peer) as call:
        yield call


@pytest.fixture
def catalog(odoo_peer: OdooPeer, protocol: str) -> Iterator[OdooCatalog]:
    connector = OdooCatalog(client(odoo_peer, protocol))
    try:
        yield connector
    finally:
        connector.close()


def tee(key: str, *, sizes: tuple[str, ...] = SIZES, colours: tuple[str, ...] = COLOURS,
        base: Decimal = Decimal(10), skip: tuple[str, ...] = (),
        prices: dict[str, Decimal] | None = None) -> ErpProductWithVariants:
    """A T-shirt of ``sizes`` × ``colours``; its SKUs are ``KEY-SIZE-COLOUR``."""
    variants = []
    for number, (size, colour) in enumerate(
            (s, c) for s in sizes for c in colours):
        sku = f"{key}-{size}-{colour}"
        if sku in skip:
            continue
        price = (prices or {}).get(sku, base + EXTRA[size] + EXTRA[colour])
        variants.append(ErpVariant(sku=sku, price=price, values=(size, colour),
                                   barcodes=(f"{key}{number:04d}",)))
    return ErpProductWithVariants(key=key, name=f"Tee {key}", tax_rate=Decimal("0.08"),
                                  category="Clothing/Tees",
                                  options=(("Size", sizes), ("Colour", colours)),
                                  variants=tuple(variants))


def template_of(odoo: Call, name: str) -> dict[str, Any]:
    [found] = odoo("product.template", "search_read", [["name", "=", name]],
                   fields=["list_price", "attribute_line_ids", "categ_id", "taxes_id"],
                   context={"active_test": False})
    return dict(found)


def lines_of(odoo: Call, template: dict[str, Any]) -> list[tuple[str, list[str]]]:
    lines = odoo("product.template.attribute.line", "read", template["attribute_line_ids"],
                 fields=["attribute_id", "value_ids"])
    return [(line["attribute_id"][1], [v["name"] for v in odoo(
        "product.attribute.value", "read", line["value_ids"], fields=["name"])])
        for line in lines]


def variants_of(odoo: Call, name: str, *, archived: bool = False
                ) -> dict[str, tuple[str | bool, Decimal, tuple[str, ...]]]:
    """Each variant of the template named ``name`` by SKU: barcode, price, values."""
    domain: list[Any] = [["product_tmpl_id.name", "=", name]]
    if archived:
        domain.append(["active", "=", False])
    found = odoo("product.product", "search_read", domain, fields=[
        "default_code", "barcode", "lst_price", "product_template_attribute_value_ids"])
    return {v["default_code"]: (v["barcode"], Decimal(str(v["lst_price"])).quantize(
        Decimal("0.01")), tuple(sorted(p["name"] for p in odoo(
            "product.template.attribute.value", "read",
            v["product_template_attribute_value_ids"], fields=["name"]))))
        for v in found}


def expected(product: ErpProductWithVariants) -> dict[str, tuple[str | bool, Decimal,
                                                                 tuple[str, ...]]]:
    return {v.sku: (v.barcodes[0], v.price, tuple(sorted(v.values)))
            for v in product.variants if v.active}


def test_a_product_with_two_options_is_one_template_with_a_variant_per_sku(
        odoo: Call, catalog: OdooCatalog) -> None:
    product = tee("T1")
    assert isinstance(catalog, ErpCatalogVariants)
    ids = catalog.upsert_variants(product)
    template = template_of(odoo, "Tee T1")
    assert lines_of(odoo, template) == [("Size", list(SIZES)), ("Colour", list(COLOURS))]
    assert variants_of(odoo, "Tee T1") == expected(product)
    assert template["list_price"] == 10.0
    assert template["categ_id"][1].endswith("Clothing / Tees")
    [tax] = odoo("account.tax", "read", template["taxes_id"], fields=["amount"])
    assert tax["amount"] == 8.0
    assert sorted(ids) == sorted(v.sku for v in product.variants)
    # Once more changes nothing.
    assert catalog.upsert_variants(product) == ids
    assert variants_of(odoo, "Tee T1") == expected(product)


def test_prices_values_and_variants_change_and_what_goes_is_archived(
        odoo: Call, catalog: OdooCatalog) -> None:
    catalog.upsert_variants(tee("T2"))
    # Dearer by 1.00 throughout, an XL, and no more Blue.
    changed = tee("T2", sizes=(*SIZES, "XL"), colours=("Red",), base=Decimal(11))
    ids = catalog.upsert_variants(changed)
    template = template_of(odoo, "Tee T2")
    assert lines_of(odoo, template) == [("Size", [*SIZES, "XL"]), ("Colour", ["Red"])]
    assert variants_of(odoo, "Tee T2") == expected(changed)
    assert set(ids) == {"T2-S-Red", "T2-M-Red", "T2-L-Red", "T2-XL-Red"}
    # Blue back, XL in Red withdrawn, and a price that is no base plus an amount per
    # value: Odoo holds the lowest price on the template and no extra for any value.
    odd = tee("T2", sizes=(*SIZES, "XL"), base=Decimal(11), prices={"T2-L-Blue": Decimal(99)})
    catalog.upsert_variants(replace(odd, variants=tuple(
        replace(v, active=v.sku != "T2-XL-Red") for v in odd.variants)))
    shown = variants_of(odoo, "Tee T2")
    assert {sku: price for sku, (_, price, _) in shown.items()} == {
        v.sku: Decimal("11.00") for v in odd.variants if v.sku != "T2-XL-Red"}
    assert set(variants_of(odoo, "Tee T2", archived=True)) == {"T2-XL-Red"}


def test_a_value_of_a_variant_with_stock_moves_goes_and_comes_back(
        odoo: Call, catalog: OdooCatalog, odoo_peer: OdooPeer) -> None:
    ids = catalog.upsert_variants(tee("T3"))
    receive(odoo, odoo_peer.version, "T3-L-Blue", 3, "T3 receipt")
    catalog.upsert_variants(tee("T3", sizes=("S", "M")))
    # Odoo keeps the variant it cannot delete, archived with its SKU.
    assert "T3-L-Blue" in variants_of(odoo, "Tee T3", archived=True)
    assert set(variants_of(odoo, "Tee T3")) == {f"T3-{s}-{c}" for s in "SM" for c in COLOURS}
    again = catalog.upsert_variants(tee("T3"))
    assert again["T3-L-Blue"] == ids["T3-L-Blue"]
    assert variants_of(odoo, "Tee T3") == expected(tee("T3"))


# The answer lost: to the call making the template, or to the one adding its options.
@pytest.mark.parametrize(("lost", "body"), [("create", '"product.template","create"'),
                                            ("lines", '{"attribute_line_ids":[[0')])
def test_a_repeat_after_a_lost_answer_makes_nothing_twice(
        odoo: Call, odoo_peer: OdooPeer, protocol: str, lost: str, body: str) -> None:
    key = f"T4{lost}"
    product = tee(key)
    with dropping_proxy(odoo_peer.url) as (proxy, url):
        if protocol == JSON2:
            method = "create" if lost == "create" else "write"
            proxy.drop_next(f"/json/2/product.template/{method}",
                            body="" if lost == "create" else body)
        else:
            proxy.drop_next("/jsonrpc", body=body)
        connector = OdooCatalog(client(odoo_peer, protocol))
        connector.client.url = url
        try:
            with pytest.raises(ErpUnavailable):
                connector.upsert_variants(product)
            assert proxy.dropped, "the answer was not lost"
            connector.upsert_variants(product)
        finally:
            connector.close()
    assert odoo("product.template", "search_count", [["name", "=", f"Tee {key}"]],
                context={"active_test": False}) == 1
    assert variants_of(odoo, f"Tee {key}") == expected(product)
    for name in ("Size", "Colour"):
        assert odoo("product.attribute", "search_count", [["name", "=", name]]) == 1
