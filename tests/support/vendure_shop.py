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


COUPON = """mutation($code: String!) { applyCouponCode(couponCode: $code) {
  ... on Order { id } ... on ErrorResult { errorCode message } } }"""


def checkout(shop_url: str, lines: Sequence[tuple[str, int]], *, email: str,
             coupon: str | None = None, method: str | None = None,
             phone: str | None = None) -> str:
    """A customer buys ``lines`` (variant id, quantity), with a coupon code, and pays with
    payment method ``method`` (default: the first eligible); returns the order id."""
    with VendureClient(shop_url, path="/shop-api") as shop:
        for variant_id, quantity in lines:
            result(shop.execute(ADD, {"id": variant_id, "qty": quantity}), "addItemToOrder")
        buyer = {"emailAddress": email, "firstName": "Web", "lastName": "Buyer",
                 **({"phoneNumber": phone} if phone else {})}
        result(shop.execute(CUSTOMER, {"input": buyer}), "setCustomerForOrder")
        if coupon is not None:
            result(shop.execute(COUPON, {"code": coupon}), "applyCouponCode")
        result(shop.execute(ADDRESS, {"input": {"fullName": "Web Buyer", "streetLine1": "1 Street",
                                                "city": "London", "postalCode": "N1",
                                                "countryCode": "GB"}}),
               "setOrderShippingAddress")
        methods = shop.execute(METHODS)
        result(shop.execute(SHIPPING, {"ids": [methods["eligibleShippingMethods"][0]["id"]]}),
               "setOrderShippingMethod")
        result(shop.execute(ARRANGE), "transitionOrderToState")
        paid = result(shop.execute(PAY, {
            "method": method or methods["eligiblePaymentMethods"][0]["code"]}),
            "addPaymentToOrder")
        assert paid["state"] in ("PaymentSettled", "PaymentAuthorized"), paid
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


TAX_RATES = """{ taxRates(options: {take: 10}) { items { id } } }"""
SET_TAX = """mutation($id: ID!, $value: Float!) { updateTaxRate(input: {id: $id, value: $value})
  { id } }"""
SHIPPING_METHODS = """{ shippingMethods(options: {take: 10}) { items { id } } }"""
SET_SHIPPING = """mutation($input: UpdateShippingMethodInput!) { updateShippingMethod(input: $input)
  { id } }"""
PROMOTION = """mutation($input: CreatePromotionInput!) { createPromotion(input: $input) {
  ... on Promotion { id } ... on ErrorResult { errorCode message } } }"""
PAYMENT_METHOD = """mutation($input: CreatePaymentMethodInput!) {
  createPaymentMethod(input: $input) { id code } }"""
PAYMENTS = """query($id: ID!) { order(id: $id) { payments { id state }
  lines { id productVariant { sku } } } }"""
SETTLE = """mutation($id: ID!) { settlePayment(id: $id) {
  ... on Payment { id state } ... on ErrorResult { errorCode message } } }"""
REFUND_ORDER = """mutation($input: RefundOrderInput!) { refundOrder(input: $input) {
  ... on Refund { id state total } ... on ErrorResult { errorCode message } } }"""
SETTLE_REFUND = """mutation($id: ID!) { settleRefund(input: {id: $id, transactionId: "manual"}) {
  ... on Refund { id state total } ... on ErrorResult { errorCode message } } }"""


def price_the_shop(admin: VendureClient, *, tax_percent: int, shipping_minor: int) -> None:
    """Every tax rate at ``tax_percent``; every shipping method at ``shipping_minor`` plus
    that tax."""
    for rate in admin.execute(TAX_RATES)["taxRates"]["items"]:
        admin.execute(SET_TAX, {"id": rate["id"], "value": tax_percent})
    for method in admin.execute(SHIPPING_METHODS)["shippingMethods"]["items"]:
        admin.execute(SET_SHIPPING, {"input": {"id": method["id"], "translations": [],
                                               "calculator": {
            "code": "default-shipping-calculator", "arguments": [
                {"name": "rate", "value": str(shipping_minor)},
                {"name": "includesTax", "value": "exclude"},
                {"name": "taxRate", "value": str(tax_percent)}]}}})


