"""A tillflow product with options as a Magento configurable product and its children.

Each variant is a simple product of its own SKU, price and status (a variant withdrawn
from sale is disabled, status 2, and stays linked), not visible on its own (the
storefront shows the parent), carrying its value of each option as the option id of the
option's select attribute (see ``attributes``). A new variant is in the default attribute
set; one Magento already has keeps its own. The parent is a configurable product,
``tillflow-product-<id>`` (tillflow's id of the product, so a rename keeps it), in the
default attribute set, with the options as its configurable attributes; it is enabled
while one of its variants is for sale. Children are linked
through ``configurable-products/{sku}/child``; a variant tillflow no longer lists is
unlinked and left in the catalog, where the merchant may delete it.

Every product is found by SKU before it is made, the attributes and links are read
before they are written, so a call retried after a lost answer makes nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from tillflow.connectors.magento import attributes, catalog
from tillflow.connectors.magento.attributes import Attribute
from tillflow.connectors.magento.client import GLOBAL, MagentoClient
from tillflow.ports.commerce import ProductWithVariants, Rejected, RemoteProduct, VariantData

PARENT_PREFIX = "tillflow-product-"
SKU_MAX = 64  # Magento's longest SKU
VISIBLE_NOWHERE = 1  # "Not Visible Individually"
# Magento's input limit on a list of entities in one synchronous request.
LIST_LIMIT = 20


@dataclass(frozen=True)
class Pushed:
    """The parent's id and the SKUs it did not have as children before."""

    parent_id: str
    created: frozenset[str]


# Gives new children their starting figures, before they are linked.
StartingStock = Callable[[Sequence[VariantData]], None]


def parent_sku(key: str) -> str:
    return f"{PARENT_PREFIX}{key}"


def path(sku: str) -> str:
    return f"/V1/configurable-products/{quote(sku, safe='')}"


def upsert(client: MagentoClient, product: ProductWithVariants, *, website_id: int,
           barcode_attribute: str | None, starting_stock: StartingStock) -> Pushed:
    """A SKU that is not yet a child of the parent is new to it and starts with tillflow's
    figure, written before it is linked: a push retried after a lost answer finds it
    unlinked and writes the figure again, whether or not the simple product was made."""
    _check(product)
    held = {v.sku: catalog.find(client, v.sku) for v in product.variants}
    strange = next(((sku, p["type_id"]) for sku, p in held.items()
                    if p is not None and p.get("type_id") not in catalog.STOCKED_TYPES), None)
    if strange is not None:
        raise Rejected(f"SKU {strange[0]!r} is a {strange[1]} product in Magento, not a "
                       "simple one, and cannot be a variant")
    sets = sorted({catalog.DEFAULT_ATTRIBUTE_SET} | {
        int(p.get("attribute_set_id") or catalog.DEFAULT_ATTRIBUTE_SET)
        for p in held.values() if p is not None})
    options = [attributes.resolve(client, name, values, sets)
               for name, values in product.options]
    parent = _parent(client, product, website_id)
    for variant in product.variants:
        body = _child(product, variant, options, barcode_attribute)
        current = held[variant.sku]
        if current is None:
            client.call("POST", "/V1/products", store=GLOBAL, json_body={"product": {
                **body, "sku": variant.sku, "type_id": "simple",
                "attribute_set_id": catalog.DEFAULT_ATTRIBUTE_SET,
                "extension_attributes": {"website_ids": [website_id]}}})
        else:
            client.call("PUT", catalog.path(variant.sku), store=GLOBAL, json_body={
                "product": {**body, **catalog.websites(current, website_id),
                            "sku": current["sku"]}})
    sku = str(parent["sku"])
    _configurable_attributes(client, sku, product, options)
    linked = {str(c["sku"]).lower(): str(c["sku"])
              for c in client.call("GET", f"{path(sku)}/children", store=GLOBAL)}
    new = [v for v in product.variants if v.sku.lower() not in linked]
    if new:
        starting_stock(new)
    _link(client, sku, linked, [v.sku for v in product.variants])
    return Pushed(str(parent["id"]), frozenset(v.sku for v in new))


def _check(product: ProductWithVariants) -> None:
    long = next((v.sku for v in product.variants if len(v.sku) > SKU_MAX), None)
    if long is not None:
        raise Rejected(f"Magento takes SKUs of at most {SKU_MAX} characters: {long!r}")
    if not product.options:
        raise Rejected("a Magento configurable product needs at least one option")


