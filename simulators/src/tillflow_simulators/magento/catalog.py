"""Products: simple ones, and configurable ones whose children are simple products (see
``configurable``).

A product keeps values only of the attributes its attribute set holds (an attribute the
store does not know is kept as sent). A new product is assigned to the default source
(with the quantity of its legacy ``stock_item`` when it sends one, else none), as Magento
assigns new products.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow_simulators.magento import inventory
from tillflow_simulators.magento.errors import MagentoError, NoSuchEntity
from tillflow_simulators.magento.links import check_links
from tillflow_simulators.magento.model import Product
from tillflow_simulators.magento.store import DEFAULT_SOURCE, MagentoStore

PRODUCT_MISSING = "The product that was requested doesn't exist. Verify the product and try again."
ATTRIBUTE_EMPTY = 'The "%1" attribute value is empty. Set the attribute and try again.'
PRODUCT_TYPES = ("simple", "virtual", "configurable")
SCALARS = {
    "name": str,
    "type_id": str,
    "status": int,
    "visibility": int,
    "attribute_set_id": int,
}


def get(store: MagentoStore, sku: str) -> Product:
    product = store.product(sku)
    if product is None:
        raise NoSuchEntity(PRODUCT_MISSING)
    return product


def save(store: MagentoStore, data: dict[str, Any], *, path_sku: str | None = None) -> Product:
    """``POST /V1/products`` and ``PUT /V1/products/{sku}``: create or update by SKU."""
    sku = str(path_sku if path_sku is not None else data.get("sku") or "").strip()
    if not sku:
        raise MagentoError(ATTRIBUTE_EMPTY, ["sku"])
    product = store.product(sku)
    if product is None:
        product = _created(store, sku, data)
    _apply(store, product, data)
    product.updated_at = store.now()
    _apply_stock(store, product, data.get("extension_attributes") or {})
    _apply_links(store, product, data.get("extension_attributes") or {})
    return product


def delete(store: MagentoStore, sku: str) -> None:
    product = get(store, sku)
    del store.products[product.sku.lower()]
    for key in [k for k in store.source_items if k[0] == product.sku.lower()]:
        del store.source_items[key]


def _created(store: MagentoStore, sku: str, data: dict[str, Any]) -> Product:
    type_id = str(data.get("type_id") or "simple")
    if type_id not in PRODUCT_TYPES:
        raise MagentoError("Invalid product data: %1", [f'Invalid type "{type_id}".'])
    for attribute in ("name", "price") if type_id != "configurable" else ("name",):
        if data.get(attribute) in (None, ""):
            raise MagentoError(ATTRIBUTE_EMPTY, [attribute])
    now = store.now()
    product = Product(
        id=store.next_id("product"),
        sku=sku,
        name=str(data["name"]),
        price=Decimal(data.get("price") or 0),
        created_at=now,
        updated_at=now,
        type_id=type_id,
    )
    store.products[sku.lower()] = product
    if type_id in inventory.SOURCE_TYPES:
        inventory.set_quantity(store, sku, DEFAULT_SOURCE, Decimal(0), status=0)
    return product


def _apply(store: MagentoStore, product: Product, data: dict[str, Any]) -> None:
    for name, kind in SCALARS.items():
        if data.get(name) is not None:
            setattr(product, name, kind(data[name]))
    if data.get("price") is not None:
        product.price = Decimal(data["price"])
    if data.get("weight") is not None:
        product.weight = Decimal(data["weight"])
    held = store.attribute_sets.get(product.attribute_set_id)
    for attribute in data.get("custom_attributes") or []:
        code = str(attribute["attribute_code"])
        if code in store.attributes and (held is None or code not in held.attributes):
            continue
        product.custom_attributes[code] = attribute.get("value")
    websites = (data.get("extension_attributes") or {}).get("website_ids")
    if websites is not None:
        product.website_ids = [int(w) for w in websites]


def _apply_stock(store: MagentoStore, product: Product, extension: dict[str, Any]) -> None:
    stock_item = extension.get("stock_item")
    if not stock_item or stock_item.get("qty") is None:
        return
    in_stock = stock_item.get("is_in_stock")
    quantity = Decimal(stock_item["qty"])
    status = None if in_stock is None else int(bool(in_stock))
    inventory.set_quantity(store, product.sku, DEFAULT_SOURCE, quantity, status)


def _apply_links(store: MagentoStore, product: Product, extension: dict[str, Any]) -> None:
    links = extension.get("configurable_product_links")
    if links is None or product.type_id != "configurable":
        return
    by_id = {p.id: p for p in store.products.values()}
    linked = [by_id[i] for i in links if i in by_id]
    check_links(store, product, linked)
    product.children = [p.sku for p in linked]
