"""Shopify orders in the port's terms."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from tillflow.connectors.shopify.customers import email_of, phone_of
from tillflow.ports.commerce import Buyer, OrderLine, RemoteOrder


def order_from(node: dict[str, Any]) -> RemoteOrder:
    lines = tuple(
        OrderLine(sku=item["sku"], quantity=int(item["quantity"]),
                  unit_price=Decimal(item["originalUnitPriceSet"]["shopMoney"]["amount"]))
        for item in node["lineItems"]["nodes"] if item.get("sku")
    )
    cancelled = node.get("cancelledAt") is not None
    return RemoteOrder(
        external_id=node["id"], updated_at=node["updatedAt"],
        location=(node.get("retailLocation") or {}).get("id"),
        lines=lines, cancelled=cancelled, restocked=_restocked(node, lines, cancelled),
        buyer=_buyer(node), source_id=node.get("sourceIdentifier"),
    )


def _restocked(node: dict[str, Any], lines: tuple[OrderLine, ...],
               cancelled: bool) -> dict[str, int]:
    """Units put back: refund lines marked restocked, or every line of a cancelled order
    (cancelling restocks unless the merchant says otherwise)."""
    back: Counter[str] = Counter()
    for refund in node.get("refunds") or []:
        for item in refund["refundLineItems"]["nodes"]:
            sku = (item.get("lineItem") or {}).get("sku")
            if item.get("restocked") and sku:
                back[sku] += int(item["quantity"])
    if cancelled:
        for line in lines:
            back[line.sku] = max(back[line.sku], _ordered(lines, line.sku))
    return dict(back)


def _ordered(lines: tuple[OrderLine, ...], sku: str) -> int:
    return sum(line.quantity for line in lines if line.sku == sku)


def _buyer(node: dict[str, Any]) -> Buyer | None:
    customer = node.get("customer") or {}
    email = email_of(customer) or node.get("email")
    phone = phone_of(customer) or node.get("phone")
    if not email and not phone:
        return None
    return Buyer(email=email, phone=phone, first_name=customer.get("firstName"),
                 last_name=customer.get("lastName"))
