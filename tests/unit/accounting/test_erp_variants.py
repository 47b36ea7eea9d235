"""A product with options as an ERP takes it, and as Tryton's template, variants and
attributes hold it."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from tillflow.connectors.tryton.attributes import attribute_name, value_key, with_values
from tillflow.connectors.tryton.variants import (
    description,
    lowest_price,
    pick_template,
    variant_values,
)
from tillflow.domain.catalog import Product, parse_barcodes
from tillflow.domain.variants import Option, ProductGroup
from tillflow.erp.catalog_out import as_erp, change_of
from tillflow.erp.codec import ProductChange, posting_from_json, product_json
from tillflow.ports.accounting import ErpProductWithVariants, ErpVariant
from tillflow.ports.records import StoredEvent
from tillflow.services.variant_groups import GroupWithVariants

OPTIONS = (("Size", ("S", "M")), ("Colour", ("Red", "Blue")))


def variant(sku: str, price: str, values: tuple[str, ...], *, active: bool = True) -> ErpVariant:
    return ErpVariant(sku=sku, price=Decimal(price), barcodes=(), values=values, active=active)


def tee(*variants: ErpVariant) -> ErpProductWithVariants:
    return ErpProductWithVariants(key="7", name="Tee", tax_rate=Decimal("0.08"),
                                  category=None, options=OPTIONS, variants=variants)


def event(kind: str, data: dict[str, object]) -> StoredEvent:
    return StoredEvent(seq=41, type=kind, data=data,
                       occurred_at=datetime(2026, 12, 6, tzinfo=UTC))


def test_a_sku_change_names_the_sku_and_a_product_change_names_the_product() -> None:
    assert change_of(event("product.updated", {"sku": "T-S"})) == ProductChange(
        reference="product:T-S:41", sku="T-S")
    assert change_of(event("product_group.updated", {"id": 7, "options": [{"name": "Size"}]})
                     ) == ProductChange(reference="product-group:7:41", product_id=7)
    # A simple product's own changes all come as its one SKU's.
    assert change_of(event("product_group.updated", {"id": 8, "options": []})) is None
    # A variant deleted: its product's own event follows, which no longer lists it.
    assert change_of(event("product.deleted", {"sku": "T-S", "product_id": 7})) is None


def test_a_product_change_keeps_what_it_names_through_the_queue() -> None:
    for change in (ProductChange(reference="product:A:1", sku="A"),
                   ProductChange(reference="product-group:7:2", product_id=7)):
        assert posting_from_json(product_json(change)) == change
    # Queued before products had options: the SKU alone.
    assert posting_from_json({"type": "product", "reference": "product:A:1", "sku": "A"}
                             ) == ProductChange(reference="product:A:1", sku="A")


def test_the_erp_gets_each_variant_with_its_values_in_the_products_order_of_options() -> None:
    group = ProductGroup(name="Tee", category="Clothing/Tees", id=7, options=(
        Option("Size", ("S", "M")), Option("Colour", ("Red", "Blue"))))
    variants = (
        Product(sku="T-M-B", name="Tee M Blue", price=Decimal("21.00"),
                tax_rate=Decimal("0.08"), barcodes=parse_barcodes(["2000000000015"]),
                product_id=7, options={"Colour": "Blue", "Size": "M"}),
        Product(sku="T-S-R", name="Tee S Red", price=Decimal("20.00"),
                tax_rate=Decimal("0.08"), active=False, product_id=7,
                options={"Size": "S", "Colour": "Red"}))
    assert as_erp(GroupWithVariants(group, variants)) == ErpProductWithVariants(
        key="7", name="Tee", tax_rate=Decimal("0.08"), category="Clothing/Tees",
        options=OPTIONS, variants=(
            ErpVariant(sku="T-M-B", price=Decimal("21.00"), barcodes=("2000000000015",),
                       values=("M", "Blue")),
            ErpVariant(sku="T-S-R", price=Decimal("20.00"), barcodes=(), values=("S", "Red"),
                       active=False)))


def test_the_template_is_the_one_holding_most_skus_the_oldest_of_equals() -> None:
    assert pick_template([]) is None
    assert pick_template([{"template": 9}, {"template": 4}, {"template": 9}]) == 9
    assert pick_template([{"template": 9}, {"template": 4}]) == 4


def test_the_template_price_is_the_lowest_on_sale() -> None:
    assert lowest_price([variant("A", "20.00", ("S", "Red")),
                         variant("B", "15.00", ("M", "Red"), active=False),
                         variant("C", "18.50", ("S", "Blue"))]) == Decimal("18.50")
    assert lowest_price([variant("B", "15.00", ("M", "Red"), active=False),
                         variant("A", "20.00", ("S", "Red"), active=False)]) == Decimal("15.00")


def test_a_variant_says_its_values_as_attributes_or_without_them_in_words() -> None:
    product = tee(variant("T-M-B", "20.00", ("M", "Blue")))
    assert variant_values(product, product.variants[0], 3) == {
        "attributes": {"size": "M", "colour": "Blue"}}
    assert variant_values(product, product.variants[0], None) == {
        "description": "Size: M, Colour: Blue"}
    assert description(OPTIONS, product.variants[0]) == "Size: M, Colour: Blue"


def test_an_option_is_an_attribute_whose_selection_gathers_every_value() -> None:
    assert attribute_name("Shoe size (EU)") == "shoe_size_eu"
    assert attribute_name("---") == "option"
    assert value_key(" Ratio: 1:2 ") == "Ratio 1 2"
    assert with_values(None, ["S", "M"]) == "S:S\nM:M"
    assert with_values("S:Small\nM:M\n", ["M", "L", "Ratio: 1:2"]) == (
        "S:Small\nM:M\nL:L\nRatio 1 2:Ratio: 1:2")
