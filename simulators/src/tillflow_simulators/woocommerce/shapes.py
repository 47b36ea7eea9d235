"""Records as the REST API v3 shows them (the same JSON webhooks carry)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from tillflow_simulators.woocommerce.hooks import TOPIC_HOOKS
from tillflow_simulators.woocommerce.models import (
    BILLING_FIELDS,
    SHIPPING_FIELDS,
    Customer,
    LineItem,
    Meta,
    Order,
    Product,
    Refund,
    Stocked,
    Variation,
    Webhook,
)
from tillflow_simulators.woocommerce.rest.description import WOOCOMMERCE_VERSION
from tillflow_simulators.woocommerce.state import ShopState
from tillflow_simulators.woocommerce.wcformat import dates, money

# The simulated shop's one tax rate.
TAX_RATE_ID = 1


def _links(state: ShopState, path: str, collection: str) -> dict[str, list[dict[str, str]]]:
    return {
        "self": [{"href": f"{state.api_root}/{path}"}],
        "collection": [{"href": f"{state.api_root}/{collection}"}],
    }


def meta(entries: list[Meta]) -> list[dict[str, Any]]:
    return [{"id": entry.id, "key": entry.key, "value": entry.value} for entry in entries]


def _dates(state: ShopState, record: Stocked | Customer | Webhook) -> dict[str, str | None]:
    return {**dates("date_created", record.date_created, state.zone),
            **dates("date_modified", record.date_modified, state.zone)}


# What WooCommerce shows of the parts of a product the simulator does not model: sales
# schedules, downloads, shipping and dimensions, as a new product has them.
_UNMODELLED_STOCKED: dict[str, Any] = {
    "date_on_sale_from": None,
    "date_on_sale_from_gmt": None,
    "date_on_sale_to": None,
    "date_on_sale_to_gmt": None,
    "downloads": [],
    "download_limit": -1,
    "download_expiry": -1,
    "low_stock_amount": None,
    "weight": "",
    "dimensions": {"length": "", "width": "", "height": ""},
    "shipping_class": "",
    "shipping_class_id": 0,
}
_UNMODELLED_PRODUCT: dict[str, Any] = {
    "external_url": "",
    "button_text": "",
    "shipping_required": True,
    "shipping_taxable": True,
    "reviews_allowed": True,
    "average_rating": "0.00",
    "rating_count": 0,
    "related_ids": [],
    "upsell_ids": [],
    "cross_sell_ids": [],
    "purchase_note": "",
    "post_password": "",
    "brands": [],
}


def _price_html(state: ShopState, price: str) -> str:
    if not price:
        return ""
    symbol = "&#36;" if state.settings.currency == "USD" else state.settings.currency
    return (
        '<span class="woocommerce-Price-amount amount"><bdi><span '
        f'class="woocommerce-Price-currencySymbol">{symbol}</span>{Decimal(price):.2f}'
        "</bdi></span>"
    )


def _stock_fields(state: ShopState, record: Stocked) -> dict[str, Any]:
    return {
        "sku": record.sku,
        "global_unique_id": record.global_unique_id,
        "price": record.price,
        "regular_price": record.regular_price,
        "sale_price": record.sale_price,
        "on_sale": bool(record.sale_price),
        "purchasable": record.price != "" and record.status == "publish",
        "manage_stock": record.manage_stock and state.settings.manage_stock,
        "stock_quantity": record.stock_quantity if record.manage_stock else None,
        "stock_status": record.stock_status,
        "backorders": record.backorders,
        "backorders_allowed": record.backorders != "no",
        "backordered": record.manage_stock
        and record.stock_quantity is not None
        and record.stock_quantity < 0,
        "status": record.status,
        "description": record.description,
        "meta_data": meta(record.meta_data),
        "tax_status": "taxable",
        "tax_class": "",
        "virtual": record.virtual,
        "downloadable": record.downloadable,
        **_UNMODELLED_STOCKED,
    }


def product(state: ShopState, record: Product) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": record.id,
        "name": record.name,
        "slug": record.slug,
        "permalink": f"{state.site_url}/product/{record.slug}/",
        **_dates(state, record),
        "type": record.type,
        "featured": False,
        "catalog_visibility": "visible",
        "short_description": record.short_description,
        **_stock_fields(state, record),
        "total_sales": record.total_sales,
        "low_stock_amount": None,
        "sold_individually": False,
        "categories": [],
        "tags": [],
        "images": [],
        "attributes": record.attributes,
        "default_attributes": [],
        "variations": list(record.variation_ids),
        "grouped_products": [],
        "menu_order": 0,
        "parent_id": 0,
        "has_options": record.type == "variable",
        **_UNMODELLED_PRODUCT,
        "price_html": _price_html(state, record.price),
        "_links": _links(state, f"products/{record.id}", "products"),
    }
    if record.type == "variable":
        data.update(_variable_summary(state, record))
    return data


def _variable_summary(state: ShopState, record: Product) -> dict[str, Any]:
    children = [state.variations[vid] for vid in record.variation_ids if vid in state.variations]
    prices = sorted(Decimal(child.price) for child in children if child.price)
    statuses = {child.stock_status for child in children}
    in_stock = "instock" in statuses or "onbackorder" in statuses
    return {
        "price": str(prices[0]) if prices else "",
        "regular_price": "",
        "sale_price": "",
        "stock_status": "instock" if in_stock else "outofstock",
    }


def variation(state: ShopState, record: Variation) -> dict[str, Any]:
    parent = state.products.get(record.parent_id)
    parent_name = parent.name if parent else ""
    options = ", ".join(str(attr.get("option", "")) for attr in record.attributes)
    managed_by_parent = (not record.manage_stock and parent is not None and parent.manage_stock
                         and state.settings.manage_stock)
    data: dict[str, Any] = {
        "id": record.id,
        "type": "variation",
        "parent_id": record.parent_id,
        "name": f"{parent_name} - {options}" if options else parent_name,
        **_dates(state, record),
        "permalink": f"{state.site_url}/product/{parent.slug if parent else ''}/"
        f"?variation_id={record.id}",
        **_stock_fields(state, record),
        "attributes": record.attributes,
        "menu_order": record.menu_order,
        "image": None,
        "_links": {
            **_links(
                state,
                f"products/{record.parent_id}/variations/{record.id}",
                f"products/{record.parent_id}/variations",
            ),
            "up": [{"href": f"{state.api_root}/products/{record.parent_id}"}],
        },
    }
    if managed_by_parent and parent is not None:
        data["manage_stock"] = "parent"
        data["stock_quantity"] = parent.stock_quantity
    return data


def stocked(state: ShopState, record: Product | Variation) -> dict[str, Any]:
    if isinstance(record, Variation):
        return variation(state, record)
    return product(state, record)


def listed(state: ShopState, record: Product | Variation) -> dict[str, Any]:
    """A record as ``GET /products`` shows it: the products controller renders a variation
    its SKU filter finds with a product's fields, as a variation with no reviews, sales
    count (a string there), images or variations of its own."""
    if isinstance(record, Product):
        return product(state, record)
    parent = state.products.get(record.parent_id)
    data = variation(state, record)
    del data["image"]
    values = [str(a.get("option", "")) for a in record.attributes]
    query = "&".join(f"attribute_{str(a.get('name', '')).lower()}={a.get('option', '')}"
                     for a in record.attributes)
    return {
        **data,
        **_UNMODELLED_PRODUCT,
        # The variation's own post name, from its title (WordPress adds "-2"… when taken).
        "slug": re.sub(r"[^a-z0-9]+", "-", " ".join([parent.name if parent else "", *values])
                       .lower()).strip("-"),
        "permalink": f"{state.site_url}/product/{parent.slug if parent else ''}/"
        + (f"?{query}" if query else ""),
        "featured": False,
        "catalog_visibility": "visible",
        "short_description": "",
        "total_sales": "0",
        "sold_individually": False,
        "categories": [],
        "tags": [],
        "images": [],
        "default_attributes": [],
        "variations": [],
        "grouped_products": [],
        "has_options": False,
        "reviews_allowed": False,
        "price_html": _price_html(state, record.price),
    }


def _taxes(record: Order, total: Decimal, subtotal: Decimal | None = None
           ) -> list[dict[str, Any]]:
    """An item's ``taxes``: one entry per rate the order was charged."""
    if record.tax_rate is None:
        return []
    taxed = {"id": record.tax_rate[0], "total": money(total)}
    if subtotal is not None:
        taxed["subtotal"] = money(subtotal)
    return [taxed]


