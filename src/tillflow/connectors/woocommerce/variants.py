"""A product with options as a WooCommerce variable product and its variations.

The variable product carries no SKU of its own: tillflow's product has none (its variants
do), and WooCommerce keeps one SKU space across products and variations, so a parent SKU
would take a name a tillflow variant could need and show up as one more SKU when the
shop's catalog is read. The options become the product's own (local) attributes, used for
variations; each variant becomes a variation with ``manage_stock`` on (tillflow writes each
SKU's figure), withdrawn from sale as ``private``, which the shop neither shows nor sells.

A simple product already holding one of the SKUs becomes the variable product (same id,
``type`` changed): WooCommerce keeps the product and its reviews, and the SKU moves from it
to its variation in the same write, the product's SKU cleared before the variation takes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tillflow.connectors.woocommerce import stock
from tillflow.connectors.woocommerce.client import WooClient
from tillflow.ports.commerce import ProductWithVariants, Rejected, Upserted, VariantData

DELIMITER = "|"


def upsert(client: WooClient, product: ProductWithVariants) -> dict[str, Upserted]:
    for name, values in product.options:
        # WooCommerce keeps a custom attribute's options joined by "|" and splits them
        # again when read: such a value would become two, matching no variation.
        split = next((v for v in values if DELIMITER in v), None)
        if split is not None:
            raise Rejected(f"WooCommerce cannot hold the value {split!r} of option "
                           f"{name!r}: it splits option values at {DELIMITER!r}")
    held = stock.read(client, [v.sku for v in product.variants])
    parent_id = _parent(client, product, held)
    existing = _variations(client, parent_id)
    by_sku = {v["sku"]: int(v["id"]) for v in existing if v.get("sku")}
    names = [name for name, _ in product.options]
    create = [{**_variation(v, names), "manage_stock": True, "stock_quantity": v.available}
              for v in product.variants if v.sku not in by_sku]
    update = [{"id": by_sku[v.sku], **_variation(v, names)}
              for v in product.variants if v.sku in by_sku]
    listed = {v.sku for v in product.variants}
    delete = [int(v["id"]) for v in existing if v.get("sku") and v["sku"] not in listed]
    _batch(client, parent_id, create=create, update=update, delete=delete)
    external = str(parent_id)
    # A SKU that moved from a simple product to a new variation starts with the figure
    # sent, as one the shop did not have.
    return {v.sku: Upserted(external, created=v.sku not in by_sku) for v in product.variants}


def _parent(client: WooClient, product: ProductWithVariants,
            held: Mapping[str, stock.Item]) -> int:
    """The shop's product holding the variants: the variable product of one of them, else
    a simple product holding one, turned variable, else a new one."""
    body = _product_body(product)
    parents = sorted({item.parent for item in held.values() if item.parent})
    simple = sorted({item.id for item in held.values() if not item.parent})
    home = parents[0] if parents else simple[0] if simple else None
    stray = sorted(sku for sku, item in held.items() if (item.parent or item.id) != home)
    if stray:
        raise Rejected(f"SKU {stray[0]!r} belongs to another WooCommerce product than "
                       f"{home}; merge or remove it in the shop, then replay")
    if home is not None:
        # A simple product turns variable, its SKU cleared for its variation to take.
        client.call("PUT", f"/products/{home}",
                    json=body if parents else {**body, "sku": ""})
        return home
    created = client.call("POST", "/products", json=body)
    return int(created["id"])


def _product_body(product: ProductWithVariants) -> dict[str, Any]:
    active = any(v.status == "active" for v in product.variants)
    return {
        "name": product.title, "type": "variable", "status": "publish" if active else "draft",
        # The variations hold the stock; a figure on the product would be shared by those
        # that do not manage their own.
        "manage_stock": False,
        "attributes": [{"name": name, "options": list(values), "position": position,
                        "visible": True, "variation": True}
                       for position, (name, values) in enumerate(product.options)]}


def _variation(variant: VariantData, names: Sequence[str]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sku": variant.sku, "regular_price": str(variant.price),
        "status": "publish" if variant.status == "active" else "private",
        "attributes": [{"name": name, "option": value}
                       for name, value in zip(names, variant.values, strict=True)]}
    if variant.barcode and variant.barcode.replace("-", "").isdigit():
        body["global_unique_id"] = variant.barcode
    return body


def _variations(client: WooClient, parent_id: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    page = 1
    while True:
        items = client.call("GET", f"/products/{parent_id}/variations",
                            params={"per_page": stock.BATCH, "page": page})
        found.extend(items)
        if len(items) < stock.BATCH:
            return found
        page += 1


def _batch(client: WooClient, parent_id: int, *, create: list[dict[str, Any]],
           update: list[dict[str, Any]], delete: list[int]) -> None:
    """At most ``stock.BATCH`` items a call (WooCommerce refuses more with 413)."""
    rows = [("delete", d) for d in delete] + [("update", u) for u in update] + [
        ("create", c) for c in create]
    path = f"/products/{parent_id}/variations/batch"
    for start in range(0, len(rows), stock.BATCH):
        body: dict[str, list[Any]] = {}
        for action, row in rows[start:start + stock.BATCH]:
            body.setdefault(action, []).append(row)
        result = client.call("POST", path, json=body)
        for action in ("create", "update", "delete"):
            for item in result.get(action, []):
                if "error" in item:
                    error = item["error"]
                    raise Rejected(f"WooCommerce refused a variation of product {parent_id} "
                                   f"({action}): {error.get('code')}: {error.get('message')}")
