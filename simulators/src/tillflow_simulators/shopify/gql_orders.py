"""Orders and refunds: queries, ``orderCreate`` and the idempotent ``refundCreate``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow_simulators.shopify import search
from tillflow_simulators.shopify.gql_catalog import check_input_size
from tillflow_simulators.shopify.gql_support import (
    DEFAULT_SORT_KEYS,
    Info,
    InputShape,
    Resolver,
    idempotent,
    lookup,
    record_connection,
    refuse_unmodelled,
    store_of,
    takes,
    user_error,
)
from tillflow_simulators.shopify.model import Customer, LineItem, Order, OrderTransaction, Refund
from tillflow_simulators.shopify.orders import (
    OrderError,
    OrderLine,
    OrderRequest,
    RefundLine,
    create_refund,
    place_order,
)
from tillflow_simulators.shopify.pagination import PageRequest, connection
from tillflow_simulators.shopify.store import ShopStore


def _status(order: Order) -> str:
    return "cancelled" if order.cancelled_at else "open"


ORDER_FIELDS: search.Fields = {
    "id": lambda o: o.number,
    "name": lambda o: o.name,
    "email": lambda o: o.email,
    "status": _status,
    "financial_status": lambda o: o.display_financial_status,
    "sku": lambda o: [line.sku for line in o.line_items],
    "customer_id": lambda o: o.customer.number if o.customer else None,
    "source_name": lambda o: o.source_name,
    "source_identifier": lambda o: o.source_identifier,
    "test": lambda o: o.test,
    "created_at": lambda o: o.created_at,
    "updated_at": lambda o: o.updated_at,
    "processed_at": lambda o: o.processed_at,
}
ORDER_SORT = {**DEFAULT_SORT_KEYS, "PROCESSED_AT": lambda o: o.processed_at}
MONEY = dict.fromkeys(("amount", "currencyCode"))
ORDER_INPUT: InputShape = {
    **dict.fromkeys(("email", "phone", "note", "tags", "currency", "sourceName",
                     "sourceIdentifier", "financialStatus", "processedAt", "test")),
    "lineItems": {**dict.fromkeys(("variantId", "quantity")),
                  "priceSet": {"shopMoney": MONEY, "presentmentMoney": MONEY}},
    "customer": {"toAssociate": dict.fromkeys(("id", "email"))},
}
OPTIONS_INPUT: InputShape = dict.fromkeys(
    ("inventoryBehaviour", "sendReceipt", "sendFulfillmentReceipt")
)
REFUND_INPUT: InputShape = {
    **dict.fromkeys(("orderId", "note", "notify", "currency")),
    "refundLineItems": dict.fromkeys(("lineItemId", "quantity", "restockType", "locationId")),
}
INVENTORY_BEHAVIOUR = {
    "BYPASS": (False, False),
    "DECREMENT_IGNORING_POLICY": (True, False),
    "DECREMENT_OBEYING_POLICY": (True, True),
}


def resolve_orders(_: Any, info: Info, **args: Any) -> Any:
    return record_connection(
        store_of(info).orders.values(),
        args,
        fields=ORDER_FIELDS,
        text_fields=("name", "email"),
        sort_keys=ORDER_SORT,
    )


def resolve_orders_count(_: Any, info: Info, query: str | None = None) -> Any:
    terms = search.parse(query)
    orders = store_of(info).orders.values()
    count = sum(1 for o in orders if search.matches(o, terms, ORDER_FIELDS, ("name",)))
    return {"count": count, "precision": "EXACT"}


def resolve_order(_: Any, info: Info, id: str) -> Any:
    return lookup(store_of(info).orders, id, "Order")


def resolve_line_items(order: Order, _: Info, **args: Any) -> Any:
    return record_connection(order.line_items, args)


def resolve_order_refunds(order: Order, _: Info, first: int | None = None) -> Any:
    return order.refunds[:first] if first is not None else order.refunds


def resolve_refund_lines(refund: Refund, _: Info, **args: Any) -> Any:
    return record_connection(refund.lines, args)


@takes("first", "after", "last", "before", "reverse")
def resolve_refund_shipping(refund: Refund, _: Info, **args: Any) -> Any:
    return record_connection(refund.shipping, args)


@takes("first", "after", "last", "before", "reverse")
def resolve_shipping_lines(order: Order, _: Info, **args: Any) -> Any:
    return record_connection(order.shipping_lines, args)


@takes("first", "after", "last", "before", "reverse")
def resolve_discount_applications(order: Order, _: Info, **args: Any) -> Any:
    return connection(order.discount_applications, PageRequest.from_args(args),
                      key=lambda application: int(application["index"]),
                      number=lambda application: int(application["index"]) + 1)


def resolve_transactions(order: Order, _: Info, first: int | None = None) -> Any:
    return order.transactions[:first] if first is not None else order.transactions


def resolve_transaction_kind(transaction: OrderTransaction, _: Info) -> str:
    # ``kind`` of a record is its type's name in its global id; a transaction's is its own.
    return transaction.transaction_kind


def resolve_line_tax_lines(line: LineItem, _: Info, first: int | None = None) -> Any:
    return line.tax_lines[:first] if first is not None else line.tax_lines


def order_create(
    _: Any, info: Info, order: dict[str, Any], options: dict[str, Any] | None = None
) -> Any:
    refuse_unmodelled(info, "order", order, ORDER_INPUT)
    refuse_unmodelled(info, "options", options, OPTIONS_INPUT)
    store = store_of(info)
    lines_input = order.get("lineItems") or []
    check_input_size(lines_input, "lineItems")
    lines, errors = _order_lines(store, lines_input)
    customer, customer_errors = _customer_to_associate(store, order.get("customer"))
    errors += customer_errors
    if errors:
        return {"order": None, "userErrors": errors}
    behaviour = (options or {}).get("inventoryBehaviour") or "BYPASS"
    decrement, obey = INVENTORY_BEHAVIOUR[behaviour]
    request = OrderRequest(
        lines=lines,
        customer=customer,
        email=order.get("email"),
        phone=order.get("phone"),
        note=order.get("note"),
        tags=order.get("tags") or [],
        source_name=order.get("sourceName"),
        source_identifier=order.get("sourceIdentifier"),
        financial_status=order.get("financialStatus") or "PAID",
        currency=order.get("currency"),
        test=bool(order.get("test")),
        processed_at=order.get("processedAt"),
    )
    try:
        created = place_order(store, request, decrement=decrement, obey_policy=obey)
    except OrderError as exc:
        return {"order": None, "userErrors": [user_error(exc.message, exc.field_path, exc.code)]}
    return {"order": created, "userErrors": []}


def _customer_to_associate(
    store: ShopStore, fields: dict[str, Any] | None
) -> tuple[Customer | None, list[dict[str, Any]]]:
    wanted = (fields or {}).get("toAssociate") or {}
    if wanted.get("id"):
        found = lookup(store.customers, wanted["id"], "Customer")
    elif wanted.get("email"):
        found = store.find_customer(email=wanted["email"])
    else:
        return None, []
    if found is None:
        path = ["order", "customer", "toAssociate", "id" if wanted.get("id") else "email"]
        return None, [user_error("Customer does not exist", path, "INVALID")]
    return found, []


def _order_lines(
    store: ShopStore, lines_input: list[dict[str, Any]]
) -> tuple[list[OrderLine], list[dict[str, Any]]]:
    lines, errors = [], []
    for index, line in enumerate(lines_input):
        variant = lookup(store.variants, line.get("variantId"), "ProductVariant")
        if variant is None:
            # OrderCreateUserErrorCode has no code of its own for this; INVALID it is.
            errors.append(
                user_error(
                    "Variant not found",
                    ["order", "lineItems", str(index), "variantId"],
                    "INVALID",
                )
            )
            continue
        price_set = line.get("priceSet") or {}
        amount = (price_set.get("shopMoney") or {}).get("amount")
        lines.append(
            OrderLine(
                variant=variant,
                quantity=line["quantity"],
                price=Decimal(amount) if amount is not None else None,
            )
        )
    return lines, errors


@idempotent("refundCreate", mismatch_code=None)
def refund_create(_: Any, info: Info, input: dict[str, Any]) -> Any:
    refuse_unmodelled(info, "input", input, REFUND_INPUT)
    store = store_of(info)
    order = lookup(store.orders, input["orderId"], "Order")
    if order is None:
        error = user_error("Order does not exist", ["orderId"])
        return {"order": None, "refund": None, "userErrors": [error]}
    entries = input.get("refundLineItems") or []
    check_input_size(entries, "refundLineItems")
    lines, errors = [], []
    for index, entry in enumerate(entries):
        line_item = lookup(store.line_items, entry["lineItemId"], "LineItem")
        location = lookup(store.locations, entry.get("locationId"), "Location")
        if line_item is None:
            errors.append(
                user_error(
                    "Line item does not exist", ["refundLineItems", str(index), "lineItemId"]
                )
            )
            continue
        lines.append(
            RefundLine(
                line_item=line_item,
                quantity=entry["quantity"],
                restock_type=entry.get("restockType") or "NO_RESTOCK",
                location=location,
            )
        )
    if errors:
        return {"order": None, "refund": None, "userErrors": errors}
    try:
        refund = create_refund(store, order, lines, note=input.get("note"))
    except OrderError as exc:
        return {
            "order": None,
            "refund": None,
            "userErrors": [user_error(exc.message, exc.field_path)],
        }
    return {"order": order, "refund": refund, "userErrors": []}


RESOLVERS: dict[str, Resolver] = {
    "Query.order": resolve_order,
    "Query.orders": resolve_orders,
    "Query.ordersCount": resolve_orders_count,
    "Order.lineItems": resolve_line_items,
    "Order.refunds": resolve_order_refunds,
    "Refund.refundLineItems": resolve_refund_lines,
    "Refund.refundShippingLines": resolve_refund_shipping,
    "Order.shippingLines": resolve_shipping_lines,
    "Order.discountApplications": resolve_discount_applications,
    "Order.transactions": resolve_transactions,
    "OrderTransaction.kind": resolve_transaction_kind,
    "LineItem.taxLines": resolve_line_tax_lines,
    "Mutation.orderCreate": order_create,
    "Mutation.refundCreate": refund_create,
}
