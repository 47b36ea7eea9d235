"""The ``productSet`` lines a bulk push uploads, and how its results file is read."""

from __future__ import annotations

import json
from decimal import Decimal

from tillflow.connectors.shopify import product_set
from tillflow.connectors.shopify.product_set import ProductSpec, VariantSpec
from tillflow.ports.commerce import ProductData

LOCATION = "gid://shopify/Location/1"


def _tee() -> ProductSpec:
    sizes, colours = ["S", "M"], ["Red"]
    return ProductSpec(title="Tee", status="active", options=[("Size", sizes),
                                                              ("Colour", colours)],
                       variants=[VariantSpec(sku=f"TEE-{s}", price=Decimal("12.50"),
                                             barcode=None,
                                             option_values={"Size": s, "Colour": "Red"},
                                             stock={LOCATION: 3, "gid://shopify/Location/2": -1})
                                 for s in sizes])


def test_a_simple_product_is_one_default_title_variant_with_its_stock() -> None:
    spec = product_set.single(ProductData(sku="A-1", title="Mug", price=Decimal("9.90"),
                                          barcode="2000000000015", status="draft",
                                          available=7), LOCATION)
    line = product_set.line(spec)
    handle = product_set.handle_for("A-1")
    assert line == {"identifier": {"handle": handle}, "input": {
        "handle": handle, "title": "Mug", "status": "DRAFT",
        "productOptions": [{"name": "Title", "position": 1,
                            "values": [{"name": "Default Title"}]}],
        "variants": [{"optionValues": [{"optionName": "Title", "name": "Default Title"}],
                      "price": "9.90", "barcode": "2000000000015",
                      "inventoryItem": {"sku": "A-1", "tracked": True},
                      "inventoryQuantities": [{"locationId": LOCATION, "name": "available",
                                               "quantity": 7}]}]}}


def test_a_product_with_options_lists_each_variant_and_never_sends_negative_stock() -> None:
    line = product_set.line(_tee())["input"]
    assert [o["name"] for o in line["productOptions"]] == ["Size", "Colour"]
    assert [v["inventoryItem"]["sku"] for v in line["variants"]] == ["TEE-S", "TEE-M"]
    assert line["variants"][1]["optionValues"] == [{"optionName": "Size", "name": "M"},
                                                   {"optionName": "Colour", "name": "Red"}]
    assert [q["quantity"] for q in line["variants"][0]["inventoryQuantities"]] == [3, 0]


def test_handles_are_stable_and_apart_for_skus_differing_in_case_or_punctuation() -> None:
    assert product_set.handle_for("AB-1") == product_set.handle_for("AB-1")
    handles = {product_set.handle_for(s) for s in ("AB-1", "ab-1", "AB_1", "AB 1")}
    assert len(handles) == 4
    assert all(h.startswith("ab-1-") for h in handles)


def test_the_file_has_one_json_line_per_product() -> None:
    specs = [_tee(), product_set.single(ProductData("B", "B", Decimal(1), None, "active"),
                                        LOCATION)]
    lines = product_set.jsonl(specs).decode().splitlines()
    assert [json.loads(raw)["input"]["title"] for raw in lines] == ["Tee", "B"]


def _saved(number: int, spec: ProductSpec) -> str:
    nodes = [{"id": f"gid://shopify/ProductVariant/{number}{i}", "sku": sku,
              "inventoryItem": {"id": f"gid://shopify/InventoryItem/{number}{i}"}}
             for i, sku in enumerate(spec.skus)]
    return json.dumps({"data": {"productSet": {
        "product": {"id": f"gid://shopify/Product/{number}", "variants": {"nodes": nodes}},
        "userErrors": []}}, "__lineNumber": number})


def test_results_give_each_sku_its_ids_or_its_products_refusal() -> None:
    tee = _tee()
    mug = product_set.single(ProductData("MUG", "", Decimal(1), None, "active"), LOCATION)
    cup = product_set.single(ProductData("CUP", "Cup", Decimal(1), None, "active"), LOCATION)
    lamp = product_set.single(ProductData("LAMP", "Lamp", Decimal(1), None, "active"),
                              LOCATION)
    refused = json.dumps({"data": {"productSet": {"product": None, "userErrors": [
        {"code": "INVALID_PRODUCT", "field": ["input", "title"],
         "message": "Title can't be blank"}]}}, "__lineNumber": 1})
    broken = json.dumps({"errors": [{"message": "Internal error"}], "__lineNumber": 2})
    outcome = product_set.read_results([tee, mug, cup, lamp],
                                       [refused, _saved(0, tee), broken, ""])
    assert outcome.saved["TEE-M"] == product_set.SavedVariant(
        "gid://shopify/Product/0", "gid://shopify/ProductVariant/01",
        "gid://shopify/InventoryItem/01")
    assert set(outcome.saved) == {"TEE-S", "TEE-M"}
    assert outcome.refused == {
        "MUG": "productSet INVALID_PRODUCT at input.title: Title can't be blank",
        "CUP": "productSet: Internal error"}
    assert [outcome.answered(s) for s in (tee, mug, cup, lamp)] == [True, True, True, False]


def test_a_catalog_is_split_into_files_within_the_size_shopify_takes() -> None:
    specs = [product_set.single(ProductData(f"S-{n:03d}", "Mug", Decimal(1), None, "active"),
                                LOCATION) for n in range(10)]
    size = len(product_set.jsonl(specs[:1]))
    runs = product_set.files(specs, max_bytes=size * 4)
    assert [len(run) for run in runs] == [4, 4, 2]
    assert [s for run in runs for s in run] == specs
    assert all(len(product_set.jsonl(run)) <= size * 4 for run in runs)
    assert [len(run) for run in product_set.files(specs, max_bytes=size - 1)] == [1] * 10