def _line_item(record: Order, item: LineItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "product_id": item.product_id,
        "variation_id": item.variation_id,
        "quantity": item.quantity,
        "tax_class": "",
        "subtotal": money(item.subtotal),
        "subtotal_tax": money(item.subtotal_tax),
        "total": money(item.total),
        "total_tax": money(item.total_tax),
        "taxes": _taxes(record, item.total_tax, item.subtotal_tax),
        "meta_data": meta(item.meta_data),
        "sku": item.sku,
        # ``get_total() / quantity`` as PHP computes it: a float, a JSON number.
        "price": float(item.total) / max(1, item.quantity),
        "image": {"id": "", "src": ""},
        "parent_name": item.parent_name,
    }


def _tax_lines(record: Order) -> list[dict[str, Any]]:
    if record.tax_rate is None:
        return []
    rate_id, percent = record.tax_rate
    shipping_tax = sum((line.total_tax for line in record.shipping_lines), Decimal(0))
    return [{"id": rate_id + 1000, "rate_code": f"US-TAX-{rate_id}", "rate_id": rate_id,
             "label": "Tax", "compound": False,
             "tax_total": money(record.total_tax - shipping_tax),
             "shipping_tax_total": money(shipping_tax), "rate_percent": float(percent),
             "meta_data": []}]


