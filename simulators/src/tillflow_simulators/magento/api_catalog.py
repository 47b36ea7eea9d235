"""Products, configurable products' attributes and children, and the legacy stock item
routes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow_simulators.magento import (
    catalog,
    configurable,
    inventory,
    payloads,
    payloads_attributes,
    search,
)
from tillflow_simulators.magento.endpoints import Call, Endpoint, Endpoints
from tillflow_simulators.magento.store import DEFAULT_SOURCE


def list_products(call: Call) -> Any:
    rows = [
        payloads.product(call.store, p)
        for p in sorted(call.store.products.values(), key=lambda p: p.id)
    ]
    records = [
        {
            **row,
            **{a["attribute_code"]: a["value"] for a in row["custom_attributes"]},
            "entity_id": row["id"],
        }
        for row in rows
    ]
    page, total, criteria = search.search(records, call.arg("searchCriteria"), call.store.settings)
    keep = set(rows[0]) if rows else set()
    return payloads.results(
        [{k: v for k, v in r.items() if k in keep} for r in page], total, criteria
    )


def get_product(call: Call) -> Any:
    return payloads.product(call.store, catalog.get(call.store, call.args["sku"]))


def create_product(call: Call) -> Any:
    product = catalog.save(call.store, dict(call.arg("product", {})))
    return payloads.product(call.store, product)


def update_product(call: Call) -> Any:
    product = catalog.save(call.store, dict(call.arg("product", {})), path_sku=call.args.get("sku"))
    return payloads.product(call.store, product)


def delete_product(call: Call) -> Any:
    catalog.delete(call.store, call.args["sku"])
    return True


def add_child(call: Call) -> Any:
    configurable.add_child(call.store, call.args["sku"], str(call.arg("childSku", "")))
    return True


def remove_child(call: Call) -> Any:
    configurable.remove_child(call.store, call.args["sku"], call.args["childSku"])
    return True


def children(call: Call) -> Any:
    return [
        payloads.product(call.store, p) for p in configurable.children(call.store, call.args["sku"])
    ]


def configurable_options(call: Call) -> Any:
    parent = catalog.get(call.store, call.args["sku"])
    return [
        payloads_attributes.configurable_option(o, parent.id)
        for o in configurable.options(call.store, call.args["sku"])
    ]


def save_configurable_option(call: Call) -> Any:
    return configurable.save_option(call.store, call.args["sku"], dict(call.arg("option", {})))


def stock_item(call: Call) -> Any:
    return payloads.stock_item(call.store, catalog.get(call.store, call.args["productSku"]))


def update_stock_item(call: Call) -> Any:
    product = catalog.get(call.store, call.args["productSku"])
    item = call.arg("stockItem", {})
    if item.get("qty") is not None:
        in_stock = item.get("is_in_stock")
        inventory.set_quantity(
            call.store,
            product.sku,
            DEFAULT_SOURCE,
            Decimal(item["qty"]),
            None if in_stock is None else int(bool(in_stock)),
        )
    return product.id


ENDPOINTS: Endpoints = {
    ("GET", "/V1/products"): Endpoint(list_products, criteria_required=True),
    ("POST", "/V1/products"): Endpoint(create_product),
    ("GET", "/V1/products/:sku"): Endpoint(get_product),
    ("PUT", "/V1/products/:sku"): Endpoint(update_product),
    ("DELETE", "/V1/products/:sku"): Endpoint(delete_product),
    ("POST", "/V1/configurable-products/:sku/child"): Endpoint(add_child),
    ("GET", "/V1/configurable-products/:sku/children"): Endpoint(children),
    ("DELETE", "/V1/configurable-products/:sku/children/:childSku"): Endpoint(remove_child),
    ("GET", "/V1/configurable-products/:sku/options/all"): Endpoint(configurable_options),
    ("POST", "/V1/configurable-products/:sku/options"): Endpoint(save_configurable_option),
    ("GET", "/V1/stockItems/:productSku"): Endpoint(stock_item),
    ("PUT", "/V1/products/:productSku/stockItems/:itemId"): Endpoint(update_stock_item),
}
