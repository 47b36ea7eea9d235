"""The store's catalog as the SKUs it sells: simple products (and virtual, downloadable)
each a shop product of its own, and a configurable product's children as SKUs of one
shop product, the configurable's id (see ``configurable.variants_of``). The configurable
product itself has no stock and is not a SKU; a child is listed with its parent only.
"""

from __future__ import annotations

from tillflow.connectors.magento import catalog, configurable, search
from tillflow.connectors.magento.client import GLOBAL, MagentoClient
from tillflow.connectors.magento.search import Filter
from tillflow.ports.commerce import RemoteProduct

PAGE = 100
CONFIGURABLE = "configurable"
LISTED_TYPES = ",".join([*catalog.STOCKED_TYPES, CONFIGURABLE])


def children(client: MagentoClient) -> frozenset[str]:
    """The SKUs (folded to lower case) of every configurable product's children: Magento
    tells a child's parent only from the parent's side."""
    found: set[str] = set()
    for parent in search.every(client, "/V1/products", search.where(
            Filter("type_id", CONFIGURABLE)), page_size=PAGE, store=GLOBAL):
        found |= {str(c["sku"]).lower() for c in client.call(
            "GET", f"{configurable.path(str(parent['sku']))}/children", store=GLOBAL)}
    return frozenset(found)


def page(client: MagentoClient, cursor: str | None, *, barcode_attribute: str | None,
         linked: frozenset[str]) -> tuple[list[RemoteProduct], str | None]:
    """A page of products by id, ``linked`` the children to leave to their parents; the
    cursor is the next page's number."""
    number = int(cursor or 1)
    answer = client.call("GET", "/V1/products", store=GLOBAL, params=search.criteria(
        search.where(Filter("type_id", LISTED_TYPES, "in")),
        sort=[("entity_id", "ASC")], page_size=PAGE, page=number))
    found: list[RemoteProduct] = []
    for item in answer.get("items") or []:
        if item.get("type_id") == CONFIGURABLE:
            found += configurable.variants_of(client, item, barcode_attribute=barcode_attribute)
        elif item.get("sku") and str(item["sku"]).lower() not in linked:
            found.append(catalog.remote(item, barcode_attribute))
    more = PAGE * number < int(answer.get("total_count") or 0)
    return found, (str(number + 1) if more else None)


def by_id(client: MagentoClient, external_id: str, *, barcode_attribute: str | None
          ) -> list[RemoteProduct]:
    """The product's SKUs: a configurable's children, or the product itself."""
    if not external_id.isdigit():
        return []
    items = search.every(client, "/V1/products", search.where(
        Filter("entity_id", external_id), Filter("type_id", LISTED_TYPES, "in")),
        store=GLOBAL)
    return [remote for item in items if item.get("sku") for remote in (
        configurable.variants_of(client, item, barcode_attribute=barcode_attribute)
        if item.get("type_id") == CONFIGURABLE else [catalog.remote(item, barcode_attribute)])]
