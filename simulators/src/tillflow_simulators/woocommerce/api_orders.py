"""``/orders`` and ``/orders/{id}/refunds``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from tillflow_simulators.woocommerce import sales, shapes
from tillflow_simulators.woocommerce.errors import WooError, invalid_param
from tillflow_simulators.woocommerce.listing import (
    by_dates,
    by_ids,
    date_key,
    id_key,
    modified_key,
)
from tillflow_simulators.woocommerce.models import BILLING_FIELDS, ORDER_STATUSES, Order
from tillflow_simulators.woocommerce.params import as_int, check_body, page_of, sort_records
from tillflow_simulators.woocommerce.web import (
    PREFIX,
    Call,
    endpoint,
    item_response,
    list_response,
)

ORDER_SCHEMA: dict[str, str | tuple[str, ...]] = {
    "status": ORDER_STATUSES,
    "currency": "string",
    "customer_id": "integer",
    "billing": "object",
    "shipping": "object",
    "line_items": "array",
    "shipping_lines": "array",
    "meta_data": "array",
    "payment_method": "string",
    "payment_method_title": "string",
    "transaction_id": "string",
    "customer_note": "string",
    "set_paid": "boolean",
}
REFUND_SCHEMA: dict[str, str | tuple[str, ...]] = {
    "amount": "string",
    "reason": "string",
    "line_items": "array",
    "api_refund": "boolean",
    "api_restock": "boolean",
    "meta_data": "array",
}
SORT_KEYS: dict[str, Callable[[Order], Any]] = {
    "date": date_key,
    "id": id_key,
    "modified": modified_key,
    "include": id_key,
}


def _statuses(call: Call) -> set[str] | None:
    raw = call.query.get("status", "any")
    wanted = {part.strip() for part in raw.split(",") if part.strip()}
    if "any" in wanted:
        return None
    unknown = wanted - {*ORDER_STATUSES, "trash"}
    if unknown:
        allowed = ", ".join(("any", "trash", *ORDER_STATUSES))
        raise invalid_param("status", f"status[0] is not one of {allowed}.")
    return wanted


def list_orders(call: Call) -> Response:
    page = page_of(call.query)
    wanted = _statuses(call)
    records = [
        o
        for o in call.state.orders.values()
        if (o.status != "trash" if wanted is None else o.status in wanted)
    ]
    if call.query.get("customer"):
        customer = as_int(call.query["customer"], param="customer")
        records = [o for o in records if o.customer_id == customer]
    if call.query.get("product"):
        product = as_int(call.query["product"], param="product")
        records = [
            o
            for o in records
            if any(product in (i.product_id, i.variation_id) for i in o.line_items)
        ]
    if call.query.get("search"):
        needle = call.query["search"].lower()
        records = [o for o in records if _matches(o, needle)]
    records = by_ids(by_dates(records, call.query), call.query)
    ordered = sort_records(records, query=call.query, keys=SORT_KEYS)
    shown = [shapes.order(call.state, o) for o in page.slice(ordered)]
    return list_response(call, shown, page=page, total=len(ordered))


def _matches(record: Order, needle: str) -> bool:
    fields = [record.billing.get(name, "") for name in BILLING_FIELDS]
    fields += [item.name for item in record.line_items]
    return any(needle in value.lower() for value in fields)


def create_order(call: Call) -> Response:
    check_body(call.body, ORDER_SCHEMA)
    record = sales.create_order(call.state, call.body)
    return item_response(
        shapes.order(call.state, record), status=201, location=f"{PREFIX}/orders/{record.id}"
    )


def get_order(call: Call) -> Response:
    return item_response(shapes.order(call.state, sales.get_order(call.state, call.path_int("id"))))


def update_order(call: Call) -> Response:
    check_body(call.body, ORDER_SCHEMA)
    record = sales.update_order(call.state, call.path_int("id"), call.body)
    return item_response(shapes.order(call.state, record))


def delete_order(call: Call) -> Response:
    return item_response(
        sales.delete_order(call.state, call.path_int("id"), force=call.flag("force"))
    )


def list_refunds(call: Call) -> Response:
    owner = _refund_owner(call)
    page = page_of(call.query)
    refunds = sorted(owner.refunds, key=lambda r: (r.date_created, r.id), reverse=True)
    shown = [shapes.refund(call.state, owner, r) for r in page.slice(refunds)]
    return list_response(call, shown, page=page, total=len(refunds))


def create_refund(call: Call) -> Response:
    check_body(call.body, REFUND_SCHEMA)
    owner_id = call.path_int("order_id")
    refund = sales.create_refund(call.state, owner_id, call.body)
    owner = call.state.orders[owner_id]
    return item_response(
        shapes.refund(call.state, owner, refund),
        status=201,
        location=f"{PREFIX}/orders/{owner_id}/refunds/{refund.id}",
    )


def get_refund(call: Call) -> Response:
    owner = _refund_owner(call)
    refund = next((r for r in owner.refunds if r.id == call.path_int("id")), None)
    if refund is None:
        raise WooError("woocommerce_rest_shop_order_refund_invalid_id", "Invalid ID.", 404)
    return item_response(shapes.refund(call.state, owner, refund))


def _refund_owner(call: Call) -> Order:
    owner = call.state.orders.get(call.path_int("order_id"))
    if owner is None:
        raise WooError("woocommerce_rest_invalid_order_id", "Invalid order ID.", 404)
    return owner


ROUTES = [
    Route(f"{PREFIX}/orders", endpoint("collection", list_orders), methods=["GET"]),
    Route(f"{PREFIX}/orders", endpoint("collection", create_order), methods=["POST"]),
    Route(f"{PREFIX}/orders/{{id:int}}", endpoint("item", get_order), methods=["GET"]),
    Route(
        f"{PREFIX}/orders/{{id:int}}",
        endpoint("item", update_order),
        methods=["POST", "PUT", "PATCH"],
    ),
    Route(f"{PREFIX}/orders/{{id:int}}", endpoint("item", delete_order), methods=["DELETE"]),
    Route(
        f"{PREFIX}/orders/{{order_id:int}}/refunds",
        endpoint("collection", list_refunds),
        methods=["GET"],
    ),
    Route(
        f"{PREFIX}/orders/{{order_id:int}}/refunds",
        endpoint("collection", create_refund),
        methods=["POST"],
    ),
    Route(
        f"{PREFIX}/orders/{{order_id:int}}/refunds/{{id:int}}",
        endpoint("item", get_refund),
        methods=["GET"],
    ),
]
