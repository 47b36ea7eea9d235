"""Products with options in Odoo, the same checks against the real Odoo and the
simulator: what the connector writes, read back as Odoo's administrator would."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from support.dropping_proxy import dropping_proxy
from support.odoo_real import Call
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
    [template] = odoo("product.template", "search", [["name", "=", name]],
                      context={"active_test": False})
    domain: list[Any] = [["product_tmpl_id", "=", template]]
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


def made_as_one_template(odoo: Call, catalog: OdooCatalog) -> None:
    """Two options, six SKUs: one template, its lines, each variant's SKU, barcode, price."""
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


def changed(odoo: Call, catalog: OdooCatalog) -> None:
    """Prices, values and variants change; what goes is archived or deleted."""
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


def moved_value_goes_and_comes_back(odoo: Call, catalog: OdooCatalog,
                                    receive: Callable[[str], object]) -> None:
    """A value goes whose variant has stock moves: Odoo archives it, and it comes back."""
    ids = catalog.upsert_variants(tee("T3"))
    receive("T3-L-Blue")
    catalog.upsert_variants(tee("T3", sizes=("S", "M")))
    # Odoo keeps the variant it cannot delete, archived with its SKU.
    assert "T3-L-Blue" in variants_of(odoo, "Tee T3", archived=True)
    assert set(variants_of(odoo, "Tee T3")) == {f"T3-{s}-{c}" for s in "SM" for c in COLOURS}
    again = catalog.upsert_variants(tee("T3"))
    assert again["T3-L-Blue"] == ids["T3-L-Blue"]
    assert variants_of(odoo, "Tee T3") == expected(tee("T3"))


# The answer lost: to the call making the template, or to the one adding its options.
def reshaped(odoo: Call, catalog: OdooCatalog) -> None:
    """SKUs pushed as products of their own before they had options join one template (the
    first old product's, renamed; the other archived), then an option goes."""
    for sku in ("T5-S-Red", "T5-M-Red"):
        catalog.upsert_product(sku=sku, name=f"Old {sku}", price=Decimal(10), barcodes=())
    catalog.upsert_variants(tee("T5"))
    assert variants_of(odoo, "Tee T5") == expected(tee("T5"))
    old = odoo("product.template", "search_read", [["name", "like", "Old T5-"]],
               fields=["name", "active"], context={"active_test": False})
    assert [(t["name"], t["active"]) for t in old] == [("Old T5-M-Red", False)]
    sizes_only = ErpProductWithVariants(
        key="T5", name="Tee T5", tax_rate=None, category=None, options=(("Size", SIZES),),
        variants=tuple(ErpVariant(sku=f"T5-{size}-Red", price=Decimal(10) + EXTRA[size],
                                  barcodes=(f"T5{size}",), values=(size,)) for size in SIZES))
    catalog.upsert_variants(sizes_only)
    assert lines_of(odoo, template_of(odoo, "Tee T5")) == [("Size", list(SIZES))]
    assert variants_of(odoo, "Tee T5") == expected(sizes_only)


LOST = [("create", '"product.template","create"'), ("lines", '{"attribute_line_ids":[[0')]


def repeated_after_a_lost_answer(odoo: Call, url: str, catalog: Callable[[], OdooCatalog],
                                 protocol: str, lost: str, body: str) -> None:
    """The answer lost to the call making the template, or to the one adding its
    options: the repeat makes nothing twice."""
    key = f"T4{lost}"
    product = tee(key)
    with dropping_proxy(url) as (proxy, proxy_url):
        if protocol == JSON2:
            method = "create" if lost == "create" else "write"
            proxy.drop_next(f"/json/2/product.template/{method}",
                            body="" if lost == "create" else body)
        else:
            proxy.drop_next("/jsonrpc", body=body)
        connector = catalog()
        connector.client.url = proxy_url
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
