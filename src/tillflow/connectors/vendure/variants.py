"""A product with options as one Vendure product.

Vendure keeps options as option groups of the product (one group per option, its values
the group's options) and each SKU as a product variant naming one option of every group.
The product is the one already holding one of the SKUs (the one holding most of them),
else a new one. Vendure accepts a variant only with one option of each of the product's
groups, so the groups are put in order first: an option the product no longer has is
removed with its options taken off the variants (``force``), a new one is created and
added, a new value is added to its group; a simple product's default variant gains its
options like any other variant. Variants of the product no longer listed are deleted
before the others are written, so a combination they held can be taken again. A SKU
held by another Vendure product cannot be moved (a variant belongs to its product): it
is deleted there, that product with it when nothing is left of it, and made again here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from tillflow.connectors.vendure import queries
from tillflow.connectors.vendure.catalog import Settings, Variant
from tillflow.connectors.vendure.client import VendureClient, result
from tillflow.ports.commerce import ProductWithVariants, Rejected, Upserted, VariantData

Lookup = Callable[[Sequence[str]], dict[str, Variant]]


def upsert_variants(client: VendureClient, settings: Settings, lookup: Lookup,
                    product: ProductWithVariants) -> dict[str, Upserted]:
    held = lookup([v.sku for v in product.variants])
    product_id = _product_for(client, settings, product, held)
    shown = client.execute(queries.PRODUCT_WITH_OPTIONS, {"id": product_id})["product"]
    if shown is None:
        raise Rejected(f"Vendure's product {product_id} is gone")
    ids = _options(client, settings, product_id, product.options, shown["optionGroups"])
    listed = {v.sku for v in product.variants}
    mine = {node["sku"]: node for node in shown["variants"] if node["sku"] in listed}
    elsewhere = [v for v in held.values() if v.product_id != product_id]
    gone = [str(node["id"]) for node in shown["variants"] if node["sku"] not in listed]
    if gone:
        _deleted(client.execute(queries.DELETE_VARIANTS, {"ids": gone}), "deleteProductVariants")
    _leave(client, elsewhere)
    updates = [change for v in product.variants if v.sku in mine
               for change in [_change(settings, product.title, v, ids, mine[v.sku])] if change]
    if updates:
        client.execute(queries.UPDATE_VARIANTS, {"input": updates})
    new = [v for v in product.variants if v.sku not in mine]
    if new:
        client.execute(queries.CREATE_VARIANTS, {"input": [
            _creation(settings, product_id, product.title, v, ids) for v in new]})
    enabled = any(v.status == "active" for v in product.variants)
    if (shown["name"], bool(shown["enabled"])) != (product.title, enabled):
        client.execute(queries.UPDATE_PRODUCT, {"input": {
            "id": product_id, "enabled": enabled,
            "translations": [{"languageCode": settings.language, "name": product.title}]}})
    return {v.sku: Upserted(product_id, created=v.sku not in mine) for v in product.variants}


def _product_for(client: VendureClient, settings: Settings, product: ProductWithVariants,
                 held: Mapping[str, Variant]) -> str:
    counts = Counter(v.product_id for v in held.values())
    if counts:
        return min(counts, key=lambda pid: (-counts[pid], int(pid) if pid.isdigit() else 0))
    created = client.execute(queries.CREATE_PRODUCT, {"input": {
        "enabled": any(v.status == "active" for v in product.variants),
        "translations": [{"languageCode": settings.language, "name": product.title,
                          "slug": slug(f"product-{product.key}"), "description": ""}]}})
    return str(created["createProduct"]["id"])


def _options(client: VendureClient, settings: Settings, product_id: str,
             options: Sequence[tuple[str, Sequence[str]]],
             groups: Sequence[Mapping[str, Any]]) -> dict[tuple[int, str], str]:
    """Vendure's option id of each (option's index, value), groups and values added and
    groups the product no longer has removed."""
    wanted = {name.casefold() for name, _ in options}
    by_name = {str(g["name"]).casefold(): g for g in groups}
    for dropped in groups:
        if str(dropped["name"]).casefold() not in wanted:
            result(client.execute(queries.REMOVE_OPTION_GROUP, {
                "product": product_id, "group": dropped["id"]}), "removeOptionGroupFromProduct")
    ids: dict[tuple[int, str], str] = {}
    for index, (name, values) in enumerate(options):
        group: Mapping[str, Any] | None = by_name.get(name.casefold())
        if group is None:
            group = client.execute(queries.CREATE_OPTION_GROUP, {"input": {
                "code": _code(name), "translations": [_named(settings, name)],
                "options": [{"code": _code(value), "translations": [_named(settings, value)]}
                            for value in values]}})["createProductOptionGroup"]
            client.execute(queries.ADD_OPTION_GROUP, {"product": product_id,
                                                      "group": group["id"]})
        held = {str(o["name"]).casefold(): str(o["id"]) for o in group["options"]}
        for value in values:
            if value.casefold() not in held:
                made = client.execute(queries.CREATE_OPTION, {"input": {
                    "productOptionGroupId": group["id"], "code": _code(value),
                    "translations": [_named(settings, value)]}})["createProductOption"]
                held[value.casefold()] = str(made["id"])
            ids[(index, value)] = held[value.casefold()]
    return ids


def _leave(client: VendureClient, variants: Sequence[Variant]) -> None:
    """Delete SKUs' variants from the other products holding them, and a product left
    with none."""
    if not variants:
        return
    _deleted(client.execute(queries.DELETE_VARIANTS, {"ids": [v.id for v in variants]}),
             "deleteProductVariants")
    leaving = Counter(v.product_id for v in variants)
    for product_id, count in leaving.items():
        if count == next(v.siblings for v in variants if v.product_id == product_id):
            _deleted(client.execute(queries.DELETE_PRODUCT, {"id": product_id}),
                     "deleteProduct")


def _deleted(data: Mapping[str, Any], field: str) -> None:
    answers = data[field] if isinstance(data[field], list) else [data[field]]
    refused = [a for a in answers if a["result"] != "DELETED"]
    if refused:
        raise Rejected(f"Vendure refused {field}: {refused[0].get('message')}")


def _change(settings: Settings, title: str, variant: VariantData,
            ids: Mapping[tuple[int, str], str], node: Mapping[str, Any]) -> dict[str, Any]:
    """The update a variant Vendure holds needs; empty when it already shows it all."""
    wanted = _fields(settings, title, variant, ids)
    shown = {"price": int(node["price"]), "enabled": bool(node["enabled"]),
             "optionIds": sorted(str(o["id"]) for o in node["options"]),
             "name": node["name"]}
    if shown == {**wanted, "optionIds": sorted(wanted["optionIds"])}:
        return {}
    name = wanted.pop("name")
    return {"id": node["id"], **wanted,
            "translations": [{"languageCode": settings.language, "name": name}]}


def _creation(settings: Settings, product_id: str, title: str, variant: VariantData,
              ids: Mapping[tuple[int, str], str]) -> dict[str, Any]:
    wanted = _fields(settings, title, variant, ids)
    name = wanted.pop("name")
    return {"productId": product_id, "sku": variant.sku, **wanted, "trackInventory": "TRUE",
            "translations": [{"languageCode": settings.language, "name": name}],
            "stockLevels": [{"stockLocationId": settings.primary_location,
                             "stockOnHand": variant.available + settings.threshold}]}


def _fields(settings: Settings, title: str, variant: VariantData,
            ids: Mapping[tuple[int, str], str]) -> dict[str, Any]:
    # Vendure names a variant by its product and values, as its own admin does.
    return {"price": settings.currency.to_minor(variant.price),
            "enabled": variant.status == "active",
            "optionIds": [ids[(i, value)] for i, value in enumerate(variant.values)],
            "name": " ".join((title, *variant.values))}


def _named(settings: Settings, name: str) -> dict[str, str]:
    return {"languageCode": settings.language, "name": name}


def slug(text: str) -> str:
    return "tillflow-" + _code(text)


def _code(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item"
