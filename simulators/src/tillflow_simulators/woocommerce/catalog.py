"""Products and variations: create, update, trash or delete, and stock.

Callers hold ``state.lock``. Each change bumps ``date_modified`` (to the second, as
WordPress keeps it) and announces ``product.created|updated|deleted``; a variation's
changes are announced on the ``product`` topics too, as WooCommerce does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tillflow_simulators.woocommerce import shapes
from tillflow_simulators.woocommerce.errors import WooError, invalid_id
from tillflow_simulators.woocommerce.models import Meta, Product, Stocked, Variation
from tillflow_simulators.woocommerce.state import ShopEvent, ShopState
from tillflow_simulators.woocommerce.wcformat import price_text

_GTIN_CHARACTERS = re.compile(r"^[0-9\-]*$")


def lenient_int(value: object) -> int | None:
    """PHP's ``intval`` on the values a client may send; None stays None."""
    if value is None or value == "":
        return None
    try:
        return int(float(str(value)))
    except ValueError:
        return 0


def get_product(state: ShopState, product_id: int, *, status: int = 404) -> Product:
    record = state.products.get(product_id)
    if record is None:
        raise invalid_id("product", status=status)
    return record


def get_variation(
    state: ShopState, parent_id: int, variation_id: int, *, status: int = 404
) -> Variation:
    record = state.variations.get(variation_id)
    if record is None or record.parent_id != parent_id:
        raise invalid_id("product_variation", status=status)
    return record


def create_product(state: ShopState, body: Mapping[str, Any]) -> Product:
    if body.get("id"):
        raise WooError("woocommerce_rest_product_exists", "Cannot create existing product.", 400)
    now = state.now()
    record = Product(id=state.next_post_id(), date_created=now, date_modified=now)
    _apply_product(state, record, body)
    record.previous_status = record.status
    state.products[record.id] = record
    _announce(state, "created", record)
    return record


def update_product(state: ShopState, product_id: int, body: Mapping[str, Any]) -> Product:
    record = get_product(state, product_id, status=400)
    _apply_product(state, record, body)
    record.date_modified = state.now()
    _announce(state, "updated", record)
    return record


def delete_product(state: ShopState, product_id: int, *, force: bool) -> dict[str, Any]:
    record = get_product(state, product_id)
    shown = shapes.product(state, record)
    if force:
        for variation_id in record.variation_ids:
            state.variations.pop(variation_id, None)
        del state.products[product_id]
        return shown
    _trash(state, record)
    return shapes.product(state, record)


def create_variation(state: ShopState, parent_id: int, body: Mapping[str, Any]) -> Variation:
    parent = get_product(state, parent_id)
    if body.get("id"):
        raise WooError(
            "woocommerce_rest_product_variation_exists",
            "Cannot create existing product_variation.",
            400,
        )
    now = state.now()
    record = Variation(
        id=state.next_post_id(), parent_id=parent.id, date_created=now, date_modified=now
    )
    _apply_variation(state, record, body)
    record.previous_status = record.status
    state.variations[record.id] = record
    parent.variation_ids.append(record.id)
    _announce(state, "created", record)
    return record


def update_variation(
    state: ShopState, parent_id: int, variation_id: int, body: Mapping[str, Any]
) -> Variation:
    record = get_variation(state, parent_id, variation_id, status=400)
    _apply_variation(state, record, body)
    record.date_modified = state.now()
    _announce(state, "updated", record)
    return record


def delete_variation(
    state: ShopState, parent_id: int, variation_id: int, *, force: bool
) -> dict[str, Any]:
    record = get_variation(state, parent_id, variation_id)
    shown = shapes.variation(state, record)
    if force:
        del state.variations[variation_id]
        parent = state.products.get(parent_id)
        if parent is not None and variation_id in parent.variation_ids:
            parent.variation_ids.remove(variation_id)
        return shown
    _trash(state, record)
    return shapes.variation(state, record)


def _trash(state: ShopState, record: Product | Variation) -> None:
    if record.status == "trash":
        kind = "product_variation" if isinstance(record, Variation) else "product"
        raise WooError(
            "woocommerce_rest_already_trashed", f"The {kind} has already been deleted.", 410
        )
    record.previous_status = record.status
    record.status = "trash"
    record.date_modified = state.now()
    # A trashed post is what ``product.deleted`` reports; a forced delete reports nothing.
    state.emit(ShopEvent("product", "deleted", record.id, {"id": record.id}))


def stock_owner(state: ShopState, record: Product | Variation) -> Product | Variation | None:
    """The record whose ``stock_quantity`` an order of ``record`` changes, if any."""
    if record.manage_stock:
        return record
    if isinstance(record, Variation):
        parent = state.products.get(record.parent_id)
        if parent is not None and parent.manage_stock:
            return parent
    return None


def change_stock(state: ShopState, record: Product | Variation, delta: int) -> int | None:
    """Add ``delta`` to the managed stock behind ``record``; the new quantity, if managed.

    Like ``wc_update_product_stock``, this neither touches ``date_modified`` nor
    announces ``product.updated`` (woocommerce#40060): only the order is announced.
    """
    owner = stock_owner(state, record)
    if owner is None:
        return None
    owner.stock_quantity = (owner.stock_quantity or 0) + delta
    refresh_stock_status(owner)
    return owner.stock_quantity


def set_stock(
    state: ShopState, record: Product | Variation, quantity: int, *, announce: bool
) -> None:
    """Set stock directly; ``announce`` makes it look like an edit in the shop's admin."""
    record.manage_stock = True
    record.stock_quantity = quantity
    refresh_stock_status(record)
    if announce:
        record.date_modified = state.now()
        _announce(state, "updated", record)


