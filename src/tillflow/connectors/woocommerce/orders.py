"""WooCommerce orders in the port's terms.

Processing, on-hold and completed orders have taken stock (WooCommerce reduces it once,
on the first of those statuses); cancelled, refunded and pending ones have had it put
back, and pending or failed orders that never took stock are not sales.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from tillflow.ports.commerce import Buyer, OrderLine, RemoteOrder

SALE_META = "tillflow_sale"

PLACED = frozenset({"processing", "on-hold", "completed"})
PUT_BACK = frozenset({"cancelled", "refunded", "pending", "failed"})


def order_from(payload: Mapping[str, Any], refunds: Sequence[Mapping[str, Any]]) -> RemoteOrder:
    lines = tuple(OrderLine(sku=item["sku"], quantity=int(item["quantity"]),
                            unit_price=Decimal(str(item["price"])))
                  for item in payload["line_items"] if item.get("sku"))
    status = payload["status"]
    back: Counter[str] = Counter()
    if status in PUT_BACK:
        for line in lines:
            back[line.sku] += line.quantity
    else:
        for refund in refunds:
            for item in refund.get("line_items", []):
                if item.get("sku"):
                    back[item["sku"]] += abs(int(item["quantity"]))
    return RemoteOrder(
        external_id=str(payload["id"]), updated_at=f"{payload['date_modified_gmt']}Z",
        location=None, lines=lines, cancelled=status in PUT_BACK, restocked=dict(back),
        buyer=_buyer(payload.get("billing") or {}), placed=status in PLACED,
        source_id=source_of(payload),
    )


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
