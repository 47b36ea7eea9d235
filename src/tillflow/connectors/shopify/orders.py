"""Shopify orders in the port's terms, with what the shop charged (in the shop's
currency: ``shopMoney``).

A line's discounts are its ``discountAllocations``: those of a discount that applies to
the whole order (``targetSelection`` ``ALL``: a discount code or automatic order
discount spread across the lines) are its share of the order discount, the others its
own. Shipping lines are charged at their discounted price with their tax lines. The
order's total and tax are ``totalPriceSet`` and ``totalTaxSet`` (as placed; refunds come
as refunds). The gateway is that of the first successful sale, capture or authorisation,
else the first of ``paymentGatewayNames``; the shop holds the money once the order is
``PAID`` (or refunded since).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from tillflow.connectors.shopify.customers import email_of, phone_of
from tillflow.ports.commerce import (
    SHIPPING,
    Buyer,
    Charge,
    OrderLine,
    Payment,
    RefundLine,
    Rejected,
    RemoteOrder,
    RemoteRefund,
)

PAID = frozenset({"PAID", "PARTIALLY_REFUNDED", "REFUNDED"})
PAYING = frozenset({"SALE", "CAPTURE", "AUTHORIZATION"})
ZERO = Decimal(0)


def order_from(node: dict[str, Any]) -> RemoteOrder:
    try:
        return _order(node)
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise Rejected(f"Shopify order {node.get('id')} cannot be read: "
                       f"{type(exc).__name__} {exc}") from exc


def _order(node: dict[str, Any]) -> RemoteOrder:
    included = bool(node.get("taxesIncluded"))
    lines = tuple(_line(item) for item in node["lineItems"]["nodes"])
    cancelled = node.get("cancelledAt") is not None
    return RemoteOrder(
        external_id=node["id"], updated_at=node["updatedAt"],
        location=(node.get("retailLocation") or {}).get("id"),
        lines=lines, cancelled=cancelled, restocked=_restocked(node, lines, cancelled),
        buyer=_buyer(node), source_id=node.get("sourceIdentifier"),
        currency=node.get("currencyCode"), taxes_included=included,
        charges=tuple(_shipping(line) for line in node["shippingLines"]["nodes"]),
        total_tax=_money(node.get("totalTaxSet")), total=_money(node["totalPriceSet"]),
        payment=Payment(gateway=_gateway(node),
                        paid=node.get("displayFinancialStatus") in PAID),
        refunds=tuple(_refund(refund, included) for refund in node.get("refunds") or []),
    )


def _money(bag: Mapping[str, Any] | None) -> Decimal:
    """A ``MoneyBag``'s shop amount: Shopify's ``Decimal`` scalar, a string."""
    if not bag:
        return ZERO
    return Decimal(str(bag["shopMoney"]["amount"]))


def _rate(tax_lines: list[dict[str, Any]]) -> Decimal | None:
    rates = {Decimal(str(t["rate"])) for t in tax_lines if t.get("rate") is not None}
    return sum(rates, ZERO) if rates else None


def _line(item: Mapping[str, Any]) -> OrderLine:
    quantity = int(item["quantity"])
    unit = _money(item["originalUnitPriceSet"])
    own, shared = ZERO, ZERO
    for allocation in item.get("discountAllocations") or []:
        amount = _money(allocation["allocatedAmountSet"])
        if (allocation.get("discountApplication") or {}).get("targetSelection") == "ALL":
            shared += amount
        else:
            own += amount
    taxes = item.get("taxLines") or []
    return OrderLine(sku=item.get("sku") or "", quantity=quantity, unit_price=unit,
                     amount=unit * quantity, discount=own, order_discount=shared,
                     tax=sum((_money(t["priceSet"]) for t in taxes), ZERO),
                     tax_rate=_rate(taxes))


def _shipping(line: Mapping[str, Any]) -> Charge:
    taxes = line.get("taxLines") or []
    return Charge(kind=SHIPPING, title=str(line.get("title") or SHIPPING),
                  amount=_money(line["discountedPriceSet"]),
                  tax=sum((_money(t["priceSet"]) for t in taxes), ZERO), tax_rate=_rate(taxes))


def _gateway(node: Mapping[str, Any]) -> str | None:
    for transaction in node.get("transactions") or []:
        if transaction.get("kind") in PAYING and transaction.get("status") == "SUCCESS":
            return str(transaction.get("gateway") or "") or None
    names = node.get("paymentGatewayNames") or []
    return str(names[0]) if names else None


def _refund(refund: Mapping[str, Any], included: bool) -> RemoteRefund:
    lines = []
    restock = False
    for item in refund["refundLineItems"]["nodes"]:
        tax = _money(item.get("totalTaxSet"))
        subtotal = _money(item["subtotalSet"])
        lines.append(RefundLine(sku=(item.get("lineItem") or {}).get("sku") or "",
                                quantity=int(item["quantity"]),
                                amount=subtotal if included else subtotal + tax, tax=tax))
        restock = restock or bool(item.get("restocked"))
    shipping = refund.get("refundShippingLines", {}).get("nodes") or []
    shipping_tax = sum((_money(x.get("taxAmountSet")) for x in shipping), ZERO)
    shipping_amount = sum((_money(x["subtotalAmountSet"]) for x in shipping), ZERO)
    return RemoteRefund(
        external_id=str(refund["id"]), lines=tuple(lines),
        charges=shipping_amount if included else shipping_amount + shipping_tax,
        charges_tax=shipping_tax, total=_money(refund["totalRefundedSet"]), restock=restock)


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
            if line.sku:
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