def coupon_code(admin: VendureClient, code: str, percent: int) -> None:
    result(admin.execute(PROMOTION, {"input": {
        "enabled": True, "couponCode": code, "conditions": [],
        "actions": [{"code": "order_percentage_discount",
                     "arguments": [{"name": "discount", "value": str(percent)}]}],
        "translations": [{"languageCode": "en", "name": f"{percent} % off"}]}}),
        "createPromotion")


def pay_later_method(admin: VendureClient, code: str) -> None:
    """A payment method whose payments are authorised at checkout and settled later."""
    admin.execute(PAYMENT_METHOD, {"input": {
        "code": code, "enabled": True,
        "handler": {"code": "dummy-payment-handler",
                    "arguments": [{"name": "automaticSettle", "value": "false"}]},
        "translations": [{"languageCode": "en", "name": "Pay later"}]}})


def settle(admin: VendureClient, order_id: str) -> None:
    [payment] = admin.execute(PAYMENTS, {"id": order_id})["order"]["payments"]
    result(admin.execute(SETTLE, {"id": payment["id"]}), "settlePayment")


def refund(admin: VendureClient, order_id: str, *, lines: Sequence[tuple[str, int]] = (),
           shipping: int = 0, amount: int | None = None) -> dict[str, Any]:
    """A refund of ``(sku, quantity)`` lines and shipping (in minor units), or of
    ``amount`` alone, as the Admin UI makes them, then settled (the money sent back)."""
    order = admin.execute(PAYMENTS, {"id": order_id})["order"]
    line_ids = {line["productVariant"]["sku"]: line["id"] for line in order["lines"]}
    refund_input: dict[str, Any] = {"paymentId": order["payments"][0]["id"], "reason": "test"}
    if amount is not None:  # Vendure's SQLite schema still wants the older fields set
        refund_input.update(amount=amount, shipping=0, adjustment=0)
    else:
        refund_input.update(shipping=shipping, adjustment=0, lines=[
            {"orderLineId": line_ids[sku], "quantity": quantity} for sku, quantity in lines])
    made = result(admin.execute(REFUND_ORDER, {"input": refund_input}), "refundOrder")
    settled: dict[str, Any] = result(admin.execute(SETTLE_REFUND, {"id": made["id"]}),
                                     "settleRefund")
    return settled


OPTION_GROUP = """mutation($input: CreateProductOptionGroupInput!) {
  createProductOptionGroup(input: $input) { id options { id name } } }"""
ADD_GROUP = """mutation($product: ID!, $group: ID!) {
  addOptionGroupToProduct(productId: $product, optionGroupId: $group) { id } }"""


def create_product_with_options(admin: VendureClient, name: str,
                                options: Sequence[tuple[str, Sequence[str]]],
                                variants: Sequence[tuple[str, Sequence[str], int, int]]) -> str:
    """A product made in Vendure with an option group per (name, values), and a variant
    per (SKU, its value of each option, price in minor units, stock on hand), as its
    admin makes them; returns its id."""
    product = admin.execute(CREATE_PRODUCT, {"input": {"translations": [{
        "languageCode": "en", "name": name, "slug": name.lower().replace(" ", "-"),
        "description": ""}]}})["createProduct"]["id"]
    ids: list[dict[str, str]] = []
    for option, values in options:
        group = admin.execute(OPTION_GROUP, {"input": {
            "code": option.lower(), "translations": [{"languageCode": "en", "name": option}],
            "options": [{"code": value.lower(),
                         "translations": [{"languageCode": "en", "name": value}]}
                        for value in values]}})["createProductOptionGroup"]
        admin.execute(ADD_GROUP, {"product": product, "group": group["id"]})
        ids.append({o["name"]: o["id"] for o in group["options"]})
    admin.execute(CREATE_VARIANTS, {"input": [{
        "productId": product, "sku": sku, "price": price, "stockOnHand": on_hand,
        "trackInventory": "TRUE",
        "optionIds": [group[value] for group, value in zip(ids, chosen, strict=True)],
        "translations": [{"languageCode": "en", "name": f"{name} {' '.join(chosen)}"}]}
        for sku, chosen, price, on_hand in variants]})
    return str(product)
