"""The Shopify simulator's ``productSet``: a product with options and variants created,
updated and trimmed by handle or id, and refused with the schema's own error codes."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from graphql import GraphQLEnumType

from tillflow.connectors.shopify.client import API_VERSIONS
from tillflow_simulators.shopify import ShopifySimulator, gql_product_set
from tillflow_simulators.shopify.schema import api_versions, load_schema

SET = """
mutation Set($identifier: ProductSetIdentifiers, $input: ProductSetInput!) {
  productSet(identifier: $identifier, input: $input) {
    product { id handle title options { name values }
              variants(first: 10) { nodes { id sku title price selectedOptions { name value } } } }
    userErrors { code field message }
  }
}
"""
SIZES = ["S", "M", "L"]


@pytest.fixture
def shop() -> Iterator[ShopifySimulator]:
    with ShopifySimulator() as sim:
        yield sim


def _set(sim: ShopifySimulator, fields: dict[str, Any], *,
         identifier: dict[str, Any] | None = None,
         version: str = "2026-10") -> dict[str, Any]:
    answer = httpx.post(sim.graphql_url(version), headers={
        "X-Shopify-Access-Token": sim.access_token}, json={
        "query": SET, "variables": {"identifier": identifier, "input": fields}}).json()
    assert "errors" not in answer, answer
    result: dict[str, Any] = answer["data"]["productSet"]
    return result


def _tee(sizes: list[str], *, handle: str = "tee", **extra: Any) -> dict[str, Any]:
    return {"handle": handle, "title": "Tee",
            "productOptions": [{"name": "Size", "values": [{"name": s} for s in sizes]}],
            "variants": [{"optionValues": [{"optionName": "Size", "name": s}],
                          "sku": f"TEE-{s}", "price": "12.00"} for s in sizes], **extra}


def test_a_product_with_options_is_created_then_trimmed_by_handle(
        shop: ShopifySimulator) -> None:
    made = _set(shop, _tee(SIZES), identifier={"handle": "tee"})
    assert made["userErrors"] == []
    product = made["product"]
    assert product["options"] == [{"name": "Size", "values": SIZES}]
    assert [(v["sku"], v["title"]) for v in product["variants"]["nodes"]] == [
        ("TEE-S", "S"), ("TEE-M", "M"), ("TEE-L", "L")]
    assert product["variants"]["nodes"][1]["selectedOptions"] == [{"name": "Size",
                                                                   "value": "M"}]
    medium = product["variants"]["nodes"][1]["id"]

    again = _set(shop, _tee(["S", "M"]), identifier={"handle": "tee"})["product"]
    assert again["id"] == product["id"]
    assert [v["sku"] for v in again["variants"]["nodes"]] == ["TEE-S", "TEE-M"]
    assert again["variants"]["nodes"][1]["id"] == medium  # matched by its option value
    assert len(shop.shop.store.variants) == 2

    by_id = _set(shop, {"title": "Tee shirt"}, identifier={"id": product["id"]})["product"]
    assert (by_id["title"], len(by_id["variants"]["nodes"])) == ("Tee shirt", 2)


@pytest.mark.parametrize(("fields", "identifier", "code", "field"), [
    ({**_tee(SIZES), "id": "gid://shopify/Product/1"}, {"handle": "tee"}, "ID_NOT_ALLOWED",
     ["input", "id"]),
    ({"title": "Tee"}, {"handle": "tee"}, "MISSING_FIELD_REQUIRED", ["input", "handle"]),
    (_tee(SIZES, handle="other"), {"handle": "tee"}, "INPUT_MISMATCH", ["input", "handle"]),
    ({"title": "Tee"}, {"id": "gid://shopify/Product/9"}, "PRODUCT_DOES_NOT_EXIST",
     ["identifier", "id"]),
    ({"handle": "t", "title": ""}, {"handle": "t"}, "INVALID_PRODUCT", ["input", "title"]),
    ({"title": "Tee", "variants": []}, None, "PRODUCT_OPTIONS_INPUT_MISSING",
     ["input", "productOptions"]),
    ({"title": "Tee", "productOptions": [{"name": "Size", "values": [{"name": "S"}]}]},
     None, "VARIANTS_INPUT_MISSING", ["input", "variants"]),
    ({**_tee(SIZES), "productOptions": [{"name": n, "values": [{"name": "x"}]}
                                        for n in "ABCD"]}, None, "OPTIONS_OVER_LIMIT",
     ["input", "productOptions"]),
    ({**_tee(SIZES), "productOptions": [{"name": "Size", "values": [{"name": "S"}]},
                                        {"name": "size", "values": [{"name": "M"}]}]},
     None, "DUPLICATED_OPTION_NAME", ["input", "productOptions", "1", "name"]),
    ({**_tee(SIZES), "productOptions": [{"name": "Size", "values": [{"name": "S"},
                                                                    {"name": "S"}]}]},
     None, "DUPLICATED_OPTION_VALUE", ["input", "productOptions", "0", "values"]),
    ({**_tee(SIZES), "productOptions": [{"name": "Size", "values": []}]}, None,
     "OPTION_VALUES_MISSING", ["input", "productOptions", "0", "values"]),
    (_tee(["S", "XL"]) | {"productOptions": [{"name": "Size", "values": [{"name": "S"}]}]},
     None, "OPTION_VALUE_DOES_NOT_EXIST", ["input", "variants", "1", "optionValues", "0"]),
    (_tee(["S"]) | {"variants": [{"optionValues": [{"optionName": "Colour", "name": "S"}]}]},
     None, "OPTION_DOES_NOT_EXIST", ["input", "variants", "0", "optionValues", "0"]),
    (_tee(["S"]) | {"variants": [{"optionValues": [{"optionName": "Size", "name": "S"}]},
                                 {"optionValues": [{"optionName": "Size", "name": "S"}]}]},
     None, "INVALID_VARIANT", ["input", "variants", "1"]),
    (_tee(["S"]) | {"variants": [{"optionValues": [{"optionName": "Size", "name": "S"}],
                                  "inventoryQuantities": [{
                                      "locationId": "gid://shopify/Location/1",
                                      "name": "available", "quantity": 1}]}]},
     None, "INVALID_INPUT", ["input", "variants", "0", "inventoryQuantities", "0",
                             "locationId"]),
])
def test_a_refused_product_set_names_the_field_and_writes_nothing(
        shop: ShopifySimulator, fields: dict[str, Any], identifier: dict[str, Any] | None,
        code: str, field: list[str]) -> None:
    refused = _set(shop, fields, identifier=identifier)
    assert refused["product"] is None
    assert (refused["userErrors"][0]["code"], refused["userErrors"][0]["field"]) == (code,
                                                                                    field)
    assert shop.shop.store.products == {}


def _codes_used() -> set[str]:
    tree = ast.parse(inspect.getsource(gql_product_set))
    return {str(node.args[2].value) for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_error"
            and isinstance(node.args[2], ast.Constant)}


@pytest.mark.parametrize("version", [v for v in api_versions() if v != "unstable"])
def test_every_code_the_simulator_answers_is_in_the_versions_enum(version: str) -> None:
    enum = load_schema(version).get_type("ProductSetUserErrorCode")
    assert isinstance(enum, GraphQLEnumType)
    used = _codes_used()
    assert len(used) >= 15
    assert used <= set(enum.values)


def test_product_set_runs_on_every_accepted_version(shop: ShopifySimulator) -> None:
    for number, version in enumerate(API_VERSIONS):
        made = _set(shop, _tee(SIZES, handle=f"tee-{number}"),
                    identifier={"handle": f"tee-{number}"}, version=version)
        assert made["userErrors"] == []
