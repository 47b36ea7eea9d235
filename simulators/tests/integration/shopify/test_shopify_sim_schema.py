"""The simulator on Shopify's own schema of each version: invalid documents and variables
answered as Shopify's server words them, enums, sort keys and defaults of the version, and
what it does not model refused by name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sim_support.shopify import data, gql, inventory_item_id, location_id, running_simulator
from tillflow_simulators.shopify import ShopifySimulator
from tillflow_simulators.shopify.schema import api_versions, load_schema

SET = """
mutation SetStock($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    userErrors { code field message }
  }
}
"""


@pytest.fixture
def sim() -> Iterator[ShopifySimulator]:
    with running_simulator() as simulator:
        simulator.seed(3)
        yield simulator


def test_the_pinned_package_ships_the_supported_versions() -> None:
    assert api_versions() == ("2025-10", "2026-01", "2026-04", "2026-07", "2026-10", "unstable")
    assert load_schema("2026-10") is load_schema("2026-10")


def test_an_unknown_field_is_worded_as_shopify_words_it(sim: ShopifySimulator) -> None:
    body = gql(sim, "query Shop { shop { planName } }")
    assert "data" not in body
    assert body["errors"] == [{
        "message": "Field 'planName' doesn't exist on type 'Shop'",
        "locations": [{"line": 1, "column": 21}],
        "path": ["query Shop", "shop", "planName"],
        "extensions": {"code": "undefinedField", "typeName": "Shop", "fieldName": "planName"},
    }]


def test_arguments_and_directives_are_checked_against_the_version(
        sim: ShopifySimulator) -> None:
    unknown = gql(sim, "{ products(first: 1, colour: RED) { nodes { id } } }")["errors"][0]
    assert unknown["message"] == "Field 'products' doesn't accept argument 'colour'"
    assert unknown["extensions"]["code"] == "argumentNotAccepted"
    missing = gql(sim, "{ product { id } }")["errors"][0]
    assert missing["message"] == "Field 'product' is missing required arguments: id"
    sort = gql(sim, "{ productVariants(first: 1, sortKey: UPDATED_AT) { nodes { id } } }")
    assert sort["errors"][0]["extensions"]["code"] == "argumentLiteralsIncompatible"
    older = gql(sim, SET, {"input": {}, "key": "k"}, version="2025-10")["errors"]
    assert {"message": "Directive @idempotent is not defined", "code": "undefinedDirective"} \
        in [{"message": e["message"], "code": e["extensions"]["code"]} for e in older]


def test_bad_variables_get_shopifys_problems(sim: ShopifySimulator) -> None:
    variables: dict[str, Any] = {"input": {"name": "available", "reason": "correction",
                                           "quantities": [{"inventoryItemId": "x",
                                                           "quantity": "many", "colour": 1}]},
                                 "key": "k"}
    [error] = gql(sim, SET, variables)["errors"]
    assert error["message"] == (
        "Variable $input of type InventorySetQuantitiesInput! was provided invalid value for "
        "quantities.0.quantity (Could not coerce value \"many\" to Int), "
        "quantities.0.colour (Field is not defined on InventoryQuantityInput), "
        "quantities.0.locationId (Expected value to not be null)"
    )
    assert error["extensions"]["value"] == variables["input"]
    assert error["extensions"]["problems"][0] == {
        "path": ["quantities", 0, "quantity"],
        "explanation": 'Could not coerce value "many" to Int',
    }
    valid = {"name": "available", "reason": "correction", "quantities": []}
    [absent] = gql(sim, SET, {"input": valid})["errors"]
    assert absent["message"] == "Variable $key of type String! was provided invalid value"
    assert absent["extensions"]["problems"] == [
        {"path": [], "explanation": "Expected value to not be null"}]


def test_defaults_and_sort_keys_are_the_versions_own(sim: ShopifySimulator) -> None:
    for sku, quantity in (("SIM-000002", 1), ("SIM-000001", 1)):
        sim.place_order([(sku, quantity)])
    query = "{ orders(first: 5) { nodes { name } } }"
    assert [n["name"] for n in data(sim, query)["orders"]["nodes"]] == ["#1001", "#1002"]
    refused = gql(sim, "{ orders(first: 5, sortKey: CUSTOMER_NAME) { nodes { name } } }")
    assert refused["errors"][0]["message"] == (
        "Sorting by CUSTOMER_NAME is not modelled by the Shopify simulator")
    assert refused["errors"][0]["extensions"] == {"code": "NOT_MODELLED"}


def test_what_the_simulator_does_not_model_is_refused_by_name(sim: ShopifySimulator) -> None:
    field = gql(sim, "{ shop { name plan { partnerDevelopment } } }")
    assert field["errors"][0]["message"] == "Shop.plan is not modelled by the Shopify simulator"
    argument = gql(sim, '{ products(first: 1, savedSearchId: "gid://shopify/SavedSearch/1") '
                        "{ nodes { id } } }")
    assert argument["errors"][0]["message"] == (
        "The argument QueryRoot.products(savedSearchId:) is not modelled by the Shopify "
        "simulator")
    create = """mutation($order: OrderCreateOrderInput!) { orderCreate(order: $order) {
        order { id } userErrors { code field message } } }"""
    line = {"variantId": sim.shop.variant("SIM-000001").id, "quantity": 1}
    postage = {"title": "Post", "priceSet": {"shopMoney": {"amount": "4.90",
                                                           "currencyCode": "USD"}}}
    shipped = gql(sim, create, {"order": {"lineItems": [line], "shippingLines": [postage]}})
    assert shipped["data"]["orderCreate"] is None
    assert shipped["errors"][0]["message"] == (
        "The input field order.shippingLines is not modelled by the Shopify simulator")
    assert not sim.shop.store.orders


def test_order_create_answers_a_gone_variant_with_its_real_code(sim: ShopifySimulator) -> None:
    create = """mutation($order: OrderCreateOrderInput!) { orderCreate(order: $order) {
        order { id } userErrors { code field message } } }"""
    gone = {"variantId": "gid://shopify/ProductVariant/1", "quantity": 1}
    result = data(sim, create, {"order": {"lineItems": [gone]}})["orderCreate"]
    assert result == {"order": None, "userErrors": [{
        "code": "INVALID", "field": ["order", "lineItems", "0", "variantId"],
        "message": "Variant not found"}]}


def test_an_item_not_stocked_at_a_location_is_refused_until_2026_10(
        sim: ShopifySimulator) -> None:
    store = sim.shop.store
    warehouse = store.create_location("Warehouse")
    entry = {"inventoryItemId": inventory_item_id(sim, "SIM-000001"),
             "locationId": warehouse.id, "quantity": 6, "changeFromQuantity": None}
    variables = {"input": {"name": "available", "reason": "correction", "quantities": [entry]}}
    older = gql(sim, SET, {**variables, "key": "w1"}, version="2026-07")
    assert older["data"]["inventorySetQuantities"]["userErrors"][0]["code"] == \
        "ITEM_NOT_STOCKED_AT_LOCATION"
    assert sim.available("SIM-000001", warehouse.id) == 0
    newer = gql(sim, SET, {**variables, "key": "w2"}, version="2026-10")
    assert newer["data"]["inventorySetQuantities"]["userErrors"] == []
    assert sim.available("SIM-000001", warehouse.id) == 6


def test_before_change_from_quantity_compare_quantity_guards_the_write(
        sim: ShopifySimulator) -> None:
    mutation = SET.replace(" @idempotent(key: $key)", "").replace(", $key: String!", "")
    current = sim.available("SIM-000002")
    entry = {"inventoryItemId": inventory_item_id(sim, "SIM-000002"),
             "locationId": location_id(sim), "quantity": 2}
    header = {"name": "available", "reason": "correction"}
    required = gql(sim, mutation, {"input": {**header, "quantities": [entry]}},
                   version="2025-10")
    assert required["data"]["inventorySetQuantities"]["userErrors"][0]["code"] == \
        "COMPARE_QUANTITY_REQUIRED"
    stale = gql(sim, mutation, {"input": {**header, "quantities": [
        {**entry, "compareQuantity": current + 1}]}}, version="2025-10")
    assert stale["data"]["inventorySetQuantities"]["userErrors"][0]["code"] == \
        "COMPARE_QUANTITY_STALE"
    ignored = gql(sim, mutation, {"input": {**header, "ignoreCompareQuantity": True,
                                            "quantities": [entry]}}, version="2025-10")
    assert ignored["data"]["inventorySetQuantities"]["userErrors"] == []
    assert sim.available("SIM-000002") == 2
