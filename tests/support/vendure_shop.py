"""What happens in the Vendure peer on its own: a customer's checkout through the Shop
API, and a merchant's changes through the Admin API."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tillflow.connectors.vendure.client import VendureClient, result

ADD = """mutation($id: ID!, $qty: Int!) { addItemToOrder(productVariantId: $id, quantity: $qty) {
  ... on Order { id } ... on ErrorResult { errorCode message } } }"""
CUSTOMER = """mutation($input: CreateCustomerInput!) { setCustomerForOrder(input: $input) {
  ... on Order { id } ... on ErrorResult { errorCode message } } }"""
ADDRESS = """mutation($input: CreateAddressInput!) { setOrderShippingAddress(input: $input) {
  ... on Order { id } ... on ErrorResult { errorCode message } } }"""
METHODS = """{ eligibleShippingMethods { id } eligiblePaymentMethods { code } }"""
SHIPPING = """mutation($ids: [ID!]!) { setOrderShippingMethod(shippingMethodId: $ids) {
  ... on Order { id } ... on ErrorResult { errorCode message } } }"""
ARRANGE = """mutation { transitionOrderToState(state: "ArrangingPayment") {
  ... on Order { id } ... on OrderStateTransitionError { errorCode message } } }"""
PAY = """mutation($method: String!) { addPaymentToOrder(input: {method: $method, metadata: {}}) {
  ... on Order { id state } ... on ErrorResult { errorCode message } } }"""


def checkout(shop_url: str, lines: Sequence[tuple[str, int]], *, email: str) -> str:
    """A customer buys ``lines`` (variant id, quantity) and pays with the dummy handler;
    returns the order id."""
    with VendureClient(shop_url, path="/shop-api") as shop:
        for variant_id, quantity in lines:
            result(shop.execute(ADD, {"id": variant_id, "qty": quantity}), "addItemToOrder")
        result(shop.execute(CUSTOMER, {"input": {"emailAddress": email, "firstName": "Web",
                                                 "lastName": "Buyer"}}), "setCustomerForOrder")
        result(shop.execute(ADDRESS, {"input": {"fullName": "Web Buyer", "streetLine1": "1 Street",
                                                "city": "London", "postalCode": "N1",
                                                "countryCode": "GB"}}),
               "setOrderShippingAddress")
        methods = shop.execute(METHODS)
        result(shop.execute(SHIPPING, {"ids": [methods["eligibleShippingMethods"][0]["id"]]}),
               "setOrderShippingMethod")
        result(shop.execute(ARRANGE), "transitionOrderToState")
        paid = result(shop.execute(PAY, {
            "method": methods["eligiblePaymentMethods"][0]["code"]}), "addPaymentToOrder")
        assert paid["state"] == "PaymentSettled", paid
        return str(paid["id"])


CREATE_PRODUCT = """mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }"""
CREATE_VARIANTS = """mutation($input: [CreateProductVariantInput!]!) {
  createProductVariants(input: $input) { id sku } }"""
VARIANTS = """query($skus: [String!]!) { productVariants(options: {filter: {sku: {in: $skus}},
  take: 1000}) { items { id sku name price productId stockOnHand stockAllocated } } }"""
UPDATE_VARIANTS = """mutation($input: [UpdateProductVariantInput!]!) {
  updateProductVariants(input: $input) { id } }"""
CANCEL = """mutation($id: ID!) { cancelOrder(input: {orderId: $id, reason: "test"}) {
  ... on Order { id state } ... on ErrorResult { errorCode message } } }"""


def create_products(admin: VendureClient,
                    items: Sequence[tuple[str, str, int, int]]) -> list[str]:
    """Single-variant products made in Vendure from (SKU, name, price in minor units,
    stock on hand); returns their variant ids in order."""
    products = [admin.execute(CREATE_PRODUCT, {"input": {"translations": [{
        "languageCode": "en", "name": name, "slug": f"vendure-{n}-{sku.lower()}",
        "description": ""}]}})["createProduct"]["id"] for n, (sku, name, _, _) in enumerate(items)]
    created = admin.execute(CREATE_VARIANTS, {"input": [{
        "productId": product, "sku": sku, "price": price, "stockOnHand": on_hand,
        "trackInventory": "TRUE", "translations": [{"languageCode": "en", "name": name}]}
        for product, (sku, name, price, on_hand) in zip(products, items, strict=True)]})
    return [str(v["id"]) for v in created["createProductVariants"]]


def variants(admin: VendureClient, skus: Sequence[str]) -> dict[str, dict[str, Any]]:
    items = admin.execute(VARIANTS, {"skus": list(skus)})["productVariants"]["items"]
    return {item["sku"]: item for item in items}


def update_variant(admin: VendureClient, variant_id: str, **fields: Any) -> None:
    admin.execute(UPDATE_VARIANTS, {"input": [{"id": variant_id, **fields}]})


def cancel(admin: VendureClient, order_id: str) -> None:
    result(admin.execute(CANCEL, {"id": order_id}), "cancelOrder")
