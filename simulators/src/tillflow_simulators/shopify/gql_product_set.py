"""``productSet``: the declarative upsert of a product with its options and variants.

The product is found by ``identifier`` (``id`` or ``handle``; with a handle the input
must carry the same one, and a handle no product has creates one) or, as before
``identifier`` existed, by ``input.id``. The variants given become the product's whole
list: one matched by ``id`` or by its option values is updated, any other is created, and
a variant left out is deleted. Errors carry the schema's ``ProductSetUserErrorCode``
values; nothing is written when there is one. Only the synchronous form is modelled.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow_simulators.shopify import payloads
from tillflow_simulators.shopify.gql_catalog import apply_variant_fields, initial_quantities
from tillflow_simulators.shopify.gql_support import (
    Info,
    InputShape,
    NotModelled,
    Resolver,
    lookup,
    refuse_unmodelled,
    store_of,
    takes,
    user_error,
)
from tillflow_simulators.shopify.model import Product, ProductOption, ProductVariant
from tillflow_simulators.shopify.store import ShopStore

# Shopify's documented limits: 3 options a product, 2,048 variants a product and 50,000
# inventory quantities a mutation (ProductSetInput.productOptions and
# ProductVariantSetInput.inventoryQuantities in the schema).
MAX_OPTIONS = 3
MAX_VARIANTS = 2048
MAX_QUANTITIES = 50_000
QUANTITY_NAMES = ("available", "on_hand")

SET_INPUT: InputShape = {
    **dict.fromkeys(("id", "title", "handle", "status", "vendor", "productType",
                     "descriptionHtml", "tags")),
    "productOptions": {"name": None, "position": None, "values": {"name": None}},
    "variants": {
        **dict.fromkeys(("id", "sku", "barcode", "price", "compareAtPrice", "taxable")),
        "inventoryItem": dict.fromkeys(("sku", "tracked", "requiresShipping")),
        "inventoryQuantities": dict.fromkeys(("locationId", "name", "quantity")),
        "optionValues": dict.fromkeys(("optionName", "name")),
    },
}
PRODUCT_FIELDS = {"title": "title", "status": "status", "vendor": "vendor",
                  "productType": "product_type", "descriptionHtml": "description_html",
                  "tags": "tags"}

Errors = list[dict[str, Any]]


def _error(message: str, path: list[str], code: str) -> dict[str, Any]:
    return user_error(message, path, code)


@takes("input", "identifier", "synchronous")
def product_set(_: Any, info: Info, **args: Any) -> Any:
    if args.get("synchronous") is False:
        raise NotModelled("productSet(synchronous: false)")
    fields: dict[str, Any] = args["input"]
    refuse_unmodelled(info, "input", fields, SET_INPUT)
    identifier: dict[str, Any] = args.get("identifier") or {}
    if identifier.get("customId") is not None:
        raise NotModelled("productSet(identifier: {customId})")
    store = store_of(info)
    with store.lock:
        product, errors = _target(store, identifier, fields)
        errors = errors or _input_errors(store, product, fields)
        if errors:
            return {"product": None, "productSetOperation": None, "userErrors": errors}
        saved = _save(store, product, fields)
    return {"product": saved, "productSetOperation": None, "userErrors": []}


def _target(store: ShopStore, identifier: dict[str, Any],
            fields: dict[str, Any]) -> tuple[Product | None, Errors]:
    """The product to update (None: create one), or why there is none."""
    if identifier and fields.get("id") is not None:
        message = "The id field is not allowed if identifier is provided."
        return None, [_error(message, ["input", "id"], "ID_NOT_ALLOWED")]
    if identifier.get("handle") is not None:
        if fields.get("handle") is None:
            message = "The input field corresponding to the identifier is required."
            return None, [_error(message, ["input", "handle"], "MISSING_FIELD_REQUIRED")]
        if fields["handle"] != identifier["handle"]:
            message = "The identifier value does not match the value of the input field."
            return None, [_error(message, ["input", "handle"], "INPUT_MISMATCH")]
        return store.product_by_handle(identifier["handle"]), []
    wanted = identifier.get("id") or fields.get("id")
    if wanted is None:
        return None, []
    found = lookup(store.products, wanted, "Product")
    if found is None:
        path = ["identifier", "id"] if identifier else ["input", "id"]
        return None, [_error("Product does not exist", path, "PRODUCT_DOES_NOT_EXIST")]
    return found, []


def _input_errors(store: ShopStore, product: Product | None, fields: dict[str, Any]) -> Errors:
    if product is None and not (fields.get("title") or "").strip():
        return [_error("Title can't be blank", ["input", "title"], "INVALID_PRODUCT")]
    options = fields.get("productOptions")
    variants = fields.get("variants")
    if variants is not None and options is None:
        return [_error("Must specify product options when updating variants.",
                       ["input", "productOptions"], "PRODUCT_OPTIONS_INPUT_MISSING")]
    if options is not None and variants is None:
        return [_error("Must specify variants when updating options.",
                       ["input", "variants"], "VARIANTS_INPUT_MISSING")]
    if options is None or variants is None:
        return []
    return _option_errors(options) or _variant_errors(store, product, options, variants)


def _option_errors(options: list[dict[str, Any]]) -> Errors:
    if len(options) > MAX_OPTIONS:
        return [_error(f"Product can have a maximum of {MAX_OPTIONS} options.",
                       ["input", "productOptions"], "OPTIONS_OVER_LIMIT")]
    errors: Errors = []
    seen: set[str] = set()
    for index, option in enumerate(options):
        path = ["input", "productOptions", str(index)]
        name = (option.get("name") or "").strip()
        if name.lower() in seen:
            errors.append(_error(f"Duplicated option name '{name}'.", [*path, "name"],
                                 "DUPLICATED_OPTION_NAME"))
        seen.add(name.lower())
        values = [v.get("name") for v in option.get("values") or []]
        if not values:
            errors.append(_error("Each option must have at least one option value specified.",
                                 [*path, "values"], "OPTION_VALUES_MISSING"))
        if len({str(v).lower() for v in values}) != len(values):
            errors.append(_error(f"Duplicated option value for option '{name}'.",
                                 [*path, "values"], "DUPLICATED_OPTION_VALUE"))
    return errors


def _variant_errors(store: ShopStore, product: Product | None, options: list[dict[str, Any]],
                    variants: list[dict[str, Any]]) -> Errors:
    if len(variants) > MAX_VARIANTS:
        return [_error(f"Product can have a maximum of {MAX_VARIANTS} variants.",
                       ["input", "variants"], "VARIANTS_OVER_LIMIT")]
    if sum(len(v.get("inventoryQuantities") or []) for v in variants) > MAX_QUANTITIES:
        return [_error("Inventory quantity input exceeds the limit of 50000.",
                       ["input", "variants"], "INVENTORY_QUANTITIES_LIMIT_EXCEEDED")]
    allowed = {o["name"]: {v["name"] for v in o["values"]} for o in options}
    own = {v.id for v in product.variants} if product else set()
    errors: Errors = []
    titles: set[str] = set()
    for index, variant in enumerate(variants):
        path = ["input", "variants", str(index)]
        errors += _values_errors(variant.get("optionValues") or [], allowed, path)
        title = _title(options, variant)
        if title in titles:
            errors.append(_error(f"The variant '{title}' already exists.", path,
                                 "INVALID_VARIANT"))
        titles.add(title)
        if variant.get("id") is not None and variant["id"] not in own:
            errors.append(_error("Product variant does not exist", [*path, "id"],
                                 "PRODUCT_VARIANT_DOES_NOT_EXIST"))
        if variant.get("price") is not None and Decimal(variant["price"]) < 0:
            errors.append(_error("Price must be greater than or equal to 0",
                                 [*path, "price"], "INVALID_VARIANT"))
        errors += _quantity_errors(store, variant.get("inventoryQuantities") or [], path)
    return errors


def _values_errors(values: list[dict[str, Any]], allowed: dict[str, set[str]],
                   path: list[str]) -> Errors:
    errors: Errors = []
    named = [v.get("optionName") for v in values]
    for position, value in enumerate(values):
        where = [*path, "optionValues", str(position)]
        option = value.get("optionName")
        if option not in allowed:
            errors.append(_error(f"Option '{option}' does not exist.", where,
                                 "OPTION_DOES_NOT_EXIST"))
        elif value.get("name") not in allowed[option]:
            errors.append(_error(f"Option value '{value.get('name')}' does not exist.", where,
                                 "OPTION_VALUE_DOES_NOT_EXIST"))
    if sorted(filter(None, named)) != sorted(allowed) and not errors:
        errors.append(_error("The variant must have a value for each of the product's "
                             "options.", [*path, "optionValues"], "INVALID_VARIANT"))
    return errors


def _quantity_errors(store: ShopStore, quantities: list[dict[str, Any]],
                     path: list[str]) -> Errors:
    errors: Errors = []
    for position, entry in enumerate(quantities):
        where = [*path, "inventoryQuantities", str(position)]
        if lookup(store.locations, entry["locationId"], "Location") is None:
            errors.append(_error("Location does not exist", [*where, "locationId"],
                                 "INVALID_INPUT"))
        if entry["name"] not in QUANTITY_NAMES:
            errors.append(_error("The quantity name must be either 'available' or 'on_hand'.",
                                 [*where, "name"], "INVALID_INPUT"))
    return errors


def _title(options: list[dict[str, Any]], variant: dict[str, Any]) -> str:
    chosen = {v.get("optionName"): v.get("name") for v in variant.get("optionValues") or []}
    return " / ".join(str(chosen.get(o["name"])) for o in options)


def _save(store: ShopStore, product: Product | None, fields: dict[str, Any]) -> Product:
    created = product is None
    if product is None:
        product = store.create_product(title=fields["title"].strip(), handle=fields.get("handle"),
                                       status=fields.get("status") or "ACTIVE",
                                       default_variant=False)
    for name, attribute in PRODUCT_FIELDS.items():
        if fields.get(name) is not None:
            setattr(product, attribute, fields[name])
    if fields.get("productOptions") is not None:
        _set_options(store, product, fields["productOptions"])
        _set_variants(store, product, fields["productOptions"], fields["variants"])
    if created:
        store.touch(product)
        store.emit("products/create", payloads.product(product))
    else:
        store.product_changed(product)
    return product


def _set_options(store: ShopStore, product: Product, options: list[dict[str, Any]]) -> None:
    stamp = store.now()
    product.options = [
        ProductOption(number=store.next_number(), created_at=stamp, updated_at=stamp,
                      name=o["name"], position=position,
                      values=[v["name"] for v in o["values"]])
        for position, o in enumerate(options, start=1)]


def _set_variants(store: ShopStore, product: Product, options: list[dict[str, Any]],
                  variants: list[dict[str, Any]]) -> None:
    by_id = {v.id: v for v in product.variants}
    by_title = {v.title: v for v in product.variants}
    kept: list[ProductVariant] = []
    changes = []
    for fields in variants:
        title = _title(options, fields)
        variant = by_id.get(fields.get("id") or "") or by_title.get(title)
        if variant is None or variant in kept:
            variant = store.add_variant(product, title=title, announce=False)
        variant.title = title
        variant.selected_options = [{"name": o["name"], "value": v} for o, v in
                                    zip(options, title.split(" / "), strict=True)]
        _apply(variant, fields)
        changes += initial_quantities(store, variant, [
            {"locationId": q["locationId"], "availableQuantity": q["quantity"]}
            for q in fields.get("inventoryQuantities") or [] if q["name"] == "available"])
        kept.append(variant)
    for variant in [v for v in product.variants if v not in kept]:
        store.remove_variant(variant)
    for position, variant in enumerate(kept, start=1):
        variant.position = position
        variant.standalone = False
        store.touch(variant)
    product.variants = kept
    if changes:
        store.record_adjustment(reason="correction", reference_document_uri=None,
                                changes=changes)


def _apply(variant: ProductVariant, fields: dict[str, Any]) -> None:
    apply_variant_fields(variant, fields)
    if fields.get("sku") is not None and variant.inventory_item is not None:
        variant.inventory_item.sku = fields["sku"]


RESOLVERS: dict[str, Resolver] = {"Mutation.productSet": product_set}
