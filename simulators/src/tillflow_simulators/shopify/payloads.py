"""Webhook bodies in the REST resource shapes Shopify sends (numeric ids, snake_case keys,
prices as decimal strings, timestamps with an offset at second precision)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from tillflow_simulators.shopify.model import (
    Customer,
    InventoryLevel,
    LineItem,
    Order,
    Product,
    ProductVariant,
    Refund,
    RefundLineItem,
)


def timestamp(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def price(value: Decimal | None) -> str | None:
    return f"{value:.2f}" if value is not None else None


def variant(record: ProductVariant) -> dict[str, Any]:
    item = record.inventory_item
    return {
        "id": record.number,
        "product_id": record.product.number if record.product else None,
        "title": record.title,
        "price": price(record.price),
        "compare_at_price": price(record.compare_at_price),
        "sku": record.sku or "",
        "barcode": record.barcode,
        "position": record.position,
        "taxable": record.taxable,
        "inventory_item_id": item.number if item else None,
        "inventory_quantity": record.inventory_quantity,
        "inventory_management": "shopify" if item and item.tracked else None,
        "created_at": timestamp(record.created_at),
        "updated_at": timestamp(record.updated_at),
        "admin_graphql_api_id": record.id,
    }


def product(record: Product) -> dict[str, Any]:
    return {
        "id": record.number,
        "title": record.title,
        "handle": record.handle,
        "body_html": record.description_html,
        "vendor": record.vendor,
        "product_type": record.product_type,
        "status": record.status.lower(),
        "tags": ", ".join(record.tags),
        "created_at": timestamp(record.created_at),
        "updated_at": timestamp(record.updated_at),
        "variants": [variant(v) for v in record.variants],
        "admin_graphql_api_id": record.id,
    }


def inventory_level(record: InventoryLevel) -> dict[str, Any]:
    return {
        "inventory_item_id": record.item.number if record.item else None,
        "location_id": record.location.number if record.location else None,
        "available": record.quantity("available"),
        "updated_at": timestamp(record.updated_at),
        "admin_graphql_api_id": record.id,
    }


def customer(record: Customer) -> dict[str, Any]:
    return {
        "id": record.number,
        "email": record.email,
        "first_name": record.first_name,
        "last_name": record.last_name,
        "phone": record.phone,
        "note": record.note,
        "tags": ", ".join(record.tags),
        "orders_count": record.number_of_orders,
        "created_at": timestamp(record.created_at),
        "updated_at": timestamp(record.updated_at),
        "admin_graphql_api_id": record.id,
    }


def line_item(record: LineItem) -> dict[str, Any]:
    product_record = record.product
    return {
        "id": record.number,
        "variant_id": record.variant.number if record.variant else None,
        "product_id": product_record.number if product_record else None,
        "title": record.title,
        "name": record.title,
        "sku": record.sku,
        "quantity": record.quantity,
        "current_quantity": record.current_quantity,
        "price": price(record.price),
        "fulfillable_quantity": record.current_quantity,
        "fulfillment_status": None,
        "admin_graphql_api_id": record.id,
    }


def refund_line_item(record: RefundLineItem) -> dict[str, Any]:
    line = record.line_item
    return {
        "id": record.number,
        "line_item_id": line.number if line else None,
        "location_id": record.location.number if record.location else None,
        "quantity": record.quantity,
        "restock_type": record.restock_type.lower(),
        "subtotal": price(record.subtotal),
        "line_item": line_item(line) if line else None,
    }


def refund(record: Refund) -> dict[str, Any]:
    return {
        "id": record.number,
        "order_id": record.order.number if record.order else None,
        "created_at": timestamp(record.created_at),
        "processed_at": timestamp(record.created_at),
        "note": record.note,
        "restock": any(line.restocked for line in record.lines),
        "refund_line_items": [refund_line_item(line) for line in record.lines],
        "transactions": [],
        "admin_graphql_api_id": record.id,
    }


def order(record: Order) -> dict[str, Any]:
    return {
        "id": record.number,
        "name": record.name,
        "order_number": record.order_number,
        "email": record.email,
        "phone": record.phone,
        "note": record.note,
        "tags": ", ".join(record.tags),
        "test": record.test,
        "currency": record.currency,
        "source_name": record.source_name,
        "source_identifier": record.source_identifier,
        "financial_status": record.display_financial_status.lower(),
        "fulfillment_status": None,
        "subtotal_price": price(record.subtotal),
        "total_price": price(record.total),
        "current_total_price": price(record.total - record.refunded),
        "total_tax": price(record.total_tax),
        "total_discounts": price(sum((x.total_discount for x in record.line_items),
                                     Decimal(0))),
        "total_shipping_price_set": {"shop_money": {"amount": price(record.shipping),
                                                    "currency_code": record.currency}},
        "taxes_included": record.taxes_included,
        "payment_gateway_names": record.payment_gateway_names,
        "discount_codes": [{"code": code} for code in record.discount_codes],
        "created_at": timestamp(record.created_at),
        "updated_at": timestamp(record.updated_at),
        "processed_at": timestamp(record.processed_at),
        "cancelled_at": timestamp(record.cancelled_at),
        "cancel_reason": record.cancel_reason.lower() if record.cancel_reason else None,
        "closed_at": timestamp(record.cancelled_at),
        "location_id": record.location.number if record.location else None,
        "customer": customer(record.customer) if record.customer else None,
        "line_items": [line_item(line) for line in record.line_items],
        "refunds": [refund(r) for r in record.refunds],
        "admin_graphql_api_id": record.id,
    }
