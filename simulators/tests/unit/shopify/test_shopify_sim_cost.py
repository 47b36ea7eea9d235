"""Query cost as Shopify calculates it: requested from page sizes, actual from results."""

from __future__ import annotations

from typing import Any

from graphql import build_schema, parse

from tillflow_simulators.shopify.cost import query_cost

# The rules depend on the shape of types (object, connection, scalar), not on Shopify's
# names, so a few types in that shape stand in for the Admin API schema here.
SCHEMA = build_schema("""
type QueryRoot {
  shop: Shop!
  product(id: ID!): Product
  products(first: Int, last: Int, after: String): ProductConnection!
  orders(first: Int, last: Int, after: String): OrderConnection!
}
type Mutation {
  productCreate(product: ProductCreateInput): ProductCreatePayload
  customerCreate(input: CustomerInput!): CustomerCreatePayload
}
schema { query: QueryRoot mutation: Mutation }
type Shop { name: String! currencyCode: String! primaryDomain: Domain! }
type Domain { url: String! }
type Product {
  id: ID! title: String!
  variants(first: Int, last: Int): ProductVariantConnection!
}
type ProductEdge { cursor: String! node: Product! }
type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! }
type ProductVariant { id: ID! sku: String }
type ProductVariantConnection { nodes: [ProductVariant!]! }
type Customer { id: ID! email: String }
type Order { id: ID! customer: Customer }
type OrderConnection { nodes: [Order!]! }
input ProductCreateInput { title: String }
input CustomerInput { email: String }
type ProductCreatePayload { product: Product }
type CustomerCreatePayload { customer: Customer }
""")


def cost(query: str, data: dict[str, Any] | None = None, **variables: Any) -> int:
    return query_cost(SCHEMA, parse(query), variables=variables, data=data)


def test_connection_costs_two_plus_page_size_times_node() -> None:
    assert cost("{ products(first: 10) { edges { node { id title } } } }") == 12


def test_scalars_are_free_and_objects_cost_one() -> None:
    assert cost("{ shop { name currencyCode primaryDomain { url } } }") == 2


def test_nested_connections_multiply() -> None:
    query = "{ products(first: 10) { nodes { variants(first: 5) { nodes { sku } } } } }"
    assert cost(query) == 2 + 10 * (1 + 2 + 5 * 1)


def test_page_size_comes_from_variables() -> None:
    query = "query($n: Int) { orders(first: $n) { nodes { id customer { email } } } }"
    assert cost(query, n=50) == 2 + 50 * 2


def test_every_mutation_field_costs_ten() -> None:
    query = """mutation {
      a: productCreate(product: {title: "A"}) { product { id variants(first: 9) { nodes { id } } } }
      b: customerCreate(input: {email: "b@example.com"}) { customer { id } }
    }"""
    assert cost(query) == 20


def test_actual_cost_counts_returned_nodes_and_skips_nulls() -> None:
    query = "{ products(first: 10) { nodes { id variants(first: 5) { nodes { id } } } } }"
    returned = {
        "products": {
            "nodes": [
                {"id": "1", "variants": {"nodes": [{"id": "v1"}, {"id": "v2"}]}},
                {"id": "2", "variants": {"nodes": []}},
            ]
        }
    }
    assert cost(query, returned) == 2 + (1 + 2 + 2) + (1 + 2)
    assert cost('{ product(id: "x") { id } }', {"product": None}) == 0


def test_fragments_and_aliases_are_followed() -> None:
    query = """
      query { mine: products(first: 3) { edges { node { ...Fields } } } }
      fragment Fields on Product { id variants(first: 2) { nodes { id } } }
    """
    assert cost(query) == 2 + 3 * (1 + 2 + 2)
    returned = {"mine": {"edges": [{"node": {"id": "1", "variants": {"nodes": [{"id": "a"}]}}}]}}
    assert cost(query, returned) == 2 + (1 + 2 + 1)
