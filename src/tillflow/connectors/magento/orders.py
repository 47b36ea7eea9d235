"""Magento orders in the port's terms, booked at what the shop charged.

Every order is a sale from the moment it is placed, whatever its state (a check / money
order starts ``pending``, one paid by card ``processing``), unless it is ``canceled``:
Magento reserves its goods at once, and tillflow takes them off its own figure then too.
It is paid once Magento holds the money (``total_paid`` reaches the grand total).

Amounts are Magento's own: a line's ``row_total`` before discounts and without tax, its
``discount_amount`` and ``tax_amount``; shipping with its tax and discount; the order's
``grand_total`` and ``tax_amount``. The children of a configurable or bundle line carry
no prices of their own and are not read.

Credit memos are the order's refunds. A memo of goods that were never shipped gives their
reservation back, so tillflow puts them back on its shelf; a memo of shipped goods
restocks only when the merchant returns them to stock, which Magento's memo does not
show afterwards: such units come back through a stock count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from tillflow.connectors.magento.dates import stamp
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

CANCELED = "canceled"
ZERO = Decimal(0)
_DONE = ("qty_invoiced", "qty_shipped", "qty_refunded", "qty_canceled")


def version(payload: Mapping[str, Any]) -> str:
    """The order's ``updated_at`` and how far it has come. Magento's times are to the
    second, and a cancel or a credit memo in the same second as the order's placing leaves
    ``updated_at`` as it was; the units invoiced, shipped, refunded and cancelled only
    grow, so within a second the copy that has come further sorts later."""
    done = sum((_amount(i.get(name)) for i in payload.get("items") or [] for name in _DONE),
               ZERO)
    return f"{stamp(payload['updated_at'])}~{int(done * 1000):012d}"


def time_of(version: str) -> str:
    """The ``updated_at`` part of a version (a cursor is a time)."""
    return version.partition("~")[0]


def order_from(payload: Mapping[str, Any], memos: Sequence[Mapping[str, Any]]) -> RemoteOrder:
    try:
        return _order(payload, memos)
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise Rejected(f"Magento order {payload.get('increment_id') or payload.get('entity_id')}"
                       f" cannot be read: {type(exc).__name__} {exc}") from exc


def _order(payload: Mapping[str, Any], memos: Sequence[Mapping[str, Any]]) -> RemoteOrder:
    items = [i for i in payload["items"] if not i.get("parent_item_id")]
    lines = tuple(_line(item) for item in items)
    canceled = payload["state"] == CANCELED
    shipped = {int(i["item_id"]): _amount(i.get("qty_shipped")) for i in items}
    refunds = tuple(_refund(memo, shipped) for memo in memos)
    back: Counter[str] = Counter()
    if canceled:
        for line in lines:
            back[line.sku] += line.quantity
    else:
        for refund in refunds:
            if refund.restock:
                for x in refund.lines:
                    back[x.sku] += x.quantity
    grand = _amount(payload["grand_total"])
    paid = _amount(payload.get("total_paid"))
    method = (payload.get("payment") or {}).get("method") or None
    return RemoteOrder(
        external_id=str(payload["entity_id"]), updated_at=version(payload),
        location=None, lines=lines, cancelled=canceled, restocked=dict(back),
        buyer=_buyer(payload), placed=not canceled, currency=payload.get("order_currency_code"),
        charges=_shipping(payload), total_tax=_amount(payload.get("tax_amount")), total=grand,
        payment=Payment(gateway=method, paid=grand > 0 and paid >= grand), refunds=refunds)


def _amount(raw: object) -> Decimal:
    if raw is None or raw == "":
        return ZERO
    if isinstance(raw, bool) or not isinstance(raw, str | int | Decimal):
        raise ValueError(f"{raw!r} is not an amount")
    return Decimal(str(raw))


def _line(item: Mapping[str, Any]) -> OrderLine:
    quantity = int(_amount(item["qty_ordered"]))
    percent = item.get("tax_percent")
    return OrderLine(sku=str(item["sku"]), quantity=quantity, unit_price=_amount(item["price"]),
                     amount=_amount(item.get("row_total")),
                     discount=_amount(item.get("discount_amount")),
                     tax=_amount(item.get("tax_amount")),
                     tax_rate=None if percent is None else _amount(percent) / 100)


def _shipping(payload: Mapping[str, Any]) -> tuple[Charge, ...]:
    amount = _amount(payload.get("shipping_amount")) - _amount(
        payload.get("shipping_discount_amount"))
    tax = _amount(payload.get("shipping_tax_amount"))
    if not amount and not tax:
        return ()
    return (Charge(kind=SHIPPING, title=str(payload.get("shipping_description") or SHIPPING),
                   amount=amount, tax=tax),)


def _refund(memo: Mapping[str, Any], shipped: Mapping[int, Decimal]) -> RemoteRefund:
    items = [i for i in memo.get("items") or [] if _amount(i.get("qty")) > 0
             and int(i.get("order_item_id") or 0) in shipped]
    lines = tuple(RefundLine(
        sku=str(i["sku"]), quantity=int(_amount(i["qty"])),
        amount=_amount(i.get("row_total")) + _amount(i.get("tax_amount"))
        - _amount(i.get("discount_amount")), tax=_amount(i.get("tax_amount"))) for i in items)
    shipping_tax = _amount(memo.get("shipping_tax_amount"))
    adjustment = _amount(memo.get("adjustment_positive")) - _amount(
        memo.get("adjustment_negative"))
    charges = _amount(memo.get("shipping_amount")) + shipping_tax + adjustment
    return RemoteRefund(
        external_id=f"creditmemo:{memo['entity_id']}", lines=lines, charges=charges,
        charges_tax=shipping_tax, total=_amount(memo["grand_total"]),
        restock=bool(lines) and all(not shipped[int(i["order_item_id"])] for i in items))


def _buyer(payload: Mapping[str, Any]) -> Buyer | None:
    billing = payload.get("billing_address") or {}
    email = payload.get("customer_email") or billing.get("email") or None
    phone = billing.get("telephone") or None
    if not email and not phone:
        return None
    return Buyer(email=email, phone=phone,
                 first_name=payload.get("customer_firstname") or billing.get("firstname"),
                 last_name=payload.get("customer_lastname") or billing.get("lastname"))
