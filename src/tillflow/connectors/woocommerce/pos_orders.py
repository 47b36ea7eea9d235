"""Till sales as WooCommerce orders, and their returns as refunds, made once.

WooCommerce takes no idempotency key, so the sale's identifier goes on the order as the
``tillflow_sale`` meta entry and every try first looks among the orders created since the
sale for one carrying it. The order is created completed and paid; each line carries
``_reduced_stock`` so ``wc_reduce_stock_levels`` leaves the shop's stock alone (tillflow
pushes the figure itself). A return is a refund on that order with ``api_refund`` and
``api_restock`` off (the till paid the money out; tillflow pushes the stock), carrying the
``tillflow_return`` meta entry by which a later try finds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from tillflow.connectors.woocommerce.client import WooClient
from tillflow.connectors.woocommerce.orders import SALE_META, source_of
from tillflow.ports.commerce import PosRefund, PosSale, Rejected

RETURN_META = "tillflow_return"
PAGE = 100
# Clocks differ: the search starts a little before the sale.
SKEW = timedelta(minutes=5)


def find(client: WooClient, sale: PosSale) -> str | None:
    start = datetime.fromisoformat(sale.placed_at.replace("Z", "+00:00")) - SKEW
    params: dict[str, Any] = {"after": start.strftime("%Y-%m-%dT%H:%M:%S"),
                              "dates_are_gmt": "true", "orderby": "id", "order": "asc",
                              "per_page": PAGE, "status": "any"}
    page = 1
    while True:
        orders = client.call("GET", "/orders", params={**params, "page": page})
        found = next((str(o["id"]) for o in orders if source_of(o) == sale.source_id), None)
        if found is not None or len(orders) < PAGE:
            return found
        page += 1


def create(client: WooClient, sale: PosSale, items: Mapping[str, tuple[int, int]],
           customer_id: int | None) -> str:
    body: dict[str, Any] = {
        "status": "completed", "set_paid": True, "currency": sale.currency,
        "payment_method": "tillflow", "payment_method_title": "Point of sale",
        "customer_note": f"tillflow sale {sale.number}",
        "meta_data": [{"key": SALE_META, "value": sale.source_id}],
        "line_items": [_line(line.quantity, line.unit_price, items[line.sku])
                       for line in sale.lines],
    }
    if sale.buyer is not None:
        body["billing"] = {k: v for k, v in (
            ("email", sale.buyer.email), ("phone", sale.buyer.phone),
            ("first_name", sale.buyer.first_name), ("last_name", sale.buyer.last_name)) if v}
    if customer_id is not None:
        body["customer_id"] = customer_id
    created = client.call("POST", "/orders", json=body)
    return str(created["id"])


def _line(quantity: int, unit_price: Decimal, item: tuple[int, int]) -> dict[str, Any]:
    item_id, parent = item
    amount = str(unit_price * quantity)
    return {"product_id": parent or item_id, "variation_id": item_id if parent else 0,
            "quantity": quantity, "subtotal": amount, "total": amount,
            "meta_data": [{"key": "_reduced_stock", "value": quantity}]}


def refund(client: WooClient, wanted: PosRefund) -> str:
    path = f"/orders/{int(wanted.order_id)}"
    done = client.call("GET", f"{path}/refunds", params={"per_page": PAGE})
    found = next((str(r["id"]) for r in done
                  if any(m.get("key") == RETURN_META and m.get("value") == wanted.source_id
                         for m in r.get("meta_data") or [])), None)
    if found is not None:
        return found
    order = client.call("GET", path)
    created = client.call("POST", f"{path}/refunds", json={
        "amount": str(wanted.total), "reason": f"tillflow return {wanted.number}",
        "api_refund": False, "api_restock": False,
        "line_items": _refund_lines(wanted, order["line_items"]),
        "meta_data": [{"key": RETURN_META, "value": wanted.source_id}]})
    return str(created["id"])


def _refund_lines(wanted: PosRefund, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    left = {item["id"]: int(item["quantity"]) for item in items}
    lines = []
    for line in wanted.lines:
        due = line.quantity
        for item in items:
            take = min(due, left[item["id"]]) if item.get("sku") == line.sku else 0
            if take:
                lines.append({"id": item["id"], "quantity": take,
                              "refund_total": str(line.unit_price * take)})
                left[item["id"]] -= take
                due -= take
        if due:
            raise Rejected(f"order {wanted.order_id} has no {due} more of {line.sku} to refund")
    return lines