def order(state: ShopState, record: Order) -> dict[str, Any]:
    shipping_total = sum((line.total for line in record.shipping_lines), Decimal(0))
    shipping_tax = sum((line.total_tax for line in record.shipping_lines), Decimal(0))
    discount = sum((line.discount for line in record.coupon_lines), Decimal(0))
    discount_tax = sum((line.discount_tax for line in record.coupon_lines), Decimal(0))
    cart_tax = record.total_tax - shipping_tax
    return {
        "id": record.id,
        "parent_id": 0,
        "number": str(record.id),
        "order_key": record.order_key,
        "created_via": record.created_via,
        "version": WOOCOMMERCE_VERSION,
        "status": record.status,
        "currency": record.currency,
        **dates("date_created", record.date_created, state.zone),
        **dates("date_modified", record.date_modified, state.zone),
        "discount_total": money(discount),
        "discount_tax": money(discount_tax),
        "shipping_total": money(shipping_total),
        "shipping_tax": money(shipping_tax),
        "cart_tax": money(cart_tax),
        "total": money(record.total),
        "total_tax": money(record.total_tax),
        "prices_include_tax": record.prices_include_tax,
        "customer_id": record.customer_id,
        "customer_ip_address": "",
        "customer_user_agent": "",
        "customer_note": record.customer_note,
        "billing": {name: record.billing.get(name, "") for name in BILLING_FIELDS},
        "shipping": {name: record.shipping.get(name, "") for name in SHIPPING_FIELDS},
        "payment_method": record.payment_method,
        "payment_method_title": record.payment_method_title,
        "transaction_id": record.transaction_id,
        **dates("date_paid", record.date_paid, state.zone),
        **dates("date_completed", record.date_completed, state.zone),
        "cart_hash": "",
        "currency_symbol": "$" if record.currency == "USD" else record.currency,
        "is_editable": record.status in ("pending", "on-hold", "auto-draft", "checkout-draft"),
        "needs_payment": record.status in ("pending", "failed") and record.total > 0,
        "needs_processing": any(item.needs_processing for item in record.line_items),
        "payment_url": f"{state.site_url}/checkout/order-pay/{record.id}/"
        f"?pay_for_order=true&key={record.order_key}",
        "meta_data": meta(record.meta_data),
        "line_items": [_line_item(record, item) for item in record.line_items],
        "tax_lines": _tax_lines(record),
        "shipping_lines": [
            {
                "id": line.id,
                "method_title": line.method_title,
                "method_id": line.method_id,
                "instance_id": "1",
                "total": money(line.total),
                "total_tax": money(line.total_tax),
                "taxes": _taxes(record, line.total_tax),
                "meta_data": [],
            }
            for line in record.shipping_lines
        ],
        "fee_lines": [
            {"id": line.id, "name": line.name, "tax_class": "", "tax_status": "taxable",
             "amount": money(line.total), "total": money(line.total),
             "total_tax": money(line.total_tax), "taxes": _taxes(record, line.total_tax),
             "meta_data": []}
            for line in record.fee_lines
        ],
        "coupon_lines": [
            {"id": line.id, "code": line.code, "discount": money(line.discount),
             "discount_tax": money(line.discount_tax), "discount_type": line.discount_type,
             "nominal_amount": float(line.nominal_amount), "free_shipping": False,
             "meta_data": []}
            for line in record.coupon_lines
        ],
        "refunds": [
            {"id": refund.id, "reason": refund.reason, "total": money(-refund.amount)}
            for refund in record.refunds
        ],
        "_links": _links(state, f"orders/{record.id}", "orders"),
    }


