"""Orders, cancellations and refunds, with the stock movements Shopify makes for them.

An unfulfilled order moves units from ``available`` to ``committed`` at its location;
cancelling with restock, or refunding with a restock type, moves them back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from tillflow_simulators.shopify import payloads
from tillflow_simulators.shopify.model import (
    Customer,
    InventoryChange,
    LineItem,
    Location,
    Order,
    ProductVariant,
    Refund,
    RefundLineItem,
)
from tillflow_simulators.shopify.store import ShopStore

RESTOCKING_TYPES = frozenset({"RETURN", "CANCEL", "LEGACY_RESTOCK"})


class OrderError(ValueError):
    def __init__(self, message: str, *, field_path: list[str], code: str = "INVALID") -> None:
        super().__init__(message)
        self.message = message
        self.field_path = field_path
        self.code = code


@dataclass(frozen=True)
class OrderLine:
    variant: ProductVariant
    quantity: int
    price: Decimal | None = None


@dataclass(frozen=True)
class RefundLine:
    line_item: LineItem
    quantity: int
    restock_type: str = "NO_RESTOCK"
    location: Location | None = None


@dataclass
class OrderRequest:
    lines: list[OrderLine]
    customer: Customer | None = None
    email: str | None = None
    phone: str | None = None
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    source_name: str | None = "web"
    source_identifier: str | None = None
    financial_status: str = "PAID"
    currency: str | None = None
    test: bool = False
    processed_at: datetime | None = None


def place_order(
    store: ShopStore,
    request: OrderRequest,
    *,
    location: Location | None = None,
    decrement: bool = True,
    obey_policy: bool = True,
) -> Order:
    """Create an order; with ``decrement`` its units leave ``available`` at ``location``."""
    with store.lock:
        where = location or store.primary_location
        if decrement and obey_policy:
            _check_stock(store, request.lines, where)
        stamp = store.now()
        order = Order(
            number=store.next_number(),
            created_at=stamp,
            updated_at=stamp,
            order_number=store.next_order_number(),
            processed_at=request.processed_at or stamp,
            email=request.email,
            phone=request.phone,
            note=request.note,
            tags=list(request.tags),
            test=request.test,
            source_name=request.source_name,
            source_identifier=request.source_identifier,
            financial_status=request.financial_status,
            currency=request.currency or store.currency,
            customer=request.customer,
            location=where,
        )
        changes = [_add_line(store, order, line, where, decrement) for line in request.lines]
        store.orders[order.number] = order
        if request.customer is not None:
            request.customer.number_of_orders += 1
        store.emit("orders/create", payloads.order(order))
        _record(store, "order_created", order, [c for group in changes for c in group])
        return order


def _check_stock(store: ShopStore, lines: Iterable[OrderLine], location: Location) -> None:
    wanted: Counter[ProductVariant] = Counter()
    for line in lines:
        wanted[line.variant] += line.quantity
    for variant, quantity in wanted.items():
        assert variant.inventory_item is not None
        if not variant.inventory_item.tracked:
            continue
        level = store.stock_at(variant.inventory_item, location)
        if level.quantity("available") < quantity:
            raise OrderError(
                f"Not enough stock for {variant.sku or variant.id}: "
                f"{level.quantity('available')} available, {quantity} requested",
                field_path=["lineItems"],
                code="INVENTORY_CLAIM_FAILED",
            )


def _add_line(
    store: ShopStore, order: Order, line: OrderLine, location: Location, decrement: bool
) -> list[InventoryChange]:
    stamp = store.now()
    product = line.variant.product
    title = product.title if product else line.variant.title
    item = LineItem(
        number=store.next_number(),
        created_at=stamp,
        updated_at=stamp,
        order=order,
        variant=line.variant,
        title=title,
        sku=line.variant.sku,
        quantity=line.quantity,
        price=line.price if line.price is not None else line.variant.price,
    )
    order.line_items.append(item)
    store.line_items[item.number] = item
    inventory_item = line.variant.inventory_item
    if not decrement or inventory_item is None or not inventory_item.tracked:
        return []
    level = store.stock_at(inventory_item, location)
    item.committed = line.quantity
    return [
        store.change_quantity(level, "available", -line.quantity, ledger_document_uri=None),
        store.change_quantity(level, "committed", line.quantity, ledger_document_uri=None),
    ]


def cancel_order(
    store: ShopStore, order: Order, *, reason: str = "CUSTOMER", restock: bool = True
) -> None:
    with store.lock:
        if order.cancelled_at is not None:
            raise OrderError("Order has already been cancelled", field_path=["orderId"])
        order.cancelled_at = store.touch(order)
        order.cancel_reason = reason
        changes: list[InventoryChange] = []
        if restock:
            for line in order.line_items:
                changes.extend(_release(store, line, line.committed, order.location))
        store.emit("orders/cancelled", payloads.order(order))
        store.emit("orders/updated", payloads.order(order))
        _record(store, "order_cancelled", order, changes)


def create_refund(
    store: ShopStore, order: Order, lines: list[RefundLine], *, note: str | None = None
) -> Refund:
    with store.lock:
        for index, line in enumerate(lines):
            if line.line_item.order is not order:
                raise OrderError(
                    "Line item does not belong to the order",
                    field_path=["refundLineItems", str(index), "lineItemId"],
                )
            if not 0 < line.quantity <= line.line_item.refundable_quantity:
                raise OrderError(
                    "Quantity cannot refund more items than were purchased",
                    field_path=["refundLineItems", str(index), "quantity"],
                )
        stamp = store.now()
        refund = Refund(
            number=store.next_number(), created_at=stamp, updated_at=stamp, order=order, note=note
        )
        changes: list[InventoryChange] = []
        for line in lines:
            refund.lines.append(_refund_line(store, line, order))
            line.line_item.refunded_quantity += line.quantity
            if line.restock_type in RESTOCKING_TYPES:
                changes.extend(_restock(store, line, order))
        order.refunds.append(refund)
        store.refunds[refund.number] = refund
        store.touch(order)
        store.emit("refunds/create", payloads.refund(refund))
        store.emit("orders/updated", payloads.order(order))
        _record(store, "restock", order, changes)
        return refund


def _refund_line(store: ShopStore, line: RefundLine, order: Order) -> RefundLineItem:
    stamp = store.now()
    restocked_at = line.location or order.location
    return RefundLineItem(
        number=store.next_number(),
        created_at=stamp,
        updated_at=stamp,
        line_item=line.line_item,
        quantity=line.quantity,
        restock_type=line.restock_type,
        location=restocked_at if line.restock_type in RESTOCKING_TYPES else None,
    )


def _restock(store: ShopStore, line: RefundLine, order: Order) -> list[InventoryChange]:
    """Units still committed are released; any beyond that come back to stock as returns."""
    released = min(line.quantity, line.line_item.committed)
    changes = _release(store, line.line_item, released, line.location or order.location)
    returned = line.quantity - released
    variant = line.line_item.variant
    if returned and variant is not None and variant.inventory_item is not None:
        level = store.stock_at(variant.inventory_item, line.location or store.primary_location)
        changes.append(
            store.change_quantity(level, "available", returned, ledger_document_uri=None)
        )
    return changes


def _release(
    store: ShopStore, line: LineItem, quantity: int, location: Location | None
) -> list[InventoryChange]:
    variant = line.variant
    if quantity <= 0 or variant is None or variant.inventory_item is None:
        return []
    level = store.stock_at(variant.inventory_item, location or store.primary_location)
    line.committed -= quantity
    return [
        store.change_quantity(level, "committed", -quantity, ledger_document_uri=None),
        store.change_quantity(level, "available", quantity, ledger_document_uri=None),
    ]


def _record(store: ShopStore, reason: str, order: Order, changes: list[InventoryChange]) -> None:
    if changes:
        store.record_adjustment(reason=reason, reference_document_uri=order.id, changes=changes)
