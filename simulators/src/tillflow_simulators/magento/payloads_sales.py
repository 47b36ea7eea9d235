"""The JSON of carts, orders and their invoices, shipments and credit memos."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow_simulators.magento import checkout
from tillflow_simulators.magento.model import (
    ZERO,
    Cart,
    CartItem,
    Comment,
    Document,
    Order,
    OrderItem,
)
from tillflow_simulators.magento.store import CURRENCY, MagentoStore

ADDRESS_FIELDS = (
    "region",
    "region_id",
    "region_code",
    "country_id",
    "street",
    "telephone",
    "postcode",
    "city",
    "firstname",
    "lastname",
    "email",
    "company",
)


def cart(item: Cart) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": item.id,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "is_active": item.is_active,
        "is_virtual": False,
        "items": [cart_item(line, item.masked_id) for line in item.items],
        "items_count": len(item.items),
        "items_qty": sum((line.qty for line in item.items), ZERO),
        "customer": {"email": item.email, "firstname": None, "lastname": None},
        "orig_order_id": 0,
        "currency": {
            "global_currency_code": CURRENCY,
            "base_currency_code": CURRENCY,
            "store_currency_code": CURRENCY,
            "quote_currency_code": CURRENCY,
            "store_to_base_rate": 0,
            "store_to_quote_rate": 0,
            "base_to_global_rate": 1,
            "base_to_quote_rate": 1,
        },
        "customer_is_guest": True,
        "customer_note_notify": True,
        "customer_tax_class_id": 3,
        "store_id": item.store_id,
    }
    if item.billing_address:
        body["billing_address"] = quote_address(item.billing_address)
    if item.reserved_order_id:
        body["reserved_order_id"] = item.reserved_order_id
    return body


def cart_item(item: CartItem, quote_id: str) -> dict[str, Any]:
    return {
        "item_id": item.item_id,
        "sku": item.sku,
        "qty": item.qty,
        "name": item.name,
        "price": item.price,
        "product_type": item.product_type,
        "quote_id": quote_id,
    }


def quote_address(address: dict[str, Any]) -> dict[str, Any]:
    body = {name: address.get(name) for name in ADDRESS_FIELDS}
    body["street"] = list(address.get("street") or [])
    return body


def shipping_methods(store: MagentoStore, item: Cart) -> list[dict[str, Any]]:
    amount = checkout.shipping_amount(store, item)
    return [
        {
            "carrier_code": "flatrate",
            "method_code": "flatrate",
            "carrier_title": "Flat Rate",
            "method_title": "Fixed",
            "amount": amount,
            "base_amount": amount,
            "available": True,
            "error_message": "",
            "price_excl_tax": amount,
            "price_incl_tax": amount,
        }
    ]


def payment_methods() -> list[dict[str, Any]]:
    return [{"code": checkout.CHECKMO, "title": checkout.CHECKMO_TITLE}]


def totals(store: MagentoStore, item: Cart) -> dict[str, Any]:
    subtotal = sum((line.price * line.qty for line in item.items), ZERO)
    shipping = checkout.shipping_amount(store, item) if item.shipping_method else ZERO
    grand = subtotal + shipping
    return {
        "grand_total": grand,
        "base_grand_total": grand,
        "subtotal": subtotal,
        "base_subtotal": subtotal,
        "discount_amount": ZERO,
        "base_discount_amount": ZERO,
        "subtotal_with_discount": subtotal,
        "base_subtotal_with_discount": subtotal,
        "shipping_amount": shipping,
        "base_shipping_amount": shipping,
        "shipping_discount_amount": ZERO,
        "base_shipping_discount_amount": ZERO,
        "tax_amount": ZERO,
        "base_tax_amount": ZERO,
        "weee_tax_applied_amount": None,
        "shipping_tax_amount": ZERO,
        "base_shipping_tax_amount": ZERO,
        "subtotal_incl_tax": subtotal,
        "shipping_incl_tax": shipping,
        "base_shipping_incl_tax": shipping,
        "base_currency_code": CURRENCY,
        "quote_currency_code": CURRENCY,
        "items_qty": int(sum((line.qty for line in item.items), ZERO)),
        "items": [
            {
                "item_id": line.item_id,
                "price": line.price,
                "base_price": line.price,
                "qty": line.qty,
                "row_total": line.price * line.qty,
                "base_row_total": line.price * line.qty,
                "row_total_with_discount": ZERO,
                "tax_amount": ZERO,
                "base_tax_amount": ZERO,
                "tax_percent": ZERO,
                "discount_amount": ZERO,
                "base_discount_amount": ZERO,
                "discount_percent": ZERO,
                "price_incl_tax": line.price,
                "base_price_incl_tax": line.price,
                "row_total_incl_tax": line.price * line.qty,
                "base_row_total_incl_tax": line.price * line.qty,
                "options": "[]",
                "weee_tax_applied_amount": None,
                "weee_tax_applied": None,
                "name": line.name,
            }
            for line in item.items
        ],
        "total_segments": [
            {"code": "subtotal", "title": "Subtotal", "value": subtotal},
            {
                "code": "shipping",
                "title": "Shipping & Handling (Flat Rate - Fixed)",
                "value": shipping,
            },
            {"code": "tax", "title": "Tax", "value": ZERO},
            {"code": "grand_total", "title": "Grand Total", "value": grand, "area": "footer"},
        ],
    }


def payment_details(store: MagentoStore, item: Cart) -> dict[str, Any]:
    return {"payment_methods": payment_methods(), "totals": totals(store, item)}


def order(item: Order) -> dict[str, Any]:
    paid = item.total_invoiced
    refunded = item.total_refunded
    canceled = sum((i.price * i.qty_canceled for i in item.items), ZERO)
    money = {
        "grand_total": item.grand_total,
        "subtotal": item.subtotal,
        "shipping_amount": item.shipping_amount,
        "shipping_incl_tax": item.shipping_amount,
        "subtotal_incl_tax": item.subtotal,
        "tax_amount": ZERO,
        "discount_amount": ZERO,
        "shipping_tax_amount": ZERO,
        "total_due": item.grand_total - paid - canceled,
        "total_invoiced": paid,
        "total_paid": paid,
        "total_refunded": refunded,
        "total_offline_refunded": refunded,
        "shipping_invoiced": item.shipping_invoiced,
        "shipping_refunded": item.shipping_refunded,
        "subtotal_invoiced": paid - item.shipping_invoiced,
        "subtotal_refunded": refunded - item.shipping_refunded,
        "total_canceled": canceled,
        "subtotal_canceled": canceled,
    }
    body: dict[str, Any] = {
        "entity_id": item.entity_id,
        "increment_id": item.increment_id,
        "state": item.state,
        "status": item.status,
        "store_id": item.store_id,
        "store_name": "Main Website\nMain Website Store\nDefault Store View",
        "quote_id": item.quote_id,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "customer_email": item.customer_email,
        "customer_firstname": item.customer_firstname,
        "customer_lastname": item.customer_lastname,
        "customer_is_guest": 1 if item.customer_id is None else 0,
        "customer_group_id": 0 if item.customer_id is None else 1,
        "customer_note_notify": 1,
        "base_currency_code": CURRENCY,
        "global_currency_code": CURRENCY,
        "order_currency_code": CURRENCY,
        "store_currency_code": CURRENCY,
        "base_to_global_rate": 1,
        "base_to_order_rate": 1,
        "store_to_base_rate": 0,
        "store_to_order_rate": 0,
        "is_virtual": 0,
        "shipping_description": item.shipping_description,
        "total_item_count": len(item.items),
        "total_qty_ordered": item.total_qty_ordered,
        "weight": ZERO,
        "email_sent": 1,
        **money,
        **{f"base_{name}": value for name, value in money.items()},
        "items": [order_item(line, item) for line in item.items],
        "billing_address": order_address(item.billing_address, item, "billing"),
        "payment": {
            "account_status": None,
            "additional_information": [checkout.CHECKMO_TITLE],
            "cc_last4": None,
            "method": item.payment_method,
            "entity_id": item.entity_id,
            "parent_id": item.entity_id,
            "amount_ordered": item.grand_total,
            "base_amount_ordered": item.grand_total,
            "amount_paid": paid,
            "base_amount_paid": paid,
            "shipping_amount": item.shipping_amount,
            "base_shipping_amount": item.shipping_amount,
        },
        "status_histories": [comment(c) for c in reversed(item.comments)],
        "extension_attributes": _order_extension(item),
    }
    if item.customer_id is not None:
        body["customer_id"] = item.customer_id
    return body


def _order_extension(item: Order) -> dict[str, Any]:
    if item.shipping_address is None:
        return {}
    return {
        "shipping_assignments": [
            {
                "shipping": {
                    "address": order_address(item.shipping_address, item, "shipping"),
                    "method": item.shipping_method,
                    "total": {
                        "shipping_amount": item.shipping_amount,
                        "base_shipping_amount": item.shipping_amount,
                        "shipping_incl_tax": item.shipping_amount,
                        "base_shipping_incl_tax": item.shipping_amount,
                    },
                },
                "items": [order_item(line, item) for line in item.items],
            }
        ],
    }


def order_item(item: OrderItem, parent: Order) -> dict[str, Any]:
    return {
        "item_id": item.item_id,
        "order_id": parent.entity_id,
        "quote_item_id": item.quote_item_id,
        "store_id": parent.store_id,
        "created_at": item.created_at,
        "updated_at": parent.updated_at,
        "product_id": item.product_id,
        "product_type": item.product_type,
        "sku": item.sku,
        "name": item.name,
        "is_virtual": 0,
        "is_qty_decimal": 0,
        "no_discount": 0,
        "price": item.price,
        "base_price": item.price,
        "original_price": item.price,
        "base_original_price": item.price,
        "price_incl_tax": item.price,
        "base_price_incl_tax": item.price,
        "row_total": item.row_total,
        "base_row_total": item.row_total,
        "row_total_incl_tax": item.row_total,
        "base_row_total_incl_tax": item.row_total,
        "tax_amount": ZERO,
        "tax_percent": ZERO,
        "discount_amount": ZERO,
        "discount_percent": ZERO,
        "qty_ordered": item.qty_ordered,
        "qty_invoiced": item.qty_invoiced,
        "qty_shipped": item.qty_shipped,
        "qty_refunded": item.qty_refunded,
        "qty_canceled": item.qty_canceled,
        "row_invoiced": item.price * item.qty_invoiced,
        "amount_refunded": item.price * item.qty_refunded,
        "weight": ZERO,
        "row_weight": ZERO,
    }


def order_address(address: dict[str, Any], parent: Order, kind: str) -> dict[str, Any]:
    body = {name: address.get(name) for name in ADDRESS_FIELDS}
    body["street"] = list(address.get("street") or [])
    body["email"] = address.get("email") or parent.customer_email
    body["address_type"] = kind
    body["parent_id"] = parent.entity_id
    body["entity_id"] = parent.entity_id * 2 - (1 if kind == "shipping" else 0)
    return body


def comment(item: Comment, entity_name: str = "order") -> dict[str, Any]:
    return {
        "entity_id": item.entity_id,
        "parent_id": item.parent_id,
        "comment": item.comment,
        "created_at": item.created_at,
        "status": item.status,
        "entity_name": entity_name,
        "is_customer_notified": item.is_customer_notified,
        "is_visible_on_front": item.is_visible_on_front,
    }


def invoice(item: Document, parent: Order) -> dict[str, Any]:
    return {
        **_document(item, parent),
        **_currencies(),
        "total_qty": item.total_qty,
        "state": item.state,
        "grand_total": item.grand_total,
        "base_grand_total": item.grand_total,
        "subtotal": item.subtotal,
        "base_subtotal": item.subtotal,
        "shipping_amount": item.shipping_amount,
        "base_shipping_amount": item.shipping_amount,
        "tax_amount": ZERO,
        "base_tax_amount": ZERO,
        "billing_address_id": parent.entity_id * 2,
        "items": [_document_item(line) for line in item.items],
        "comments": [],
    }


def shipment(item: Document, parent: Order) -> dict[str, Any]:
    return {
        **_document(item, parent),
        "total_qty": item.total_qty,
        "shipping_address_id": parent.entity_id * 2 - 1,
        "billing_address_id": parent.entity_id * 2,
        "items": [
            {
                "entity_id": line.entity_id,
                "parent_id": item.entity_id,
                "order_item_id": line.order_item_id,
                "sku": line.sku,
                "name": line.name,
                "product_id": line.product_id,
                "price": line.price,
                "qty": line.qty,
                "weight": ZERO,
            }
            for line in item.items
        ],
        "tracks": [
            {
                "order_id": parent.entity_id,
                "parent_id": item.entity_id,
                "weight": ZERO,
                "qty": ZERO,
                "description": track.get("description") or "",
                "track_number": track.get("track_number"),
                "title": track.get("title"),
                "carrier_code": track.get("carrier_code"),
                "entity_id": track["entity_id"],
                "created_at": item.created_at,
            }
            for track in item.tracks
        ],
        "comments": [],
        "extension_attributes": {"source_code": item.source_code},
    }


def creditmemo(item: Document, parent: Order) -> dict[str, Any]:
    return {
        **_document(item, parent),
        **_currencies(),
        "state": item.state,
        "grand_total": item.grand_total,
        "base_grand_total": item.grand_total,
        "subtotal": item.subtotal,
        "base_subtotal": item.subtotal,
        "shipping_amount": item.shipping_amount,
        "base_shipping_amount": item.shipping_amount,
        "adjustment_positive": item.adjustment_positive,
        "base_adjustment_positive": item.adjustment_positive,
        "adjustment_negative": item.adjustment_negative,
        "base_adjustment_negative": item.adjustment_negative,
        "adjustment": item.adjustment_positive - item.adjustment_negative,
        "tax_amount": ZERO,
        "base_tax_amount": ZERO,
        "billing_address_id": parent.entity_id * 2,
        "items": [
            {**_document_item(line), "base_cost": ZERO, "base_price": line.price}
            for line in item.items
        ],
        "comments": [],
    }


def _document(item: Document, parent: Order) -> dict[str, Any]:
    return {
        "entity_id": item.entity_id,
        "increment_id": item.increment_id,
        "order_id": parent.entity_id,
        "store_id": parent.store_id,
        "created_at": item.created_at,
        "updated_at": item.created_at,
    }


def _currencies() -> dict[str, str]:
    return {
        "base_currency_code": CURRENCY,
        "order_currency_code": CURRENCY,
        "store_currency_code": CURRENCY,
        "global_currency_code": CURRENCY,
    }


def _document_item(line: Any) -> dict[str, Any]:
    row: Decimal = line.row_total
    return {
        "entity_id": line.entity_id,
        "order_item_id": line.order_item_id,
        "sku": line.sku,
        "name": line.name,
        "product_id": line.product_id,
        "price": line.price,
        "base_price": line.price,
        "qty": line.qty,
        "row_total": row,
        "base_row_total": row,
        "price_incl_tax": line.price,
        "row_total_incl_tax": row,
        "tax_amount": ZERO,
    }