def refund(state: ShopState, owner: Order, record: Refund) -> dict[str, Any]:
    items = {item.id: item for item in owner.line_items}
    shipping = {item.id: item for item in owner.shipping_lines}
    lines = []
    for line in record.line_items:
        if line.shipping:
            continue
        source = items[line.refunded_item_id]
        lines.append(
            {
                "id": line.id,
                "name": source.name,
                "product_id": source.product_id,
                "variation_id": source.variation_id,
                "quantity": -line.quantity,
                "tax_class": "",
                "subtotal": money(-line.total),
                "subtotal_tax": money(-line.total_tax),
                "total": money(-line.total),
                "total_tax": money(-line.total_tax),
                "taxes": _taxes(owner, -line.total_tax, -line.total_tax),
                "meta_data": [{"id": 0, "key": "_refunded_item_id", "value": str(source.id)}],
                "sku": source.sku,
                "price": float(-line.total) / max(1, line.quantity),
            }
        )
    return {
        "id": record.id,
        **dates("date_created", record.date_created, state.zone),
        "amount": money(record.amount),
        "reason": record.reason,
        "refunded_by": 1,
        "refunded_payment": record.refunded_payment,
        "meta_data": meta(record.meta_data),
        "line_items": lines,
        "shipping_lines": [
            {"id": line.id, "method_title": shipping[line.refunded_item_id].method_title,
             "method_id": shipping[line.refunded_item_id].method_id, "instance_id": "1",
             "total": money(-line.total), "total_tax": money(-line.total_tax),
             "taxes": _taxes(owner, -line.total_tax),
             "meta_data": [{"id": 0, "key": "_refunded_item_id",
                            "value": str(line.refunded_item_id)}]}
            for line in record.line_items if line.shipping
        ],
        "tax_lines": [],
        "fee_lines": [],
        "_links": {
            **_links(state, f"orders/{owner.id}/refunds/{record.id}", f"orders/{owner.id}/refunds"),
            "up": [{"href": f"{state.api_root}/orders/{owner.id}"}],
        },
    }


def customer(state: ShopState, record: Customer) -> dict[str, Any]:
    return {
        "id": record.id,
        **_dates(state, record),
        "email": record.email,
        "first_name": record.first_name,
        "last_name": record.last_name,
        "role": record.role,
        "username": record.username,
        "billing": {name: record.billing.get(name, "") for name in BILLING_FIELDS},
        "shipping": {name: record.shipping.get(name, "") for name in SHIPPING_FIELDS},
        "is_paying_customer": record.is_paying_customer,
        "avatar_url": "",
        "meta_data": meta(record.meta_data),
        "_links": _links(state, f"customers/{record.id}", "customers"),
    }


def webhook(state: ShopState, record: Webhook) -> dict[str, Any]:
    return {
        "id": record.id,
        "name": record.name,
        "status": record.status,
        "topic": record.topic,
        "resource": record.resource,
        "event": record.event,
        "hooks": list(TOPIC_HOOKS.get(record.topic, (record.event,) if record.resource == "action"
                                      else ())),
        "delivery_url": record.delivery_url,
        **_dates(state, record),
        "_links": _links(state, f"webhooks/{record.id}", "webhooks"),
    }
