"""Products, variants and inventory items: queries and the product mutations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from graphql import GraphQLError

from tillflow_simulators.shopify import search
from tillflow_simulators.shopify.gql_support import (
    DEFAULT_SORT_KEYS,
    Info,
    InputShape,
    Resolver,
    lookup,
    record_connection,
    refuse_unmodelled,
    store_of,
    takes,
    user_error,
)
from tillflow_simulators.shopify.model import (
    InventoryChange,
    InventoryItem,
    Product,
    ProductVariant,
    parse_gid,
)
from tillflow_simulators.shopify.pagination import MAX_PAGE_SIZE
from tillflow_simulators.shopify.store import ShopStore

PRODUCT_FIELDS: search.Fields = {
    "id": lambda p: p.number,
    "title": lambda p: p.title,
    "handle": lambda p: p.handle,
    "status": lambda p: p.status,
    "vendor": lambda p: p.vendor,
    "product_type": lambda p: p.product_type,
    "sku": lambda p: [v.sku for v in p.variants],
    "barcode": lambda p: [v.barcode for v in p.variants],
    "created_at": lambda p: p.created_at,
    "updated_at": lambda p: p.updated_at,
}
VARIANT_FIELDS: search.Fields = {
    "id": lambda v: v.number,
    "sku": lambda v: v.sku,
    "barcode": lambda v: v.barcode,
    "title": lambda v: v.title,
    "product_id": lambda v: v.product.number if v.product else None,
    "created_at": lambda v: v.created_at,
    "updated_at": lambda v: v.updated_at,
}
ITEM_FIELDS: search.Fields = {
    "id": lambda i: i.number,
    "sku": lambda i: i.sku,
    "created_at": lambda i: i.created_at,
    "updated_at": lambda i: i.updated_at,
}
PRODUCT_SORT = {
    **DEFAULT_SORT_KEYS,
    "TITLE": lambda p: p.title,
    "VENDOR": lambda p: p.vendor,
    "PRODUCT_TYPE": lambda p: p.product_type,
    "INVENTORY_TOTAL": lambda p: p.total_inventory,
}
VARIANT_SORT = {
    **DEFAULT_SORT_KEYS,
    "SKU": lambda v: v.sku or "",
    "TITLE": lambda v: v.title,
    "POSITION": lambda v: v.position,
}
# The input fields each mutation models; any other field set is refused.
PRODUCT_INPUT: InputShape = dict.fromkeys(
    ("title", "handle", "status", "vendor", "productType", "descriptionHtml", "tags")
)
VARIANT_INPUT: InputShape = {
    **dict.fromkeys(("id", "barcode", "price", "compareAtPrice", "taxable")),
    "inventoryItem": dict.fromkeys(("sku", "tracked", "requiresShipping")),
    "inventoryQuantities": dict.fromkeys(("availableQuantity", "locationId")),
    "optionValues": dict.fromkeys(("name", "optionName")),
}


def check_input_size(values: list[Any], argument: str) -> None:
    if len(values) > MAX_PAGE_SIZE:
        raise GraphQLError(
            f"The input array size of {len(values)} is greater than the maximum allowed of "
            f"{MAX_PAGE_SIZE}.",
            extensions={"code": "MAX_INPUT_SIZE_EXCEEDED", "argument": argument},
        )


def resolve_products(_: Any, info: Info, **args: Any) -> dict[str, Any]:
    store = store_of(info)
    return record_connection(
        store.products.values(),
        args,
        fields=PRODUCT_FIELDS,
        text_fields=("title", "sku"),
        sort_keys=PRODUCT_SORT,
    )


def resolve_products_count(_: Any, info: Info, query: str | None = None) -> Any:
    products = store_of(info).products.values()
    terms = search.parse(query)
    count = sum(1 for p in products if search.matches(p, terms, PRODUCT_FIELDS, ("title",)))
    return {"count": count, "precision": "EXACT"}


def resolve_variants(_: Any, info: Info, **args: Any) -> dict[str, Any]:
    return record_connection(
        store_of(info).variants.values(),
        args,
        fields=VARIANT_FIELDS,
        text_fields=("sku", "title"),
        sort_keys=VARIANT_SORT,
    )


def resolve_product_variants(product: Product, _: Info, **args: Any) -> Any:
    return record_connection(product.variants, args, sort_keys=VARIANT_SORT)


def resolve_items(_: Any, info: Info, **args: Any) -> dict[str, Any]:
    return record_connection(
        store_of(info).items.values(), args, fields=ITEM_FIELDS, text_fields=("sku",)
    )


def resolve_item_levels(item: InventoryItem, _: Info, **args: Any) -> Any:
    return record_connection(item.levels.values(), args)


def resolve_item_variants(item: InventoryItem, _: Info, **args: Any) -> Any:
    return record_connection([item.variant] if item.variant else [], args)


def resolve_item_level(item: InventoryItem, _: Info, locationId: str) -> Any:  # noqa: N803
    number = parse_gid(locationId, "Location")
    return item.levels.get(number) if number is not None else None


def product_create(_: Any, info: Info, product: dict[str, Any] | None = None) -> Any:
    refuse_unmodelled(info, "product", product, PRODUCT_INPUT)
    fields = product or {}
    title = (fields.get("title") or "").strip()
    if not title:
        return {"product": None, "userErrors": [user_error("Title can't be blank", ["title"])]}
    created = store_of(info).create_product(
        title=title,
        handle=fields.get("handle"),
        status=fields.get("status") or "ACTIVE",
        vendor=fields.get("vendor") or "",
        product_type=fields.get("productType") or "",
        description_html=fields.get("descriptionHtml") or "",
        tags=fields.get("tags") or [],
    )
    return {"product": created, "userErrors": []}


def product_update(_: Any, info: Info, product: dict[str, Any] | None = None) -> Any:
    refuse_unmodelled(info, "product", product, {**PRODUCT_INPUT, "id": None})
    fields = product or {}
    store = store_of(info)
    found = lookup(store.products, fields.get("id"), "Product")
    if found is None:
        return {"product": None, "userErrors": [user_error("Product does not exist", ["id"])]}
    if "title" in fields and not (fields["title"] or "").strip():
        return {"product": None, "userErrors": [user_error("Title can't be blank", ["title"])]}
    names = {
        "title": "title",
        "status": "status",
        "vendor": "vendor",
        "productType": "product_type",
        "descriptionHtml": "description_html",
        "tags": "tags",
    }
    with store.lock:
        for name, attribute in names.items():
            if name in fields and fields[name] is not None:
                setattr(found, attribute, fields[name])
        if fields.get("handle") is not None:
            store.rehandle(found, fields["handle"])
        store.product_changed(found)
    return {"product": found, "userErrors": []}


def _variant_errors(variant: dict[str, Any], index: int) -> list[dict[str, Any]]:
    errors = []
    for name in ("price", "compareAtPrice"):
        value = variant.get(name)
        if value is not None and Decimal(value) < 0:
            errors.append(
                user_error(
                    "Price must be greater than or equal to 0",
                    ["variants", str(index), name],
                    "GREATER_THAN_OR_EQUAL_TO",
                )
            )
    return errors


def apply_variant_fields(variant: ProductVariant, fields: dict[str, Any]) -> None:
    if "barcode" in fields:
        variant.barcode = fields["barcode"]
    if fields.get("price") is not None:
        variant.price = Decimal(fields["price"])
    if "compareAtPrice" in fields:
        value = fields["compareAtPrice"]
        variant.compare_at_price = Decimal(value) if value is not None else None
    if fields.get("taxable") is not None:
        variant.taxable = fields["taxable"]
    item_fields = fields.get("inventoryItem") or {}
    if variant.inventory_item is not None:
        if "sku" in item_fields:
            variant.inventory_item.sku = item_fields["sku"]
        if item_fields.get("tracked") is not None:
            variant.inventory_item.tracked = item_fields["tracked"]
        if item_fields.get("requiresShipping") is not None:
            variant.inventory_item.requires_shipping = item_fields["requiresShipping"]
    chosen = [o for o in fields.get("optionValues") or [] if o.get("name")]
    if chosen:
        variant.title = " / ".join(o["name"] for o in chosen)
        variant.selected_options = [{"name": o.get("optionName") or "", "value": o["name"]}
                                    for o in chosen]


@takes("productId", "variants", "strategy")
def variants_bulk_create(_: Any, info: Info, **args: Any) -> Any:
    variants: list[dict[str, Any]] = args["variants"]
    refuse_unmodelled(info, "variants", variants, VARIANT_INPUT)
    check_input_size(variants, "variants")
    store = store_of(info)
    product = lookup(store.products, args["productId"], "Product")
    if product is None:
        error = user_error("Product does not exist", ["productId"], "PRODUCT_DOES_NOT_EXIST")
        return {"product": None, "productVariants": None, "userErrors": [error]}
    errors = [e for index, v in enumerate(variants) for e in _variant_errors(v, index)]
    errors += _location_errors(store, variants)
    if errors:
        return {"product": None, "productVariants": None, "userErrors": errors}
    with store.lock:
        standalone = [v for v in product.variants if v.standalone]
        created, changes = [], []
        for fields in variants:
            variant = store.add_variant(
                product, title=f"Variant {len(product.variants) + 1}", announce=False
            )
            apply_variant_fields(variant, fields)
            changes += initial_quantities(store, variant, fields.get("inventoryQuantities") or [])
            created.append(variant)
        if args.get("strategy") != "PRESERVE_STANDALONE_VARIANT":
            for variant in standalone:
                store.remove_variant(variant)
        store.product_changed(product)
        if changes:
            store.record_adjustment(
                reason="correction", reference_document_uri=None, changes=changes
            )
    return {"product": product, "productVariants": created, "userErrors": []}


def _location_errors(store: ShopStore, variants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    errors = []
    for index, fields in enumerate(variants):
        for position, level in enumerate(fields.get("inventoryQuantities") or []):
            if lookup(store.locations, level["locationId"], "Location") is None:
                path = ["variants", str(index), "inventoryQuantities", str(position), "locationId"]
                errors.append(user_error("Location does not exist", path, "INVALID_INPUT"))
    return errors


def initial_quantities(
    store: ShopStore, variant: ProductVariant, levels: list[dict[str, Any]]
) -> list[InventoryChange]:
    changes = []
    assert variant.inventory_item is not None
    for entry in levels:
        location = lookup(store.locations, entry["locationId"], "Location")
        assert location is not None
        level = store.stock_at(variant.inventory_item, location)
        delta = entry["availableQuantity"] - level.quantity("available")
        changes.append(store.change_quantity(level, "available", delta, ledger_document_uri=None))
    return changes


@takes("productId", "variants", "allowPartialUpdates")
def variants_bulk_update(_: Any, info: Info, **args: Any) -> Any:
    variants: list[dict[str, Any]] = args["variants"]
    refuse_unmodelled(info, "variants", variants, VARIANT_INPUT)
    check_input_size(variants, "variants")
    store = store_of(info)
    product = lookup(store.products, args["productId"], "Product")
    if product is None:
        error = user_error("Product does not exist", ["productId"], "PRODUCT_DOES_NOT_EXIST")
        return {"product": None, "productVariants": None, "userErrors": [error]}
    targets, errors = _update_targets(product, variants)
    if errors and not args.get("allowPartialUpdates"):
        return {"product": None, "productVariants": None, "userErrors": errors}
    with store.lock:
        for variant, fields in targets:
            apply_variant_fields(variant, fields)
            store.touch(variant)
        if targets:
            store.product_changed(product)
    return {"product": product, "productVariants": [v for v, _ in targets], "userErrors": errors}


def _update_targets(
    product: Product, variants: list[dict[str, Any]]
) -> tuple[list[tuple[ProductVariant, dict[str, Any]]], list[dict[str, Any]]]:
    by_id = {v.id: v for v in product.variants}
    targets, errors = [], []
    for index, fields in enumerate(variants):
        path = ["variants", str(index)]
        if not fields.get("id"):
            errors.append(
                user_error(
                    "Product variant is missing ID attribute",
                    [*path, "id"],
                    "PRODUCT_VARIANT_ID_MISSING",
                )
            )
        elif fields["id"] not in by_id:
            errors.append(
                user_error(
                    "Product variant does not exist",
                    [*path, "id"],
                    "PRODUCT_VARIANT_DOES_NOT_EXIST",
                )
            )
        elif fields.get("inventoryQuantities"):
            errors.append(
                user_error(
                    "Inventory quantities can only be provided during create. To update inventory "
                    "for existing variants, use inventoryAdjustQuantities.",
                    [*path, "inventoryQuantities"],
                    "NO_INVENTORY_QUANTITIES_ON_VARIANTS_UPDATE",
                )
            )
        else:
            variant_errors = _variant_errors(fields, index)
            errors += variant_errors
            if not variant_errors:
                targets.append((by_id[fields["id"]], fields))
    return targets, errors


def _by_id(kind: str, collection: str) -> Resolver:
    def resolve(_: Any, info: Info, id: str) -> Any:
        return lookup(getattr(store_of(info), collection), id, kind)

    return resolve


RESOLVERS: dict[str, Resolver] = {
    "Query.product": _by_id("Product", "products"),
    "Query.products": resolve_products,
    "Query.productsCount": resolve_products_count,
    "Query.productVariant": _by_id("ProductVariant", "variants"),
    "Query.productVariants": resolve_variants,
    "Query.inventoryItem": _by_id("InventoryItem", "items"),
    "Query.inventoryItems": resolve_items,
    "Product.variants": resolve_product_variants,
    "InventoryItem.inventoryLevels": resolve_item_levels,
    "InventoryItem.variants": resolve_item_variants,
    "InventoryItem.inventoryLevel": resolve_item_level,
    "Mutation.productCreate": product_create,
    "Mutation.productUpdate": product_update,
    "Mutation.productVariantsBulkCreate": variants_bulk_create,
    "Mutation.productVariantsBulkUpdate": variants_bulk_update,
}
