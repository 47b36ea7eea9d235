"""The JSON a store answers with for its catalog, inventory, store structure and customers.
Field names are Magento's snake_case; amounts stay Decimal until written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow_simulators.magento import inventory, payloads_attributes
from tillflow_simulators.magento.model import (
    Customer,
    Product,
    Source,
    SourceItem,
    Stock,
    StockSourceLink,
)
from tillflow_simulators.magento.store import CURRENCY, DEFAULT_SOURCE, MagentoStore

WEBSITES = [
    {"id": 0, "code": "admin", "name": "Admin", "default_group_id": 0},
    {"id": 1, "code": "base", "name": "Main Website", "default_group_id": 1},
]
STORE_GROUPS = [
    {
        "id": 0,
        "website_id": 0,
        "root_category_id": 0,
        "default_store_id": 0,
        "name": "Default",
        "code": "default",
    },
    {
        "id": 1,
        "website_id": 1,
        "root_category_id": 2,
        "default_store_id": 1,
        "name": "Main Website Store",
        "code": "main_website_store",
    },
]
STORE_VIEWS = [
    {
        "id": 0,
        "code": "admin",
        "name": "Admin",
        "website_id": 0,
        "store_group_id": 0,
        "is_active": 1,
    },
    {
        "id": 1,
        "code": "default",
        "name": "Default Store View",
        "website_id": 1,
        "store_group_id": 1,
        "is_active": 1,
    },
]


def store_config(base_url: str) -> dict[str, Any]:
    root = base_url.rstrip("/") + "/"
    return {
        "id": 1,
        "code": "default",
        "website_id": 1,
        "locale": "en_US",
        "base_currency_code": CURRENCY,
        "default_display_currency_code": CURRENCY,
        "timezone": "America/Chicago",
        "weight_unit": "lbs",
        "base_url": root,
        "base_link_url": root,
        "base_static_url": root + "static/",
        "base_media_url": root + "media/",
        "secure_base_url": root,
        "secure_base_link_url": root,
        "secure_base_static_url": root + "static/",
        "secure_base_media_url": root + "media/",
    }


def product(store: MagentoStore, item: Product) -> dict[str, Any]:
    extension: dict[str, Any] = {"website_ids": list(item.website_ids)}
    if item.type_id in inventory.SOURCE_TYPES:
        extension["stock_item"] = stock_item(store, item)
    if item.type_id == "configurable":
        extension["configurable_product_options"] = [
            payloads_attributes.configurable_option(o, item.id)
            for o in sorted(item.super_attributes.values(), key=lambda o: (o.position, o.id))
        ]
        extension["configurable_product_links"] = [
            child.id for child in (store.product(sku) for sku in item.children) if child
        ]
    body: dict[str, Any] = {
        "id": item.id,
        "sku": item.sku,
        "name": item.name,
        "attribute_set_id": item.attribute_set_id,
        "price": item.price,
        "status": item.status,
        "visibility": item.visibility,
        "type_id": item.type_id,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "extension_attributes": extension,
        "product_links": [],
        "options": [],
        "media_gallery_entries": [],
        "tier_prices": [],
        "custom_attributes": [
            {"attribute_code": code, "value": value}
            for code, value in item.custom_attributes.items()
        ],
    }
    if item.weight is not None:
        body["weight"] = item.weight
    return body


def stock_item(store: MagentoStore, item: Product) -> dict[str, Any]:
    """The legacy single-source view: the default source's quantity."""
    found = inventory.source_item(store, item.sku, DEFAULT_SOURCE)
    qty = found.quantity if found else Decimal(0)
    return {
        "item_id": item.id,
        "product_id": item.id,
        "stock_id": 1,
        "qty": qty,
        "is_in_stock": bool(found and found.status == 1),
        "is_qty_decimal": False,
        "show_default_notification_message": False,
        "use_config_min_qty": True,
        "min_qty": 0,
        "use_config_min_sale_qty": 1,
        "min_sale_qty": 1,
        "use_config_max_sale_qty": True,
        "max_sale_qty": 10000,
        "use_config_backorders": True,
        "backorders": 0,
        "use_config_notify_stock_qty": True,
        "notify_stock_qty": 1,
        "use_config_qty_increments": True,
        "qty_increments": 0,
        "use_config_enable_qty_inc": True,
        "enable_qty_increments": False,
        "use_config_manage_stock": True,
        "manage_stock": True,
        "low_stock_date": None,
        "is_decimal_divided": False,
        "stock_status_changed_auto": 0,
    }


def source(item: Source) -> dict[str, Any]:
    return {
        **item.details,
        "source_code": item.source_code,
        "name": item.name,
        "enabled": item.enabled,
        "country_id": item.country_id,
        "postcode": item.postcode,
    }


def stock(item: Stock) -> dict[str, Any]:
    return {
        "stock_id": item.stock_id,
        "name": item.name,
        "extension_attributes": {
            "sales_channels": [{"type": t, "code": c} for t, c in item.sales_channels]
        },
    }


def source_item(item: SourceItem) -> dict[str, Any]:
    return {
        "sku": item.sku,
        "source_code": item.source_code,
        "quantity": item.quantity,
        "status": item.status,
    }


def link(item: StockSourceLink) -> dict[str, Any]:
    return {"stock_id": item.stock_id, "source_code": item.source_code, "priority": item.priority}


def customer(item: Customer) -> dict[str, Any]:
    return {
        "id": item.id,
        "group_id": item.group_id,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "created_in": "Default Store View",
        "email": item.email,
        "firstname": item.firstname,
        "lastname": item.lastname,
        "store_id": item.store_id,
        "website_id": item.website_id,
        "addresses": [dict(a) for a in item.addresses],
        "disable_auto_group_change": 0,
        **item.details,
        **(
            {
                "custom_attributes": [
                    {"attribute_code": k, "value": v} for k, v in item.custom_attributes.items()
                ]
            }
            if item.custom_attributes
            else {}
        ),
    }


def results(items: list[Any], total: int, criteria: dict[str, Any]) -> dict[str, Any]:
    return {"items": items, "search_criteria": criteria, "total_count": total}
