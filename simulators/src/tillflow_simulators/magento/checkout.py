"""The guest checkout: a cart behind a masked id, its items, flat-rate shipping, check /
money order payment, and the order it becomes.

Placing the order checks the salable quantity of every line in the website's stock and
reserves it (a negative reservation per SKU), as Magento's inventory does.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow_simulators.magento import catalog, inventory
from tillflow_simulators.magento.errors import MagentoError, NoSuchEntity
from tillflow_simulators.magento.model import ZERO, Cart, CartItem, Order, OrderItem
from tillflow_simulators.magento.store import BASE_WEBSITE, MagentoStore

FLAT_RATE = ("flatrate", "flatrate")
CHECKMO = "checkmo"
CHECKMO_TITLE = "Check / Money order"
QTY_NOT_AVAILABLE = "The requested qty is not available"
NOT_ALL_AVAILABLE = "Not all of your products are available in the requested quantity."
SHIPPING_MISSING = "The shipping method is missing. Select the shipping method and try again."
PAYMENT_UNAVAILABLE = "The requested Payment Method is not available."


def create(store: MagentoStore) -> Cart:
    now = store.now()
    cart = Cart(id=store.next_id("quote"), masked_id=store.mask(), created_at=now, updated_at=now)
    store.carts[cart.id] = cart
    store.masked_carts[cart.masked_id] = cart.id
    return cart


def by_mask(store: MagentoStore, masked_id: str, *, active: bool = True) -> Cart:
    """The cart behind a masked id; changing it needs it still active (not ordered)."""
    cart = store.carts.get(store.masked_carts.get(masked_id, 0))
    if cart is None or (active and not cart.is_active):
        raise NoSuchEntity.field("cartId", None if cart is None else cart.id)
    return cart


def add_item(store: MagentoStore, cart: Cart, sku: str | None, qty: Decimal | None) -> CartItem:
    if qty is None or qty <= 0:
        raise MagentoError("The qty value is required to update quote item.")
    product = catalog.get(store, str(sku or ""))
    if product.type_id == "configurable":
        raise MagentoError("You need to choose options for your item.")
    existing = next((i for i in cart.items if i.sku == product.sku), None)
    wanted = qty + (existing.qty if existing else ZERO)
    _check_available(store, product.sku, wanted)
    if existing is not None:
        existing.qty = wanted
        item = existing
    else:
        item = CartItem(
            store.next_id("quote-item"),
            product.sku,
            qty,
            product.name,
            product.price,
            product.type_id,
        )
        cart.items.append(item)
    cart.updated_at = store.now()
    return item


def update_item(store: MagentoStore, cart: Cart, item_id: int, qty: Decimal | None) -> CartItem:
    item = _item(cart, item_id)
    if qty is None or qty <= 0:
        raise MagentoError("The qty value is required to update quote item.")
    _check_available(store, item.sku, qty)
    item.qty = qty
    cart.updated_at = store.now()
    return item


def remove_item(store: MagentoStore, cart: Cart, item_id: int) -> None:
    cart.items.remove(_item(cart, item_id))
    cart.updated_at = store.now()


def shipping_amount(store: MagentoStore, cart: Cart) -> Decimal:
    return store.settings.flat_rate * sum((i.qty for i in cart.items), ZERO)


def set_shipping(store: MagentoStore, cart: Cart, info: dict[str, Any]) -> None:
    if not cart.items:
        raise MagentoError(
            "The shipping method can't be set for an empty cart. Add an item to cart and try again."
        )
    method = (info.get("shipping_carrier_code"), info.get("shipping_method_code"))
    if method != FLAT_RATE:
        raise MagentoError(
            "Carrier with such method not found: %1, %2", [str(method[0]), str(method[1])]
        )
    cart.shipping_address = dict(info.get("shipping_address") or {})
    if info.get("billing_address"):
        cart.billing_address = dict(info["billing_address"])
    cart.shipping_method = FLAT_RATE
    cart.updated_at = store.now()


def place(
    store: MagentoStore,
    cart: Cart,
    *,
    email: str | None = None,
    payment: dict[str, Any] | None = None,
    billing: dict[str, Any] | None = None,
) -> Order:
    """Turn the cart into an order that is ``new``/``pending`` and holds its goods."""
    if payment is not None:
        if payment.get("method") != CHECKMO:
            raise MagentoError(PAYMENT_UNAVAILABLE)
        cart.payment_method = CHECKMO
    if billing:
        cart.billing_address = dict(billing)
    if cart.shipping_method is None or cart.shipping_address is None:
        raise MagentoError(SHIPPING_MISSING)
    if cart.payment_method is None:
        raise MagentoError("Enter a valid payment method and try again.")
    address = cart.billing_address or cart.shipping_address
    email = email or cart.email or address.get("email")
    if not email:
        raise MagentoError('"%fieldName" is required. Enter and try again.', {"fieldName": "email"})
    stock_id = inventory.stock_for_website(store, BASE_WEBSITE)
    for item in cart.items:
        if inventory.salable_quantity(store, item.sku, stock_id) < item.qty:
            raise MagentoError(NOT_ALL_AVAILABLE)
    order = _order(store, cart, str(email), address)
    for line in order.items:
        inventory.reserve(
            store, line.sku, -line.qty_ordered, event="order_placed", order=order, stock_id=stock_id
        )
    cart.is_active = False
    cart.reserved_order_id = order.increment_id
    store.orders[order.entity_id] = order
    return order


def _order(store: MagentoStore, cart: Cart, email: str, billing: dict[str, Any]) -> Order:
    now = store.now()
    order_id = store.next_id("order")
    items = [
        OrderItem(
            item_id=store.next_id("order-item"),
            sku=line.sku,
            name=line.name,
            product_id=catalog.get(store, line.sku).id,
            product_type=line.product_type,
            price=line.price,
            qty_ordered=line.qty,
            created_at=now,
            quote_item_id=line.item_id,
        )
        for line in cart.items
    ]
    return Order(
        entity_id=order_id,
        increment_id=store.increment_id("order"),
        quote_id=cart.id,
        created_at=now,
        updated_at=now,
        customer_email=email,
        customer_firstname=billing.get("firstname"),
        customer_lastname=billing.get("lastname"),
        items=items,
        billing_address=dict(billing),
        shipping_address=dict(cart.shipping_address or {}),
        shipping_amount=shipping_amount(store, cart),
        payment_method=cart.payment_method or CHECKMO,
    )


def _check_available(store: MagentoStore, sku: str, qty: Decimal) -> None:
    stock_id = inventory.stock_for_website(store, BASE_WEBSITE)
    if inventory.salable_quantity(store, sku, stock_id) < qty:
        raise MagentoError(QTY_NOT_AVAILABLE)


def _item(cart: Cart, item_id: int) -> CartItem:
    item = next((i for i in cart.items if i.item_id == item_id), None)
    if item is None:
        raise NoSuchEntity("The %1 Cart doesn't contain the %2 item.", [cart.id, item_id])
    return item
