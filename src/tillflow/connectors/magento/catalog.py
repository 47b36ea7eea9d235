"""Products by SKU, written at the global scope (``/rest/all``) so that no store-view
override is left behind.

A product tillflow creates is saleable on the connection's website: a simple product,
enabled, visible in catalog and search, assigned to the website, with its stock on the
primary source (see ``stock``). An update writes only what tillflow owns (name, price,
status, the barcode attribute when one is named) and assigns the website if the product
lacks it, leaving the rest of the merchant's work alone. A product with options is a
configurable product (see ``configurable``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from tillflow.connectors.magento.client import GLOBAL, MagentoClient, NotFound
from tillflow.connectors.magento.dates import stamp
from tillflow.ports.commerce import ProductData, RemoteProduct

ENABLED, DISABLED = 1, 2
VISIBLE_EVERYWHERE = 4  # "Catalog, Search"
DEFAULT_ATTRIBUTE_SET = 4
STOCKED_TYPES = ("simple", "virtual", "downloadable")


def path(sku: str) -> str:
    return f"/V1/products/{quote(sku, safe='')}"


def find(client: MagentoClient, sku: str) -> dict[str, Any] | None:
    try:
        found: dict[str, Any] = client.call("GET", path(sku), store=GLOBAL)
    except NotFound:
        return None
    return found


def new_product(product: ProductData, *, website_id: int,
                barcode_attribute: str | None) -> dict[str, Any]:
    """The body of a product tillflow creates (its stock is written on the source)."""
    return {**_owned(product, barcode_attribute), "sku": product.sku, "type_id": "simple",
            "attribute_set_id": DEFAULT_ATTRIBUTE_SET, "visibility": VISIBLE_EVERYWHERE,
            "extension_attributes": {"website_ids": [website_id]}}


def changed_product(product: ProductData, current: Mapping[str, Any], *, website_id: int,
                    barcode_attribute: str | None) -> dict[str, Any]:
    return {**_owned(product, barcode_attribute), **websites(current, website_id),
            "sku": current["sku"]}


def websites(current: Mapping[str, Any], website_id: int) -> dict[str, Any]:
    """What assigns ``current`` to the website, if it lacks it."""
    held = list((current.get("extension_attributes") or {}).get("website_ids") or [])
    if website_id in held:
        return {}
    return {"extension_attributes": {"website_ids": [*held, website_id]}}


def _owned(product: ProductData, barcode_attribute: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"name": product.title, "price": product.price,
                            "status": ENABLED if product.status == "active" else DISABLED}
    if barcode_attribute and product.barcode:
        body["custom_attributes"] = [{"attribute_code": barcode_attribute,
                                      "value": product.barcode}]
    return body


def remote(item: Mapping[str, Any], barcode_attribute: str | None) -> RemoteProduct:
    return RemoteProduct(external_id=str(item["id"]), sku=str(item["sku"]),
                         title=str(item.get("name") or item["sku"]),
                         price=Decimal(str(item.get("price") or 0)),
                         barcode=_attribute(item, barcode_attribute),
                         status="active" if int(item.get("status") or ENABLED) == ENABLED
                         else "draft",
                         updated_at=stamp(str(item.get("updated_at") or item["created_at"])))


def _attribute(item: Mapping[str, Any], code: str | None) -> str | None:
    if not code:
        return None
    return next((str(a["value"]) for a in item.get("custom_attributes") or []
                 if a.get("attribute_code") == code and a.get("value")), None)
