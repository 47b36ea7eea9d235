"""What happens to an order after it is placed: invoices, shipments, offline credit memos,
cancel, hold, comments; with the order's state and status and the stock moves each causes.

A ``checkmo`` order starts ``new``/``pending``; an invoice or a shipment makes it
``processing``; invoiced and shipped in full it is ``complete``; refunded in full
``closed``; cancelled ``canceled``. A shipment deducts from a source and gives back the
order's reservation; a cancel, and a refund of what was never shipped, give it back too;
a refund of shipped goods puts them back on the shelf only when asked to (return to stock).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow_simulators.magento import inventory
from tillflow_simulators.magento.errors import MagentoError, NoSuchEntity
from tillflow_simulators.magento.model import (
    ZERO,
    Comment,
    Document,
    DocumentItem,
    Order,
    OrderItem,
)
from tillflow_simulators.magento.store import BASE_WEBSITE, MagentoStore

ORDER_MISSING = "The entity that was requested doesn't exist. Verify the entity and try again."
INVOICE_STATE_PAID = 2
CREDITMEMO_STATE_REFUNDED = 2


def get(store: MagentoStore, order_id: int) -> Order:
    order = store.orders.get(order_id)
    if order is None:
        raise NoSuchEntity(ORDER_MISSING)
    return order


def invoice(store: MagentoStore, order_id: int, items: list[dict[str, Any]]) -> Document:
    order = get(store, order_id)
    if order.state in ("canceled", "closed", "holded") or not _any(order, "qty_to_invoice"):
        raise _refused(
            "Invoice", f"An invoice cannot be created when an order has a status of {order.status}"
        )
    lines = _lines(store, order, items, "qty_to_invoice", "Invoice")
    for item, qty in lines:
        item.qty_invoiced += qty
    document = _document(store, order, "invoice", lines)
    document.state = INVOICE_STATE_PAID
    document.shipping_amount = order.shipping_amount - order.shipping_invoiced
    order.invoices.append(document)
    _advance(store, order)
    return document


def ship(
    store: MagentoStore,
    order_id: int,
    items: list[dict[str, Any]],
    *,
    tracks: list[dict[str, Any]],
    source_code: str | None,
) -> Document:
    order = get(store, order_id)
    if order.state in ("canceled", "closed", "holded") or not _any(order, "qty_to_ship"):
        raise _refused(
            "Shipment", f"A shipment cannot be created when an order has a status of {order.status}"
        )
    lines = _lines(store, order, items, "qty_to_ship", "Shipment")
    stock_id = inventory.stock_for_website(store, BASE_WEBSITE)
    first_sku, first_qty = lines[0][0].sku, lines[0][1]
    source = source_code or inventory.pick_source(store, first_sku, first_qty, stock_id)
    if source not in store.sources:
        raise NoSuchEntity(
            "Source item not found by source code: %1 and sku: %2.", [source, first_sku]
        )
    for item, qty in lines:
        inventory.deduct(store, item.sku, qty, source)
        inventory.reserve(
            store, item.sku, qty, event="shipment_created", order=order, stock_id=stock_id
        )
        item.qty_shipped += qty
    document = _document(store, order, "shipment", lines)
    document.source_code = source
    document.tracks = [
        {**track, "entity_id": store.next_id("track"), "order_id": order.entity_id}
        for track in tracks
    ]
    order.shipments.append(document)
    _advance(store, order)
    return document


def refund(
    store: MagentoStore,
    order_id: int,
    items: list[dict[str, Any]],
    *,
    arguments: dict[str, Any],
) -> Document:
    """An offline credit memo (the order was paid by check / money order)."""
    order = get(store, order_id)
    if order.state in ("canceled", "closed", "holded") or not _any(order, "qty_to_refund"):
        raise _refused(
            "Creditmemo",
            f"A creditmemo can not be created when an order has a status of {order.status}",
        )
    lines = _lines(store, order, items, "qty_to_refund", "Creditmemo")
    extension = arguments.get("extension_attributes") or {}
    back_to_stock = {int(i) for i in extension.get("return_to_stock_items") or []}
    document = _document(store, order, "creditmemo", lines)
    shipping = arguments.get("shipping_amount")
    document.shipping_amount = (
        order.shipping_invoiced - order.shipping_refunded if shipping is None else Decimal(shipping)
    )
    document.adjustment_positive = Decimal(arguments.get("adjustment_positive") or 0)
    document.adjustment_negative = Decimal(arguments.get("adjustment_negative") or 0)
    document.state = CREDITMEMO_STATE_REFUNDED
    document.returned_to_stock = sorted(back_to_stock)
    for item, qty in lines:
        _return_goods(store, order, item, qty, back_to_stock=item.item_id in back_to_stock)
        item.qty_refunded += qty
    order.creditmemos.append(document)
    _advance(store, order)
    return document


def cancel(store: MagentoStore, order_id: int) -> bool:
    order = get(store, order_id)
    if order.state in ("canceled", "closed", "complete", "holded"):
        return False
    cancellable = {item.item_id: min(item.qty_to_invoice, item.qty_to_ship) for item in order.items}
    if not any(qty > 0 for qty in cancellable.values()):
        return False
    stock_id = inventory.stock_for_website(store, BASE_WEBSITE)
    for item in order.items:
        qty = cancellable[item.item_id]
        if qty > 0:
            item.qty_canceled += qty
            inventory.reserve(
                store, item.sku, qty, event="order_canceled", order=order, stock_id=stock_id
            )
    order.state = order.status = "canceled"
    order.updated_at = store.now()
    return True


def hold(store: MagentoStore, order_id: int) -> bool:
    order = get(store, order_id)
    if order.state in ("canceled", "closed", "complete", "holded"):
        raise MagentoError("A hold action is not available.")
    order.hold_before = (order.state, order.status)
    order.state = order.status = "holded"
    order.updated_at = store.now()
    return True


def unhold(store: MagentoStore, order_id: int) -> bool:
    order = get(store, order_id)
    if order.hold_before is None:
        raise MagentoError("You cannot remove the hold.")
    order.state, order.status = order.hold_before
    order.hold_before = None
    order.updated_at = store.now()
    return True


def add_comment(store: MagentoStore, order_id: int, history: dict[str, Any]) -> Comment:
    order = get(store, order_id)
    comment = Comment(
        entity_id=store.next_id("order-comment"),
        parent_id=order.entity_id,
        comment=str(history.get("comment") or ""),
        created_at=store.now(),
        status=history.get("status") or order.status,
        is_customer_notified=int(bool(history.get("is_customer_notified"))),
        is_visible_on_front=int(bool(history.get("is_visible_on_front"))),
    )
    order.comments.append(comment)
    if history.get("status"):
        order.status = str(history["status"])
    order.updated_at = store.now()
    return comment


def _return_goods(
    store: MagentoStore, order: Order, item: OrderItem, qty: Decimal, *, back_to_stock: bool
) -> None:
    """Give back what a refund frees: the reservation of goods that will now never ship,
    and the shelf quantity of shipped goods when the merchant returns them to stock."""
    stock_id = inventory.stock_for_website(store, BASE_WEBSITE)
    unshipped = max(ZERO, min(qty, item.qty_to_ship))
    if unshipped > 0:
        inventory.reserve(
            store, item.sku, unshipped, event="creditmemo_created", order=order, stock_id=stock_id
        )
    shipped_back = qty - unshipped
    if back_to_stock and shipped_back > 0:
        source = next((s.source_code for s in order.shipments if s.source_code), None)
        inventory.put_back(store, item.sku, shipped_back, source or "default")


def _lines(
    store: MagentoStore, order: Order, wanted: list[dict[str, Any]], remaining: str, kind: str
) -> list[tuple[OrderItem, Decimal]]:
    if not wanted:
        lines = [(item, getattr(item, remaining)) for item in order.items]
        return [(item, qty) for item, qty in lines if qty > 0]
    chosen: list[tuple[OrderItem, Decimal]] = []
    for line in wanted:
        item = order.item(int(line.get("order_item_id") or 0))
        qty = Decimal(line.get("qty") or 0)
        if item is None:
            raise _refused(kind, "The order does not contain the requested item.")
        if qty > getattr(item, remaining):
            raise _refused(
                kind,
                f"The quantity to {kind.lower()} must not be greater than "
                f'the quantity left for "{item.sku}".',
            )
        if qty > 0:
            chosen.append((item, qty))
    if not chosen:
        raise _refused(kind, f"You can't create a {kind.lower()} without products.")
    return chosen


def _document(
    store: MagentoStore, order: Order, kind: str, lines: list[tuple[OrderItem, Decimal]]
) -> Document:
    items = [
        DocumentItem(
            store.next_id(kind + "-item"),
            item.item_id,
            item.sku,
            item.name,
            item.product_id,
            item.price,
            qty,
        )
        for item, qty in lines
    ]
    return Document(
        entity_id=store.next_id(kind),
        increment_id=store.increment_id(kind),
        order_id=order.entity_id,
        created_at=store.now(),
        items=items,
    )


def _advance(store: MagentoStore, order: Order) -> None:
    invoiced = not _any(order, "qty_to_invoice")
    shipped = not _any(order, "qty_to_ship")
    refunded = all(i.qty_refunded + i.qty_canceled >= i.qty_ordered for i in order.items)
    if refunded and order.creditmemos:
        order.state = order.status = "closed"
    elif invoiced and shipped:
        order.state = order.status = "complete"
    else:
        order.state = order.status = "processing"
    order.updated_at = store.now()


def _any(order: Order, remaining: str) -> bool:
    return any(getattr(item, remaining) > 0 for item in order.items)


def _refused(kind: str, reason: str) -> MagentoError:
    # Magento renders the validation messages into the text before raising.
    return MagentoError(f"{kind} Document Validation Error(s):\n{reason}")
