"""``/customers``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from tillflow_simulators.woocommerce import accounts, shapes
from tillflow_simulators.woocommerce.listing import by_ids, id_key
from tillflow_simulators.woocommerce.models import Customer
from tillflow_simulators.woocommerce.params import page_of, sort_records
from tillflow_simulators.woocommerce.web import Call, item_response, list_response, route

CUSTOMER_FIELDS = ("email", "first_name", "last_name", "username", "password", "billing",
                   "shipping", "meta_data")
SORT_KEYS: dict[str, Callable[[Customer], Any]] = {
    "id": id_key,
    "include": id_key,
    "name": lambda c: (f"{c.first_name} {c.last_name}".strip() or c.username, c.id),
    "registered_date": lambda c: (c.date_created, c.id),
}


def list_customers(call: Call) -> Response:
    page = page_of(call.query)
    role = call.query.get("role", "customer")
    records = [c for c in call.state.customers.values() if role in ("all", c.role)]
    if call.query.get("email"):
        found = accounts.find_by_email(call.state, call.query["email"])
        records = [c for c in records if c is found]
    if call.query.get("search"):
        needle = call.query["search"].lower()
        records = [
            c
            for c in records
            if any(needle in v.lower() for v in (c.email, c.first_name, c.last_name, c.username))
        ]
    records = by_ids(records, call.query)
    ordered = sort_records(
        records, query=call.query, keys=SORT_KEYS, default_orderby="name", default_order="asc"
    )
    shown = [shapes.customer(call.state, c) for c in page.slice(ordered)]
    return list_response(call, shown, page=page, total=len(ordered))


def create_customer(call: Call) -> Response:
    record = accounts.create_customer(call.state, call.body)
    return item_response(
        shapes.customer(call.state, record),
        status=201,
        location=f"{call.state.api_root}/customers/{record.id}",
    )


def get_customer(call: Call) -> Response:
    record = accounts.get_customer(call.state, call.path_int("id"))
    return item_response(shapes.customer(call.state, record))


def update_customer(call: Call) -> Response:
    record = accounts.update_customer(call.state, call.path_int("id"), call.body)
    return item_response(shapes.customer(call.state, record))


def delete_customer(call: Call) -> Response:
    return item_response(
        accounts.delete_customer(call.state, call.path_int("id"), force=call.flag("force"))
    )


_CUSTOMERS = "/wc/v3/customers"
_CUSTOMER = r"/wc/v3/customers/(?P<id>[\d]+)"
ROUTES = [
    route(_CUSTOMERS, ["GET"], "collection", list_customers, modelled=(
        "context", "page", "per_page", "search", "exclude", "include", "order", "orderby",
        "email", "role")),
    route(_CUSTOMERS, ["POST"], "collection", create_customer, modelled=CUSTOMER_FIELDS),
    route(_CUSTOMER, ["GET"], "item", get_customer, modelled=("context",)),
    route(_CUSTOMER, ["POST", "PUT", "PATCH"], "item", update_customer,
          modelled=CUSTOMER_FIELDS),
    route(_CUSTOMER, ["DELETE"], "item", delete_customer, modelled=("force",)),
]
