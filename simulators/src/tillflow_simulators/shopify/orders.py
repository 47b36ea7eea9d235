"""Orders, cancellations and refunds, with the stock movements Shopify makes for them.

An unfulfilled order moves units from ``available`` to ``committed`` at its location;
cancelling with restock, or refunding with a restock type, moves them back.

Prices as Shopify's checkout computes them: a line's own discount, then a discount code
(a percentage of the lines, or a fixed amount spread over them in proportion, the last
cent to the largest remainders), then tax per line at the order's rate on what is left
(taken out of the price in a tax-inclusive shop), each rounded half up to the cent;
shipping is taxed at the same rate. The payment is one transaction through the order's
gateway: ``SUCCESS`` for a paid order, ``PENDING`` for one paid later (a manual method
such as cash on delivery), until the merchant marks it paid. A refund gives back each
line's discounted price and tax for the units refunded (what is left of the line for its
last units) and, when asked, the shipping.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any

from tillflow_simulators.shopify import payloads
from tillflow_simulators.shopify.model import (
    ZERO,
    Customer,
    InventoryChange,
    LineItem,
    Location,
    Order,
    OrderTransaction,
    ProductVariant,
    Refund,
    RefundLineItem,
    RefundShippingLine,
    ShippingLine,
    cents,
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
    discount: Decimal = ZERO


@dataclass(frozen=True)
class DiscountCode:
    """A discount code the buyer entered: ``percentage`` (of the lines) or ``fixed``."""

    code: str
    value_type: str
    value: Decimal


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
    discount_code: DiscountCode | None = None
    shipping: Decimal | None = None
    shipping_title: str = "Standard"
    tax_rate: Decimal = ZERO
    taxes_included: bool = False
    gateway: str | None = "manual"


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
        order.taxes_included = request.taxes_included
        changes = [_add_line(store, order, line, where, decrement) for line in request.lines]
        _price(store, order, request)
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
    if line.discount:
        item.discounts.append((_application(order, "ManualDiscountApplication", "EXPLICIT",
                                            "EACH", line.discount), line.discount))
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


def _application(order: Order, typename: str, selection: str, method: str,
                 value: Decimal, *, code: str | None = None,
                 percentage: Decimal | None = None) -> dict[str, Any]:
    """A discount application as Shopify's ``DiscountApplication`` interface shows it."""
    application: dict[str, Any] = {
        "__typename": typename, "index": len(order.discount_applications),
        "allocationMethod": method, "targetSelection": selection, "targetType": "LINE_ITEM",
        "value": ({"__typename": "PricingPercentageValue", "percentage": float(percentage)}
                  if percentage is not None else
                  {"__typename": "MoneyV2", "amount": value, "currencyCode": order.currency}),
    }
    if code is not None:
        application["code"] = code
    if typename == "ManualDiscountApplication":
        application.update(title="Line discount", description=None)
    order.discount_applications.append(application)
    return application


def _price(store: ShopStore, order: Order, request: OrderRequest) -> None:
    if request.discount_code is not None:
        _discount_code(order, request.discount_code)
    for line in order.line_items:
        line.tax_rate = request.tax_rate
        line.tax = _tax(line.discounted, request.tax_rate, order.taxes_included)
    if request.shipping is not None:
        stamp = store.now()
        shipping = ShippingLine(number=store.next_number(), created_at=stamp, updated_at=stamp,
                                order=order, title=request.shipping_title,
                                price=request.shipping, tax_rate=request.tax_rate)
        shipping.tax = _tax(shipping.discounted, request.tax_rate, order.taxes_included)
        order.shipping_lines.append(shipping)
    if request.gateway is not None:
        pending = request.financial_status == "PENDING"
        kind = "AUTHORIZATION" if request.financial_status == "AUTHORIZED" else "SALE"
        _transaction(store, order, request.gateway, kind,
                     status="PENDING" if pending else "SUCCESS", amount=order.total)


def _tax(amount: Decimal, rate: Decimal, included: bool) -> Decimal:
    if not rate:
        return ZERO
    return cents(amount * rate / (1 + rate)) if included else cents(amount * rate)


def _discount_code(order: Order, discount: DiscountCode) -> None:
    bases = [line.discounted for line in order.line_items]
    base = sum(bases, ZERO)
    if discount.value_type == "percentage":
        wanted = cents(base * discount.value / 100)
        application = _application(order, "DiscountCodeApplication", "ALL", "ACROSS", wanted,
                                   code=discount.code, percentage=discount.value)
    else:
        wanted = min(discount.value, base)
        application = _application(order, "DiscountCodeApplication", "ALL", "ACROSS", wanted,
                                   code=discount.code)
    for line, share in zip(order.line_items, _spread(wanted, bases), strict=True):
        if share:
            line.discounts.append((application, share))