def refresh_stock_status(record: Stocked) -> None:
    if not record.manage_stock or record.stock_quantity is None:
        return
    if record.stock_quantity > 0:
        record.stock_status = "instock"
    elif record.backorders != "no":
        record.stock_status = "onbackorder"
    else:
        record.stock_status = "outofstock"


def _announce(state: ShopState, event: str, record: Product | Variation) -> None:
    state.emit(ShopEvent("product", event, record.id, shapes.stocked(state, record)))


def _apply_product(state: ShopState, record: Product, body: Mapping[str, Any]) -> None:
    if "name" in body:
        record.name = str(body["name"] or "")
        record.slug = record.slug or _slug(record.name, record.id)
    if body.get("slug"):
        record.slug = _slug(str(body["slug"]), record.id)
    if "type" in body:
        record.type = str(body["type"])
    if "short_description" in body:
        record.short_description = str(body["short_description"] or "")
    if "attributes" in body and isinstance(body["attributes"], list):
        record.attributes = [_product_attribute(i, a) for i, a in enumerate(body["attributes"])]
    _apply_stocked(state, record, body)


def _apply_variation(state: ShopState, record: Variation, body: Mapping[str, Any]) -> None:
    if "attributes" in body and isinstance(body["attributes"], list):
        record.attributes = [
            {
                "id": int(a.get("id", 0) or 0),
                "name": str(a.get("name", "")),
                "slug": _slug(str(a.get("name", "")), 0),
                "option": str(a.get("option", "")),
            }
            for a in body["attributes"]
            if isinstance(a, dict)
        ]
    if "menu_order" in body:
        record.menu_order = lenient_int(body["menu_order"]) or 0
    _apply_stocked(state, record, body)


def _apply_stocked(state: ShopState, record: Stocked, body: Mapping[str, Any]) -> None:
    if "sku" in body:
        _set_sku(state, record, str(body["sku"] or "").strip())
    if "global_unique_id" in body:
        _set_gtin(state, record, str(body["global_unique_id"] or "").strip())
    if "regular_price" in body:
        record.regular_price = price_text(body["regular_price"], param="regular_price")
    if "sale_price" in body:
        record.sale_price = price_text(body["sale_price"], param="sale_price")
    for name in ("status", "description"):
        if body.get(name) is not None:
            setattr(record, name, str(body[name]))
    for name in ("virtual", "downloadable"):
        if name in body:
            setattr(record, name, body[name] in (True, "true", "1", 1, "yes"))
    # The products controller touches stock only while the shop manages stock; then a
    # product that does not manage its own loses any figure it had.
    if isinstance(record, Product) and not state.settings.manage_stock:
        if body.get("stock_status"):
            record.stock_status = str(body["stock_status"])
    else:
        _apply_stock(record, body)
    if isinstance(body.get("meta_data"), list):
        apply_meta(state, record.meta_data, body["meta_data"])
    refresh_stock_status(record)


def _apply_stock(record: Stocked, body: Mapping[str, Any]) -> None:
    if "manage_stock" in body:
        record.manage_stock = body["manage_stock"] in (True, "true", "1", 1, "yes")
    if body.get("backorders") is not None:
        record.backorders = str(body["backorders"])
    if not record.manage_stock:
        record.stock_quantity = None
        if body.get("stock_status"):
            record.stock_status = str(body["stock_status"])
    elif "stock_quantity" in body:
        record.stock_quantity = lenient_int(body["stock_quantity"])


def _set_sku(state: ShopState, record: Stocked, sku: str) -> None:
    owner = state.stocked_by_sku(sku) if sku else None
    if owner is not None and owner.id != record.id:
        raise WooError(
            "product_invalid_sku",
            "Invalid or duplicated SKU.",
            400,
            data={"resource_id": owner.id, "unique_sku": f"{sku}-1"},
        )
    record.sku = sku


def _set_gtin(state: ShopState, record: Stocked, gtin: str) -> None:
    taken = gtin and any(
        other.global_unique_id == gtin and other.id != record.id and other.status != "trash"
        for other in (*state.products.values(), *state.variations.values())
    )
    if taken or not _GTIN_CHARACTERS.match(gtin):
        raise WooError(
            "product_invalid_global_unique_id",
            "Invalid or duplicated GTIN, UPC, EAN or ISBN.",
            400,
        )
    record.global_unique_id = gtin


def apply_meta(state: ShopState, entries: list[Meta], posted: list[Any]) -> None:
    """``update_meta_data``: by id when given, else replace the key's value, else add."""
    for item in posted:
        if not isinstance(item, dict) or "key" not in item:
            continue
        key, value = str(item["key"]), item.get("value")
        found = next(
            (m for m in entries if (item.get("id") and m.id == item["id"]) or m.key == key),
            None,
        )
        if found is not None and value is None:
            entries.remove(found)
        elif found is not None:
            found.key, found.value = key, value
        elif value is not None:
            entries.append(Meta(state.next_id("meta"), key, value))


def _product_attribute(position: int, raw: Any) -> dict[str, Any]:
    source = raw if isinstance(raw, dict) else {}
    return {
        "id": int(source.get("id", 0) or 0),
        "name": str(source.get("name", "")),
        # A custom attribute's slug is its name as given.
        "slug": str(source.get("name", "")),
        "position": int(source.get("position", position) or 0),
        "visible": bool(source.get("visible", True)),
        "variation": bool(source.get("variation", False)),
        # WooCommerce keeps a custom attribute's options as one text joined by "|"
        # (``WC_DELIMITER``), so an option holding one becomes two.
        "options": [
            part.strip()
            for option in source.get("options", [])
            for part in str(option).split("|")
            if part.strip()
        ],
    }


def _slug(text: str, fallback: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or str(fallback)
