"""WooCommerce orders in the port's terms, with what the shop charged.

Processing, on-hold and completed orders have taken stock (WooCommerce reduces it once,
on the first of those statuses); cancelled, refunded and pending ones have had it put
back, and pending or failed orders that never took stock are not sales.

Amounts are read from WooCommerce's decimal strings, never from its float ``price``: a
line item's ``subtotal`` is the line before coupons and ``total`` after them, both
without tax (whether or not the shop's prices include tax), and ``total_tax`` its tax;
coupons are the difference, the order's share of its discount. Shipping and fee lines
are charges with their taxes; ``total`` and ``total_tax`` are the order's. The shop holds
the money once ``date_paid`` is set, except for cash on delivery: WooCommerce sets
``date_paid`` as such an order reaches processing, before the courier has the cash, so it
is paid when the order is completed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from tillflow.ports.commerce import (
    FEE,
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

SALE_META = "tillflow_sale"

PLACED = frozenset({"processing", "on-hold", "completed"})
PUT_BACK = frozenset({"cancelled", "refunded", "pending", "failed"})
PAID_WHEN_COMPLETED = frozenset({"cod"})
ZERO = Decimal(0)


def order_from(payload: Mapping[str, Any], refunds: Sequence[Mapping[str, Any]]) -> RemoteOrder:
    try:
        return _order(payload, refunds)
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise Rejected(f"WooCommerce order {payload.get('id')} cannot be read: "
                       f"{type(exc).__name__} {exc}") from exc


def _order(payload: Mapping[str, Any], refunds: Sequence[Mapping[str, Any]]) -> RemoteOrder:
    lines = tuple(_line(item) for item in payload["line_items"])
    status = payload["status"]
    back: Counter[str] = Counter()
    if status in PUT_BACK:
        for line in lines:
            if line.sku:
                back[line.sku] += line.quantity
    else:
        for refund in refunds:
            for item in refund.get("line_items", []):
                if item.get("sku"):
                    back[item["sku"]] += abs(int(item["quantity"]))
    gateway = str(payload.get("payment_method") or "") or None
    return RemoteOrder(
        external_id=str(payload["id"]), updated_at=f"{payload['date_modified_gmt']}Z",
        location=None, lines=lines, cancelled=status in PUT_BACK, restocked=dict(back),
        buyer=_buyer(payload.get("billing") or {}), placed=status in PLACED,
        source_id=source_of(payload), currency=payload.get("currency"),
        charges=(*(_charge(SHIPPING, x, "method_title") for x in payload.get("shipping_lines")
                   or []),
                 *(_charge(FEE, x, "name") for x in payload.get("fee_lines") or [])),
        total_tax=_amount(payload.get("total_tax")), total=_amount(payload["total"]),
        payment=Payment(gateway=gateway, paid=_paid(payload, gateway)),
        refunds=tuple(_refund(refund) for refund in refunds),
    )


def _amount(raw: object) -> Decimal:
    """A WooCommerce money field: a decimal string (a number where a plugin writes one)."""
    if raw is None or raw == "":
        return ZERO
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | Decimal):
        raise ValueError(f"{raw!r} is not an amount")
    return Decimal(str(raw))


def _paid(payload: Mapping[str, Any], gateway: str | None) -> bool:
    if gateway in PAID_WHEN_COMPLETED:
        return payload["status"] == "completed" or payload.get("date_completed_gmt") is not None
    return payload.get("date_paid_gmt") is not None


def _line(item: Mapping[str, Any]) -> OrderLine:
    quantity = int(item["quantity"])
    subtotal, total = _amount(item.get("subtotal")), _amount(item.get("total"))
    return OrderLine(sku=str(item.get("sku") or ""), quantity=quantity,
                     unit_price=subtotal / quantity if quantity else subtotal,
                     amount=subtotal, order_discount=subtotal - total,
                     tax=_amount(item.get("total_tax")))


def _charge(kind: str, line: Mapping[str, Any], title: str) -> Charge:
    return Charge(kind=kind, title=str(line.get(title) or kind),
                  amount=_amount(line.get("total")), tax=_amount(line.get("total_tax")))


def _refund(refund: Mapping[str, Any]) -> RemoteRefund:
    """WooCommerce shows a refund's items negative, without tax, their tax apart."""
    lines = tuple(
        RefundLine(sku=str(item.get("sku") or ""), quantity=abs(int(item["quantity"])),
                   amount=-(_amount(item.get("total")) + _amount(item.get("total_tax"))),
                   tax=-_amount(item.get("total_tax")))
        for item in refund.get("line_items") or [])
    others = [*(refund.get("shipping_lines") or []), *(refund.get("fee_lines") or [])]
    charges_tax = -sum((_amount(x.get("total_tax")) for x in others), ZERO)
    return RemoteRefund(
        external_id=str(refund["id"]), lines=lines,
        charges=-sum((_amount(x.get("total")) for x in others), ZERO) + charges_tax,
        charges_tax=charges_tax, total=_amount(refund["amount"]),
        restock=any(line.quantity for line in lines))


def source_of(payload: Mapping[str, Any]) -> str | None:
    """The till sale an order was made for (the ``tillflow_sale`` meta entry), if any."""
    return next((str(m["value"]) for m in payload.get("meta_data") or []
                 if m.get("key") == SALE_META), None)


def _buyer(billing: Mapping[str, str]) -> Buyer | None:
    email, phone = billing.get("email") or None, billing.get("phone") or None
    if not email and not phone:
        return None
    return Buyer(email=email, phone=phone, first_name=billing.get("first_name") or None,
                 last_name=billing.get("last_name") or None)
