"""Records as the REST API v3 shows them (the same JSON webhooks carry)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

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
from tillflow_simulators.woocommerce.state import ShopState
from tillflow_simulators.woocommerce.wcformat import money, wc_date


def _links(state: ShopState, path: str, collection: str) -> dict[str, list[dict[str, str]]]:
    return {
        "self": [{"href": f"{state.api_root}/{path}"}],
        "collection": [{"href": f"{state.api_root}/{collection}"}],
    }


def meta(entries: list[Meta]) -> list[dict[str, Any]]:
    return [{"id": entry.id, "key": entry.key, "value": entry.value} for entry in entries]


def _dates(record: Stocked | Customer | Webhook) -> dict[str, str | None]:
    return {
        "date_created": wc_date(record.date_created),
        "date_created_gmt": wc_date(record.date_created),
        "date_modified": wc_date(record.date_modified),
        "date_modified_gmt": wc_date(record.date_modified),
    }


def _stock_fields(record: Stocked) -> dict[str, Any]:
    return {
        "sku": record.sku,
        "global_unique_id": record.global_unique_id,
        "price": record.price,
        "regular_price": record.regular_price,
        "sale_price": record.sale_price,
        "on_sale": bool(record.sale_price),
        "purchasable": record.price != "" and record.status == "publish",
        "manage_stock": record.manage_stock,
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
        "virtual": False,
        "downloadable": False,
    }


def product(state: ShopState, record: Product) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": record.id,
        "name": record.name,
        "slug": record.slug,
        "permalink": f"{state.site_url}/product/{record.slug}/",
        **_dates(record),
        "type": record.type,
        "featured": False,
        "catalog_visibility": "visible",
        "short_description": record.short_description,
        **_stock_fields(record),
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
    managed_by_parent = not record.manage_stock and parent is not None and parent.manage_stock
    data: dict[str, Any] = {
        "id": record.id,
        "type": "variation",
        "parent_id": record.parent_id,
        "name": f"{parent_name} - {options}" if options else parent_name,
        **_dates(record),
        "permalink": f"{state.site_url}/product/{parent.slug if parent else ''}/"
        f"?variation_id={record.id}",
        **_stock_fields(record),
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
        "price": money(item.price),
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
        "version": "10.3.0",
        "status": record.status,
        "currency": record.currency,
        "date_created": wc_date(record.date_created),
        "date_created_gmt": wc_date(record.date_created),
        "date_modified": wc_date(record.date_modified),
        "date_modified_gmt": wc_date(record.date_modified),
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
        "date_paid": wc_date(record.date_paid),
        "date_paid_gmt": wc_date(record.date_paid),
        "date_completed": wc_date(record.date_completed),
        "date_completed_gmt": wc_date(record.date_completed),
        "cart_hash": "",
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
                "price": money(-line.total / line.quantity) if line.quantity else "0.00",
            }
        )
    return {
        "id": record.id,
        "date_created": wc_date(record.date_created),
        "date_created_gmt": wc_date(record.date_created),
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
        **_dates(record),
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
        "hooks": [],
        "delivery_url": record.delivery_url,
        **_dates(record),
        "_links": _links(state, f"webhooks/{record.id}", "webhooks"),
    }
