"""``/orders`` and ``/orders/{id}/refunds``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from tillflow_simulators.woocommerce import sales, shapes
from tillflow_simulators.woocommerce.errors import WooError
from tillflow_simulators.woocommerce.listing import (
    by_dates,
    by_ids,
    date_key,
    id_key,
    modified_key,
)
from tillflow_simulators.woocommerce.models import BILLING_FIELDS, Order
from tillflow_simulators.woocommerce.params import as_int, page_of, sort_records
from tillflow_simulators.woocommerce.rest.validation import as_list
from tillflow_simulators.woocommerce.web import Call, item_response, list_response, route

ORDER_FIELDS = ("status", "currency", "customer_id", "customer_note", "billing", "shipping",
                "payment_method", "payment_method_title", "transaction_id", "meta_data",
                "line_items", "shipping_lines", "set_paid")
LISTED = ("context", "page", "per_page", "search", "after", "before", "modified_after",
          "modified_before", "dates_are_gmt", "exclude", "include", "order", "orderby",
          "status", "customer", "product")
SORT_KEYS: dict[str, Callable[[Order], Any]] = {
    "date": date_key,
    "id": id_key,
    "modified": modified_key,
    "include": id_key,
}


def _statuses(call: Call) -> set[str] | None:
    """The statuses asked for (WordPress has checked them against the enum); None: any."""
    wanted = {str(part) for part in as_list(call.query.get("status", "any")) or []}
    return None if "any" in wanted else wanted


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
    records = by_ids(by_dates(records, call.query, call.state.zone), call.query)
    ordered = sort_records(records, query=call.query, keys=SORT_KEYS)
    shown = [shapes.order(call.state, o) for o in page.slice(ordered)]
    return list_response(call, shown, page=page, total=len(ordered))


def _matches(record: Order, needle: str) -> bool:
    fields = [record.billing.get(name, "") for name in BILLING_FIELDS]
    fields += [item.name for item in record.line_items]
    return any(needle in value.lower() for value in fields)


def create_order(call: Call) -> Response:
    record = sales.create_order(call.state, call.body)
    return item_response(
        shapes.order(call.state, record),
        status=201,
        location=f"{call.state.api_root}/orders/{record.id}",
    )


def get_order(call: Call) -> Response:
    return item_response(shapes.order(call.state, sales.get_order(call.state, call.path_int("id"))))


def update_order(call: Call) -> Response:
    record = sales.update_order(call.state, call.path_int("id"), call.body)
    return item_response(shapes.order(call.state, record))


def delete_order(call: Call) -> Response:
    return item_response(
        sales.delete_order(call.state, call.path_int("id"), force=call.flag("force"))
    )


def list_refunds(call: Call) -> Response:
    page = page_of(call.query)
    # WooCommerce lists the refunds whose parent is the id: none when there is no order.
    owner = call.state.orders.get(call.path_int("order_id"))
    found = owner.refunds if owner is not None else []
    refunds = sorted(found, key=lambda r: (r.date_created, r.id), reverse=True)
    shown = [shapes.refund(call.state, owner, r) for r in page.slice(refunds) if owner]
    return list_response(call, shown, page=page, total=len(refunds))


def create_refund(call: Call) -> Response:
    owner_id = call.path_int("order_id")
    refund = sales.create_refund(call.state, owner_id, call.body)
    owner = call.state.orders[owner_id]
    return item_response(
        shapes.refund(call.state, owner, refund),
        status=201,
        location=f"{call.state.api_root}/orders/{owner_id}/refunds/{refund.id}",
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


def delete_refund(call: Call) -> Response:
    owner = _refund_owner(call)
    return item_response(
        sales.delete_refund(call.state, owner, call.path_int("id"), force=call.flag("force"))
    )


_ORDERS = "/wc/v3/orders"
_ORDER = r"/wc/v3/orders/(?P<id>[\d]+)"
_REFUNDS = r"/wc/v3/orders/(?P<order_id>[\d]+)/refunds"
_REFUND = r"/wc/v3/orders/(?P<order_id>[\d]+)/refunds/(?P<id>[\d]+)"
ROUTES = [
    route(_ORDERS, ["GET"], "collection", list_orders, modelled=LISTED),
    route(_ORDERS, ["POST"], "collection", create_order, modelled=ORDER_FIELDS),
    route(_ORDER, ["GET"], "item", get_order, modelled=("context",)),
    route(_ORDER, ["POST", "PUT", "PATCH"], "item", update_order, modelled=ORDER_FIELDS),
    route(_ORDER, ["DELETE"], "item", delete_order, modelled=("force",)),
    route(_REFUNDS, ["GET"], "collection", list_refunds, modelled=("context", "page", "per_page")),
    route(_REFUNDS, ["POST"], "collection", create_refund,
          modelled=("amount", "reason", "meta_data", "api_refund", "api_restock")),
    route(_REFUND, ["GET"], "item", get_refund, modelled=("context",)),
    route(_REFUND, ["DELETE"], "item", delete_refund, modelled=("force",)),
]
