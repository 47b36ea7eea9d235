"""The simulator's GraphQL Admin API over real HTTP: auth, versions, catalog, pagination,
orders and customers."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sim_support.shopify import (
    data,
    gql,
    location_id,
    running_simulator,
)
from tillflow_simulators.common.gtin import is_valid_gtin
from tillflow_simulators.shopify import ShopifySimulator

PRODUCTS_PAGE = """
query Page($after: String) {
  products(first: 4, after: $after) {
    edges { cursor node { id title variants(first: 5) { nodes { sku barcode price } } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


@pytest.fixture
def sim() -> Iterator[ShopifySimulator]:
    with running_simulator() as simulator:
        yield simulator


def test_missing_or_wrong_token_gets_shopifys_401(sim: ShopifySimulator) -> None:
    for headers in ({}, {"X-Shopify-Access-Token": "shpat_wrong"}):
        response = httpx.post(
            sim.graphql_url(), json={"query": "{ shop { name } }"}, headers=headers
        )
        assert response.status_code == 401
        assert response.json() == {
            "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
        }


def test_each_version_is_served_its_own_schema_and_an_old_one_falls_forward(
    sim: ShopifySimulator,
) -> None:
    served = {}
    for version in ("2024-07", "2026-01", "2026-10", "unstable"):
        response = httpx.post(
            sim.graphql_url(version),
            json={"query": "{ shop { name currencyCode } }"},
            headers={"X-Shopify-Access-Token": sim.access_token},
        )
        assert response.status_code == 200
        assert response.json()["data"]["shop"]["currencyCode"] == "USD"
        served[version] = response.headers["X-Shopify-API-Version"]
    # An unsupported version is answered by the oldest supported one, and says so.
    assert served == {"2024-07": "2025-10", "2026-01": "2026-01", "2026-10": "2026-10",
                      "unstable": "unstable"}
    for missing in ("latest", "2026-02", "2099-01"):
        bad = httpx.post(
            sim.graphql_url(missing),
            json={"query": "{shop{name}}"},
            headers={"X-Shopify-Access-Token": sim.access_token},
        )
        assert (bad.status_code, bad.json()) == (404, {"errors": "Not Found"})


def test_every_response_reports_cost_and_throttle_status(sim: ShopifySimulator) -> None:
    body = gql(sim, "{ products(first: 10) { edges { node { id title } } } }")
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 12
    assert cost["actualQueryCost"] == 2
    assert cost["throttleStatus"]["maximumAvailable"] == 2000.0
    assert cost["throttleStatus"]["restoreRate"] == 100.0


def test_unknown_fields_fail_validation(sim: ShopifySimulator) -> None:
    body = gql(sim, "{ shop { planName } }")
    assert "data" not in body or body["data"] is None
    assert "planName" in body["errors"][0]["message"]


def test_create_product_then_variants_with_sku_on_inventory_item(sim: ShopifySimulator) -> None:
    created = data(
        sim,
        """mutation { productCreate(product: {title: "Enamel mug"}) {
        product { id hasOnlyDefaultVariant } userErrors { field message } } }""",
    )
    product = created["productCreate"]["product"]
    assert product["hasOnlyDefaultVariant"] is True
    variants = data(
        sim,
        """
      mutation($id: ID!, $variants: [ProductVariantsBulkInput!]!) {
        productVariantsBulkCreate(productId: $id, variants: $variants,
                                  strategy: REMOVE_STANDALONE_VARIANT) {
          productVariants { id sku barcode price inventoryItem { sku tracked } }
          userErrors { code field message }
        }
      }""",
        {
            "id": product["id"],
            "variants": [
                {
                    "price": "12.30",
                    "barcode": "4006381333931",
                    "inventoryItem": {"sku": "MUG-RED", "tracked": True},
                    "inventoryQuantities": [
                        {"availableQuantity": 9, "locationId": location_id(sim)}
                    ],
                }
            ],
        },
    )["productVariantsBulkCreate"]
    assert variants["userErrors"] == []
    [variant] = variants["productVariants"]
    assert variant["sku"] == "MUG-RED"
    assert variant["inventoryItem"] == {"sku": "MUG-RED", "tracked": True}
    assert variant["price"] == "12.30"
    assert sim.available("MUG-RED") == 9
    found = data(sim, '{ productVariants(first: 5, query: "sku:MUG-RED") { nodes { id } } }')
    assert found["productVariants"]["nodes"] == [{"id": variant["id"]}]


def test_a_product_without_options_shows_shopifys_default_option(
    sim: ShopifySimulator,
) -> None:
    """Its one variant takes "Default Title" of the option "Title"; a variant given its
    option values shows them."""
    made = data(
        sim,
        """mutation { productCreate(product: {title: "Plain mug"}) {
        product { id options { name values } variantsCount { count }
                  variants(first: 1) { nodes { selectedOptions { name value } } } } } }""",
    )["productCreate"]["product"]
    assert made["options"] == [{"name": "Title", "values": ["Default Title"]}]
    assert made["variantsCount"] == {"count": 1}
    assert made["variants"]["nodes"] == [
        {"selectedOptions": [{"name": "Title", "value": "Default Title"}]}]
    added = data(
        sim,
        """mutation($id: ID!, $variants: [ProductVariantsBulkInput!]!) {
        productVariantsBulkCreate(productId: $id, variants: $variants) {
          productVariants { title selectedOptions { name value } } } }""",
        {"id": made["id"], "variants": [
            {"optionValues": [{"optionName": "Title", "name": "Large"}]}]},
    )["productVariantsBulkCreate"]["productVariants"]
    assert added == [{"title": "Large", "selectedOptions": [{"name": "Title", "value": "Large"}]}]


def test_product_errors_are_user_errors(sim: ShopifySimulator) -> None:
    blank = data(
        sim,
        'mutation { productCreate(product: {title: " "}) { product { id } '
        "userErrors { field message } } }",
    )
    assert blank["productCreate"] == {
        "product": None,
        "userErrors": [{"field": ["title"], "message": "Title can't be blank"}],
    }
    missing = data(
        sim,
        """mutation { productVariantsBulkUpdate(
        productId: "gid://shopify/Product/1", variants: [{price: "1.00"}]) {
        userErrors { code field } } }""",
    )
    assert missing["productVariantsBulkUpdate"]["userErrors"] == [
        {"code": "PRODUCT_DOES_NOT_EXIST", "field": ["productId"]}
    ]


def test_seeded_products_page_through_every_item_once(sim: ShopifySimulator) -> None:
    sim.seed(10)
    seen, after, pages = [], None, 0
    while True:
        page = data(sim, PRODUCTS_PAGE, {"after": after})["products"]
        seen += [edge["node"] for edge in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == 3
    assert len({node["id"] for node in seen}) == 10
    for node in seen:
        [variant] = node["variants"]["nodes"]
        assert variant["sku"].startswith("SIM-")
        assert is_valid_gtin(variant["barcode"])
        assert len(variant["barcode"]) == 13


def test_connections_need_a_page_size_up_to_250(sim: ShopifySimulator) -> None:
    assert "first or last" in gql(sim, "{ products { nodes { id } } }")["errors"][0]["message"]
    too_big = gql(sim, "{ products(first: 251) { nodes { id } } }")
    assert too_big["errors"]


def test_orders_since_a_cursor_time(sim: ShopifySimulator) -> None:
    sim.seed(2)
    first = sim.place_order([("SIM-000001", 1)], customer={"email": "ana@example.com"})
    stamp = first.updated_at.isoformat()
    second = sim.place_order([("SIM-000002", 2)])
    query = """query($q: String!) { orders(first: 10, query: $q, sortKey: UPDATED_AT) {
        nodes { id name displayFinancialStatus customer { email }
                lineItems(first: 5) { nodes { sku quantity } } } } }"""
    newer = data(sim, query, {"q": f"updated_at:>'{stamp}'"})["orders"]["nodes"]
    assert [node["id"] for node in newer] == [second.id]
    assert newer[0]["lineItems"]["nodes"] == [{"sku": "SIM-000002", "quantity": 2}]
    everything = data(sim, query, {"q": "updated_at:>'2000-01-01T00:00:00Z'"})["orders"]["nodes"]
    assert [node["name"] for node in everything] == ["#1001", "#1002"]
    assert everything[0]["customer"] == {"email": "ana@example.com"}


def test_customers_are_created_updated_and_unique_by_email(sim: ShopifySimulator) -> None:
    create = """mutation($input: CustomerInput!) { customerCreate(input: $input) {
        customer { id email firstName defaultEmailAddress { emailAddress } }
        userErrors { field message } } }"""
    made = data(sim, create, {"input": {"email": "li@example.com", "firstName": "Li"}})
    customer = made["customerCreate"]["customer"]
    assert customer["defaultEmailAddress"] == {"emailAddress": "li@example.com"}
    again = data(sim, create, {"input": {"email": "LI@example.com"}})["customerCreate"]
    assert again["userErrors"] == [{"field": ["email"], "message": "Email has already been taken"}]
    update = """mutation($input: CustomerInput!) { customerUpdate(input: $input) {
        customer { firstName phone } userErrors { field message } } }"""
    changed = data(sim, update, {"input": {"id": customer["id"], "phone": "+15555550100"}})
    assert changed["customerUpdate"]["customer"] == {"firstName": "Li", "phone": "+15555550100"}
    listed = data(sim, '{ customers(first: 5, query: "email:li@example.com") { nodes { id } } }')
    assert listed["customers"]["nodes"] == [{"id": customer["id"]}]


def test_order_create_bypasses_stock_unless_asked(sim: ShopifySimulator) -> None:
    sim.seed(1)
    variant_id = sim.shop.variant("SIM-000001").id
    create = """mutation($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
        orderCreate(order: $order, options: $options) {
          order { id sourceIdentifier } userErrors { code field message } } }"""
    before = sim.available("SIM-000001")
    line = {"variantId": variant_id, "quantity": 2}
    data(sim, create, {"order": {"lineItems": [line], "sourceIdentifier": "pos-1"}})
    assert sim.available("SIM-000001") == before
    data(
        sim,
        create,
        {
            "order": {"lineItems": [line], "sourceIdentifier": "pos-2"},
            "options": {"inventoryBehaviour": "DECREMENT_OBEYING_POLICY"},
        },
    )
    assert sim.available("SIM-000001") == before - 2
    found = data(sim, '{ orders(first: 5, query: "source_identifier:pos-2") { nodes { id } } }')
    assert len(found["orders"]["nodes"]) == 1


def test_order_create_takes_the_financial_status(sim: ShopifySimulator) -> None:
    sim.seed(1)
    line = {"variantId": sim.shop.variant("SIM-000001").id, "quantity": 1}
    create = """mutation($order: OrderCreateOrderInput!) { orderCreate(order: $order) {
          order { displayFinancialStatus } userErrors { message } } }"""
    pending = data(sim, create, {"order": {"lineItems": [line], "financialStatus": "PENDING"}})
    assert pending["orderCreate"]["order"]["displayFinancialStatus"] == "PENDING"
    paid = data(sim, create, {"order": {"lineItems": [line], "financialStatus": "PAID"}})
    assert paid["orderCreate"]["order"]["displayFinancialStatus"] == "PAID"
    wrong = httpx.post(
        sim.graphql_url(),
        headers={"X-Shopify-Access-Token": sim.access_token},
        json={"query": create,
              "variables": {"order": {"lineItems": [line], "financialStatus": "SETTLED"}}},
    ).json()
    assert wrong["errors"]