def _spread(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``total`` in proportion to ``weights``, in cents, the leftover cents to the largest
    remainders."""
    whole = sum(weights, ZERO)
    if not whole:
        return [ZERO for _ in weights]
    exact = [total * w / whole for w in weights]
    floors = [x.quantize(Decimal("0.01"), rounding=ROUND_DOWN) for x in exact]
    left = int((total - sum(floors, ZERO)) * 100)
    for index in sorted(range(len(exact)), key=lambda i: floors[i] - exact[i])[:left]:
        floors[index] += Decimal("0.01")
    return floors


def _transaction(store: ShopStore, order: Order, gateway: str | None, kind: str, *,
                 status: str, amount: Decimal) -> OrderTransaction:
    stamp = store.now()
    transaction = OrderTransaction(number=store.next_number(), created_at=stamp,
                                   updated_at=stamp, order=order, gateway=gateway,
                                   transaction_kind=kind, status=status, amount=amount,
                                   test=order.test)
    order.transactions.append(transaction)
    return transaction


def mark_as_paid(store: ShopStore, order: Order) -> None:
    """What ``orderMarkAsPaid`` does: the outstanding amount is taken by the order's
    manual gateway, and the order is paid."""
    with store.lock:
        if not order.can_mark_as_paid:
            raise OrderError("Order cannot be marked as paid", field_path=["id"])
        gateway = next((t.gateway for t in order.transactions if t.gateway), "manual")
        _transaction(store, order, gateway, "SALE", status="SUCCESS",
                     amount=order.total - order.received)
        order.financial_status = "PAID"
        store.touch(order)
        store.emit("orders/paid", payloads.order(order))
        store.emit("orders/updated", payloads.order(order))


def cancel_order(
    store: ShopStore, order: Order, *, reason: str = "CUSTOMER", restock: bool = True,
    refund: bool = False,
) -> None:
    """Cancel; with ``refund`` a paid order's money comes back as one refund of every line
    and the shipping (restocked with the order when ``restock``)."""
    with store.lock:
        if order.cancelled_at is not None:
            raise OrderError("Order has already been cancelled", field_path=["orderId"])
        if refund and order.fully_paid:
            lines = [RefundLine(line, line.refundable_quantity,
                                "CANCEL" if restock else "NO_RESTOCK")
                     for line in order.line_items if line.refundable_quantity]
            create_refund(store, order, lines, note="Order canceled", shipping=True,
                          paid_back=True)
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
    store: ShopStore, order: Order, lines: list[RefundLine], *, note: str | None = None,
    shipping: bool = False, paid_back: bool = False,
) -> Refund:
    """Refund ``lines`` (and the shipping not refunded yet, with ``shipping``); with
    ``paid_back`` the money goes back through the order's gateway, otherwise the refund
    records the lines and moves no money (as ``refundCreate`` without transactions)."""
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
        if shipping:
            refund.shipping.extend(_refund_shipping(store, order))
        if paid_back:
            included = order.taxes_included
            refund.amount = (
                sum((x.subtotal + (ZERO if included else x.tax) for x in refund.lines), ZERO)
                + sum((x.subtotal + (ZERO if included else x.tax) for x in refund.shipping),
                      ZERO))
            gateway = next((t.gateway for t in order.transactions if t.gateway), None)
            _transaction(store, order, gateway, "REFUND", status="SUCCESS", amount=refund.amount)
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
    item = line.line_item
    before = [x for refund in order.refunds for x in refund.lines if x.line_item is item]
    if item.refunded_quantity + line.quantity == item.quantity:  # the last units: the rest
        subtotal = item.discounted - sum((x.subtotal for x in before), ZERO)
        tax = item.tax - sum((x.tax for x in before), ZERO)
    else:
        subtotal = cents(item.discounted * line.quantity / item.quantity)
        tax = cents(item.tax * line.quantity / item.quantity)
    return RefundLineItem(
        number=store.next_number(),
        created_at=stamp,
        updated_at=stamp,
        line_item=item,
        quantity=line.quantity,
        restock_type=line.restock_type,
        location=restocked_at if line.restock_type in RESTOCKING_TYPES else None,
        subtotal=subtotal,
        tax=tax,
    )


def _refund_shipping(store: ShopStore, order: Order) -> list[RefundShippingLine]:
    done = {x.shipping_line for refund in order.refunds for x in refund.shipping}
    stamp = store.now()
    return [RefundShippingLine(number=store.next_number(), created_at=stamp, updated_at=stamp,
                               shipping_line=line, subtotal=line.discounted, tax=line.tax)
            for line in order.shipping_lines if line not in done]


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
