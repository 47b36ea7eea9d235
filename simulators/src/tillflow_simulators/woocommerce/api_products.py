"""``/products``, ``/products/batch`` and ``/products/{id}/variations[...]``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from starlette.responses import Response
from starlette.routing import Route

from tillflow_simulators.woocommerce import catalog, shapes
from tillflow_simulators.woocommerce.errors import WooError
from tillflow_simulators.woocommerce.listing import (
    by_dates,
    by_ids,
    date_key,
    id_key,
    modified_key,
)
from tillflow_simulators.woocommerce.models import (
    BACKORDERS,
    PRODUCT_STATUSES,
    PRODUCT_TYPES,
    STOCK_STATUSES,
    Product,
    Variation,
)
from tillflow_simulators.woocommerce.params import (
    check_body,
    choice,
    page_of,
    require_batch_limit,
    sort_records,
)
from tillflow_simulators.woocommerce.web import (
    PREFIX,
    Call,
    endpoint,
    error_entry,
    item_response,
    list_response,
)

STOCKED_SCHEMA: dict[str, str | tuple[str, ...]] = {
    "sku": "string",
    "global_unique_id": "string",
    "regular_price": "string",
    "sale_price": "string",
    "manage_stock": "boolean",
    "stock_quantity": "integer",
    "stock_status": STOCK_STATUSES,
    "backorders": BACKORDERS,
    "description": "string",
    "meta_data": "array",
    "attributes": "array",
}
PRODUCT_SCHEMA = {
    **STOCKED_SCHEMA,
    "name": "string",
    "type": PRODUCT_TYPES,
    "status": PRODUCT_STATUSES,
    "short_description": "string",
}
VARIATION_SCHEMA = {**STOCKED_SCHEMA, "status": ("draft", "pending", "private", "publish")}
A = TypeVar("A")
LIST_STATUSES = ("any", "future", "trash", *PRODUCT_STATUSES)

Stocked = Product | Variation
SORT_KEYS: dict[str, Callable[[Stocked], Any]] = {
    "date": date_key,
    "id": id_key,
    "modified": modified_key,
    "title": lambda r: (getattr(r, "name", ""), r.id),
    "slug": lambda r: (getattr(r, "slug", ""), r.id),
}


def _filtered(call: Call, records: list[Stocked]) -> list[Stocked]:
    query = call.query
    status = choice(query, "status", LIST_STATUSES, "any")
    records = [
        r for r in records if (r.status != "trash" if status == "any" else r.status == status)
    ]
    if query.get("sku"):
        skus = query["sku"].split(",")
        wanted = {*skus, query["sku"]}
        records = [r for r in records if r.sku in wanted]
    if query.get("global_unique_id"):
        gtins = {part.strip() for part in query["global_unique_id"].split(",")}
        records = [r for r in records if r.global_unique_id in gtins]
    if query.get("type"):
        records = [r for r in records if getattr(r, "type", "variation") == query["type"]]
    if query.get("stock_status"):
        records = [r for r in records if r.stock_status == query["stock_status"]]
    return by_ids(by_dates(records, query), query)


def _respond_list(call: Call, records: list[Stocked]) -> Response:
    page = page_of(call.query)
    ordered = sort_records(_filtered(call, records), query=call.query, keys=SORT_KEYS)
    shown = [shapes.stocked(call.state, r) for r in page.slice(ordered)]
    return list_response(call, shown, page=page, total=len(ordered))


def list_products(call: Call) -> Response:
    state = call.state
    records: list[Stocked] = list(state.products.values())
    # A SKU filter searches variations as well (``product_variation`` joins the query).
    if call.query.get("sku"):
        records.extend(state.variations.values())
    return _respond_list(call, records)


def create_product(call: Call) -> Response:
    check_body(call.body, PRODUCT_SCHEMA)
    record = catalog.create_product(call.state, call.body)
    return item_response(
        shapes.product(call.state, record),
        status=201,
        location=f"{PREFIX}/products/{record.id}",
    )


def get_product(call: Call) -> Response:
    state, product_id = call.state, call.path_int("id")
    variation = state.variations.get(product_id)
    if variation is not None:
        return item_response(shapes.variation(state, variation))
    return item_response(shapes.product(state, catalog.get_product(state, product_id)))


def update_product(call: Call) -> Response:
    check_body(call.body, PRODUCT_SCHEMA)
    state, product_id = call.state, call.path_int("id")
    variation = state.variations.get(product_id)
    if variation is not None:
        updated = catalog.update_variation(state, variation.parent_id, product_id, call.body)
        return item_response(shapes.variation(state, updated))
    updated_product = catalog.update_product(state, product_id, call.body)
    return item_response(shapes.product(state, updated_product))


def delete_product(call: Call) -> Response:
    return item_response(
        catalog.delete_product(call.state, call.path_int("id"), force=call.flag("force"))
    )


def batch_products(call: Call) -> Response:
    state = call.state
    return _batch(
        call.body,
        create=lambda item: shapes.product(state, catalog.create_product(state, item)),
        update=lambda item: shapes.product(
            state, catalog.update_product(state, _item_id(item), item)
        ),
        delete=lambda item_id: catalog.delete_product(state, item_id, force=True),
    )


def list_variations(call: Call) -> Response:
    parent = catalog.get_product(call.state, call.path_int("product_id"))
    records: list[Stocked] = [
        call.state.variations[vid] for vid in parent.variation_ids if vid in call.state.variations
    ]
    return _respond_list(call, records)


def create_variation(call: Call) -> Response:
    check_body(call.body, VARIATION_SCHEMA)
    parent_id = call.path_int("product_id")
    record = catalog.create_variation(call.state, parent_id, call.body)
    return item_response(
        shapes.variation(call.state, record),
        status=201,
        location=f"{PREFIX}/products/{parent_id}/variations/{record.id}",
    )


def get_variation(call: Call) -> Response:
    record = catalog.get_variation(call.state, call.path_int("product_id"), call.path_int("id"))
    return item_response(shapes.variation(call.state, record))


def update_variation(call: Call) -> Response:
    check_body(call.body, VARIATION_SCHEMA)
    record = catalog.update_variation(
        call.state, call.path_int("product_id"), call.path_int("id"), call.body
    )
    return item_response(shapes.variation(call.state, record))


def delete_variation(call: Call) -> Response:
    return item_response(
        catalog.delete_variation(
            call.state, call.path_int("product_id"), call.path_int("id"), force=call.flag("force")
        )
    )


def batch_variations(call: Call) -> Response:
    state, parent_id = call.state, call.path_int("product_id")
    catalog.get_product(state, parent_id)
    return _batch(
        call.body,
        create=lambda item: shapes.variation(
            state, catalog.create_variation(state, parent_id, item)
        ),
        update=lambda item: shapes.variation(
            state, catalog.update_variation(state, parent_id, _item_id(item), item)
        ),
        delete=lambda item_id: catalog.delete_variation(state, parent_id, item_id, force=True),
    )


def _item_id(item: Mapping[str, Any]) -> int:
    return catalog.lenient_int(item.get("id")) or 0


def _batch(
    body: Mapping[str, Any],
    *,
    create: Callable[[Mapping[str, Any]], dict[str, Any]],
    update: Callable[[Mapping[str, Any]], dict[str, Any]],
    delete: Callable[[int], dict[str, Any]],
) -> Response:
    """``WC_REST_Controller::batch_items``: each item runs on its own; failures are listed."""
    require_batch_limit(body)
    result: dict[str, list[dict[str, Any]]] = {}
    for raw in body.get("create") or []:
        item = raw if isinstance(raw, dict) else {}
        result.setdefault("create", []).append(_attempt(create, item, 0))
    for raw in body.get("update") or []:
        item = raw if isinstance(raw, dict) else {}
        result.setdefault("update", []).append(_attempt(update, item, item.get("id")))
    for raw_id in body.get("delete") or []:
        item_id = catalog.lenient_int(raw_id) or 0
        if item_id:
            result.setdefault("delete", []).append(_attempt(delete, item_id, item_id))
    return item_response(result)


def _attempt(action: Callable[[A], dict[str, Any]], arg: A, item_id: object) -> dict[str, Any]:
    try:
        return action(arg)
    except WooError as error:
        return error_entry(item_id, error)


ROUTES = [
    Route(f"{PREFIX}/products", endpoint("collection", list_products), methods=["GET"]),
    Route(f"{PREFIX}/products", endpoint("collection", create_product), methods=["POST"]),
    Route(
        f"{PREFIX}/products/batch",
        endpoint("batch", batch_products),
        methods=["POST", "PUT", "PATCH"],
    ),
    Route(f"{PREFIX}/products/{{id:int}}", endpoint("item", get_product), methods=["GET"]),
    Route(
        f"{PREFIX}/products/{{id:int}}",
        endpoint("item", update_product),
        methods=["POST", "PUT", "PATCH"],
    ),
    Route(f"{PREFIX}/products/{{id:int}}", endpoint("item", delete_product), methods=["DELETE"]),
    Route(
        f"{PREFIX}/products/{{product_id:int}}/variations",
        endpoint("collection", list_variations),
        methods=["GET"],
    ),
    Route(
        f"{PREFIX}/products/{{product_id:int}}/variations",
        endpoint("collection", create_variation),
        methods=["POST"],
    ),
    Route(
        f"{PREFIX}/products/{{product_id:int}}/variations/batch",
        endpoint("batch", batch_variations),
        methods=["POST", "PUT", "PATCH"],
    ),
    Route(
        f"{PREFIX}/products/{{product_id:int}}/variations/{{id:int}}",
        endpoint("item", get_variation),
        methods=["GET"],
    ),
    Route(
        f"{PREFIX}/products/{{product_id:int}}/variations/{{id:int}}",
        endpoint("item", update_variation),
        methods=["POST", "PUT", "PATCH"],
    ),
    Route(
        f"{PREFIX}/products/{{product_id:int}}/variations/{{id:int}}",
        endpoint("item", delete_variation),
        methods=["DELETE"],
    ),
]