def _parent(client: MagentoClient, product: ProductWithVariants,
            website_id: int) -> dict[str, Any]:
    sku = parent_sku(product.key)
    body = {"name": product.title, "status": catalog.ENABLED if any(
        v.status == "active" for v in product.variants) else catalog.DISABLED}
    current = catalog.find(client, sku)
    if current is None:
        made: dict[str, Any] = client.call("POST", "/V1/products", store=GLOBAL, json_body={
            "product": {**body, "sku": sku, "type_id": "configurable",
                        "attribute_set_id": catalog.DEFAULT_ATTRIBUTE_SET,
                        "visibility": catalog.VISIBLE_EVERYWHERE,
                        "extension_attributes": {"website_ids": [website_id]}}})
        return made
    if current.get("type_id") != "configurable":
        raise Rejected(f"Magento's product {sku!r} is not a configurable product; rename or "
                       "remove it in the store, then replay")
    saved: dict[str, Any] = client.call("PUT", catalog.path(sku), store=GLOBAL, json_body={
        "product": {**body, **catalog.websites(current, website_id), "sku": current["sku"]}})
    return saved


def _child(product: ProductWithVariants, variant: VariantData, options: Sequence[Attribute],
           barcode_attribute: str | None) -> dict[str, Any]:
    values = [{"attribute_code": a.code, "value": str(a.option_id(value))}
              for a, value in zip(options, variant.values, strict=True)]
    if barcode_attribute and variant.barcode:
        values.append({"attribute_code": barcode_attribute, "value": variant.barcode})
    return {"name": "-".join([product.title, *variant.values]), "price": variant.price,
            "status": catalog.ENABLED if variant.status == "active" else catalog.DISABLED,
            "visibility": VISIBLE_NOWHERE, "custom_attributes": values}


def _configurable_attributes(client: MagentoClient, sku: str, product: ProductWithVariants,
                             options: Sequence[Attribute]) -> None:
    """The options the parent lacks, as its configurable attributes. Magento works out
    an attribute's values from the children; it needs some to save the attribute, and
    takes at most ``LIST_LIMIT`` in one request when its input limits are on."""
    have = {int(o["attribute_id"]) for o in client.call(
        "GET", f"{path(sku)}/options/all", store=GLOBAL)}
    for position, attribute in enumerate(options):
        if attribute.id in have:
            continue
        used = dict.fromkeys(attribute.option_id(v.values[position]) for v in product.variants)
        client.call("POST", f"{path(sku)}/options", store=GLOBAL, json_body={"option": {
            "attribute_id": str(attribute.id), "label": attribute.label, "position": position,
            "is_use_default": True,
            "values": [{"value_index": i} for i in list(used)[:LIST_LIMIT]]}})


def _link(client: MagentoClient, sku: str, linked: Mapping[str, str],
          skus: Sequence[str]) -> None:
    """Children unlinked first, so a variant replacing one with the same values links."""
    wanted = {s.lower() for s in skus}
    for key, child in linked.items():
        if key not in wanted:
            client.call("DELETE", f"{path(sku)}/children/{quote(child, safe='')}", store=GLOBAL)
    for child in skus:
        if child.lower() not in linked:
            client.call("POST", f"{path(sku)}/child", store=GLOBAL,
                        json_body={"childSku": child})


def variants_of(client: MagentoClient, parent: Mapping[str, Any], *,
                barcode_attribute: str | None) -> list[RemoteProduct]:
    """The children of a configurable product as SKUs of one shop product, each with its
    value of each configurable attribute (by label); a child lacking one carries none."""
    sku = str(parent["sku"])
    found = sorted(client.call("GET", f"{path(sku)}/options/all", store=GLOBAL),
                   key=lambda o: int(o.get("position") or 0))
    named = [(str(o.get("label") or ""), attributes.by_id(client, int(o["attribute_id"])))
             for o in found]
    remotes = []
    for child in client.call("GET", f"{path(sku)}/children", store=GLOBAL):
        if not child.get("sku"):
            continue
        held = {str(a["attribute_code"]): str(a.get("value") or "")
                for a in child.get("custom_attributes") or []}
        chosen = [(label or a.label, a.labels.get(int(held[a.code])))
                  for label, a in named if held.get(a.code, "").isdigit()]
        options = tuple((n, v) for n, v in chosen if v is not None)
        remotes.append(replace(
            catalog.remote(child, barcode_attribute), external_id=str(parent["id"]),
            title=str(parent.get("name") or child["sku"]),
            options=options if len(options) == len(named) else ()))
    return remotes
