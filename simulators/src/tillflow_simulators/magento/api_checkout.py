"""The guest checkout routes, ``/V1/guest-carts/...``.

As in Magento, adding an item finds the cart through the masked id the item carries in
``cartItem.quote_id``; the ``cartId`` of the path is not what decides.
"""

from __future__ import annotations

from typing import Any

from tillflow_simulators.magento import checkout, payloads_sales
from tillflow_simulators.magento.endpoints import Call, Endpoint, Endpoints


def create_cart(call: Call) -> Any:
    return checkout.create(call.store).masked_id


def get_cart(call: Call) -> Any:
    return payloads_sales.cart(checkout.by_mask(call.store, str(call.args["cartId"]), active=False))


def list_items(call: Call) -> Any:
    cart = call.cart()
    return [payloads_sales.cart_item(i, cart.masked_id) for i in cart.items]


def add_item(call: Call) -> Any:
    item = dict(call.arg("cartItem", {}))
    cart = checkout.by_mask(call.store, str(item.get("quote_id") or ""))
    added = checkout.add_item(call.store, cart, item.get("sku"), item.get("qty"))
    return payloads_sales.cart_item(added, cart.masked_id)


def update_item(call: Call) -> Any:
    item = dict(call.arg("cartItem", {}))
    cart = call.cart()
    changed = checkout.update_item(call.store, cart, int(call.args["itemId"]), item.get("qty"))
    return payloads_sales.cart_item(changed, cart.masked_id)


def remove_item(call: Call) -> Any:
    checkout.remove_item(call.store, call.cart(), int(call.args["itemId"]))
    return True


def estimate_shipping(call: Call) -> Any:
    return payloads_sales.shipping_methods(call.store, call.cart())


def shipping_methods(call: Call) -> Any:
    cart = call.cart()
    return payloads_sales.shipping_methods(call.store, cart) if cart.shipping_address else []


def save_shipping(call: Call) -> Any:
    cart = call.cart()
    checkout.set_shipping(call.store, cart, dict(call.arg("addressInformation", {})))
    return payloads_sales.payment_details(call.store, cart)


def payment_methods(call: Call) -> Any:
    call.cart()
    return payloads_sales.payment_methods()


def place_with_payment(call: Call) -> Any:
    order = checkout.place(
        call.store,
        call.cart(),
        email=call.arg("email"),
        payment=call.arg("paymentMethod"),
        billing=call.arg("billingAddress"),
    )
    return order.entity_id


def place(call: Call) -> Any:
    return checkout.place(call.store, call.cart(), payment=call.arg("paymentMethod")).entity_id


def totals(call: Call) -> Any:
    return payloads_sales.totals(call.store, call.cart())


ENDPOINTS: Endpoints = {
    ("POST", "/V1/guest-carts"): Endpoint(create_cart),
    ("GET", "/V1/guest-carts/:cartId"): Endpoint(get_cart),
    ("GET", "/V1/guest-carts/:cartId/items"): Endpoint(list_items),
    ("POST", "/V1/guest-carts/:cartId/items"): Endpoint(add_item),
    ("PUT", "/V1/guest-carts/:cartId/items/:itemId"): Endpoint(update_item),
    ("DELETE", "/V1/guest-carts/:cartId/items/:itemId"): Endpoint(remove_item),
    ("POST", "/V1/guest-carts/:cartId/estimate-shipping-methods"): Endpoint(estimate_shipping),
    ("GET", "/V1/guest-carts/:cartId/shipping-methods"): Endpoint(shipping_methods),
    ("POST", "/V1/guest-carts/:cartId/shipping-information"): Endpoint(save_shipping),
    ("GET", "/V1/guest-carts/:cartId/payment-methods"): Endpoint(payment_methods),
    ("POST", "/V1/guest-carts/:cartId/payment-information"): Endpoint(place_with_payment),
    ("PUT", "/V1/guest-carts/:cartId/order"): Endpoint(place),
    ("GET", "/V1/guest-carts/:cartId/totals"): Endpoint(totals),
}
