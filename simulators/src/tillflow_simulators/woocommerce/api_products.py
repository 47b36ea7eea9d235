"""``/products``, ``/products/batch`` and ``/products/{id}/variations[...]``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from starlette.responses import Response

from tillflow_simulators.woocommerce import catalog, shapes
from tillflow_simulators.woocommerce.errors import WooError, critical_error
from tillflow_simulators.woocommerce.listing import (
    by_dates,
    by_ids,
    date_key,
    id_key,
    modified_key,
)
from tillflow_simulators.woocommerce.models import PRODUCT_STATUSES, Product, Variation
from tillflow_simulators.woocommerce.params import (
    choice,
    page_of,
    require_batch_limit,
    sort_records,
)
from tillflow_simulators.woocommerce.rest.arguments import refuse_unmodelled_fields
from tillflow_simulators.woocommerce.state import ShopState
from tillflow_simulators.woocommerce.web import (
    Call,
    error_entry,
    item_response,
    list_response,
    route,
)

# The fields of a product or variation the simulator keeps; WooCommerce's schema checks
# their types (``rest``).
STOCKED_FIELDS = ("sku", "global_unique_id", "regular_price", "sale_price", "manage_stock",
                  "stock_quantity", "stock_status", "backorders", "description", "meta_data",
                  "attributes", "virtual", "downloadable", "status")
PRODUCT_FIELDS = (*STOCKED_FIELDS, "name", "slug", "type", "short_description")
VARIATION_FIELDS = (*STOCKED_FIELDS, "menu_order")
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
    if query.get("type"):
        records = [r for r in records if getattr(r, "type", "variation") == query["type"]]
    if query.get("stock_status"):
        records = [r for r in records if r.stock_status == query["stock_status"]]
    return by_ids(by_dates(records, query, call.state.zone), query)


def _respond_list(
    call: Call,
    records: list[Stocked],
    shape: Callable[[ShopState, Stocked], dict[str, Any]] = shapes.stocked,
) -> Response:
    page = page_of(call.query)
    ordered = sort_records(_filtered(call, records), query=call.query, keys=SORT_KEYS)
    shown = [shape(call.state, r) for r in page.slice(ordered)]
    return list_response(call, shown, page=page, total=len(ordered))


def list_products(call: Call) -> Response:
    state = call.state
    records: list[Stocked] = list(state.products.values())
    # A SKU filter searches variations as well (``product_variation`` joins the query).
    if call.query.get("sku"):
        records.extend(state.variations.values())
    return _respond_list(call, records, shapes.listed)


def create_product(call: Call) -> Response:
    record = catalog.create_product(call.state, call.body)
    return item_response(
        shapes.product(call.state, record),
        status=201,
        location=f"{call.state.api_root}/products/{record.id}",
    )


def get_product(call: Call) -> Response:
    state, product_id = call.state, call.path_int("id")
    variation = state.variations.get(product_id)
    if variation is not None:
        return item_response(shapes.variation(state, variation))
    return item_response(shapes.product(state, catalog.get_product(state, product_id)))


def update_product(call: Call) -> Response:
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
        fields=PRODUCT_FIELDS,
    )


def list_variations(call: Call) -> Response:
    # The variations whose parent is the id: none (not a 404) for a product that is gone.
    parent = call.state.products.get(call.path_int("product_id"))
    records: list[Stocked] = [
        call.state.variations[vid]
        for vid in (parent.variation_ids if parent is not None else [])
        if vid in call.state.variations
    ]
    return _respond_list(call, records)


def create_variation(call: Call) -> Response:
    parent_id = call.path_int("product_id")
    _require_parent(call.state, parent_id)
    record = catalog.create_variation(call.state, parent_id, call.body)
    return item_response(
        shapes.variation(call.state, record),
        status=201,
        location=f"{call.state.api_root}/products/{parent_id}/variations/{record.id}",
    )


def get_variation(call: Call) -> Response:
    record = catalog.get_variation(call.state, call.path_int("product_id"), call.path_int("id"))
    return item_response(shapes.variation(call.state, record))


def update_variation(call: Call) -> Response:
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
    _require_parent(state, parent_id)
    return _batch(
        call.body,
        create=lambda item: shapes.variation(
            state, catalog.create_variation(state, parent_id, item)
        ),
        update=lambda item: shapes.variation(
            state, catalog.update_variation(state, parent_id, _item_id(item), item)
        ),
        delete=lambda item_id: catalog.delete_variation(state, parent_id, item_id, force=True),
        fields=VARIATION_FIELDS,
        # The variations controller hands each deletion on as a request of its own, and a
        # failed one is reported with that request for its id.
        deleted_id=lambda item_id: {"id": item_id, "product_id": parent_id, "force": True},
    )


def _require_parent(state: ShopState, parent_id: int) -> None:
    """WooCommerce 10 writes a variation under a product id that does not exist, then dies
    clearing the parent's caches (``clear_transients`` on a null product): a PHP fatal
    error, HTTP 500. The simulator answers the same without keeping the orphan."""
    if parent_id not in state.products:
        raise critical_error()


def _item_id(item: Mapping[str, Any]) -> int:
    return catalog.lenient_int(item.get("id")) or 0


def _batch(
    body: Mapping[str, Any],
    *,
    create: Callable[[Mapping[str, Any]], dict[str, Any]],
    update: Callable[[Mapping[str, Any]], dict[str, Any]],
    delete: Callable[[int], dict[str, Any]],
    fields: tuple[str, ...],
    deleted_id: Callable[[int], object] = lambda item_id: item_id,
) -> Response:
    """``WC_REST_Controller::batch_items``: each item runs on its own; failures are listed.
    Items are not checked against the schema (WooCommerce calls the item handlers
    directly), but a field the simulator does not keep fails its item."""
    require_batch_limit(body)
    result: dict[str, list[dict[str, Any]]] = {}

    def modelled(action: Callable[[Mapping[str, Any]], dict[str, Any]]) -> Callable[
        [Mapping[str, Any]], dict[str, Any]
    ]:
        def run(item: Mapping[str, Any]) -> dict[str, Any]:
            refuse_unmodelled_fields(item, fields)
            return action(item)

        return run

    for raw in body.get("create") or []:
        item = raw if isinstance(raw, dict) else {}
        result.setdefault("create", []).append(_attempt(modelled(create), item, 0))
    for raw in body.get("update") or []:
        item = raw if isinstance(raw, dict) else {}
        result.setdefault("update", []).append(_attempt(modelled(update), item, item.get("id")))
    for raw_id in body.get("delete") or []:
        item_id = catalog.lenient_int(raw_id) or 0
        if item_id:
            result.setdefault("delete", []).append(
                _attempt(delete, item_id, deleted_id(item_id))
            )
    return item_response(result)


def _attempt(action: Callable[[A], dict[str, Any]], arg: A, item_id: object) -> dict[str, Any]:
    try:
        return action(arg)
    except WooError as error:
        return error_entry(item_id, error)


_PRODUCT = "/wc/v3/products"
_ITEM = r"/wc/v3/products/(?P<id>[\d]+)"
_VARIATIONS = r"/wc/v3/products/(?P<product_id>[\d]+)/variations"
_VARIATION = r"/wc/v3/products/(?P<product_id>[\d]+)/variations/(?P<id>[\d]+)"
LISTED = ("context", "page", "per_page", "after", "before", "modified_after",
          "modified_before", "dates_are_gmt", "exclude", "include", "order", "orderby",
          "status", "sku", "stock_status")
ROUTES = [
    route(_PRODUCT, ["GET"], "collection", list_products, modelled=(*LISTED, "type")),
    route(_PRODUCT, ["POST"], "collection", create_product, modelled=PRODUCT_FIELDS),
    route(f"{_PRODUCT}/batch", ["POST", "PUT", "PATCH"], "batch", batch_products,
          modelled=PRODUCT_FIELDS),
    route(_ITEM, ["GET"], "item", get_product, modelled=("context",)),
    route(_ITEM, ["POST", "PUT", "PATCH"], "item", update_product, modelled=PRODUCT_FIELDS),
    route(_ITEM, ["DELETE"], "item", delete_product, modelled=("force",)),
    route(_VARIATIONS, ["GET"], "collection", list_variations, modelled=LISTED),
    route(_VARIATIONS, ["POST"], "collection", create_variation, modelled=VARIATION_FIELDS),
    route(f"{_VARIATIONS}/batch", ["POST", "PUT", "PATCH"], "batch", batch_variations,
          modelled=VARIATION_FIELDS),
    route(_VARIATION, ["GET"], "item", get_variation, modelled=("context",)),
    route(_VARIATION, ["POST", "PUT", "PATCH"], "item", update_variation,
          modelled=VARIATION_FIELDS),
    route(_VARIATION, ["DELETE"], "item", delete_variation, modelled=("force",)),
]
