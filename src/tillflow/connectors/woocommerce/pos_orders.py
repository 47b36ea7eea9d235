"""Till sales as WooCommerce orders, and their returns as refunds, made once.

WooCommerce takes no idempotency key, so the sale's identifier goes on the order as the
``tillflow_sale`` meta entry and every try first looks among the orders created since the
sale for one carrying it.

The order is created completed and paid, and must neither move the shop's stock nor
change the till's totals:

- **Stock.** The order carries WooCommerce's own "stock already reduced" flag
  (``_order_stock_reduced``), so completing it reduces nothing, and its lines carry no
  ``_reduced_stock`` figure, so cancelling it (or refunding it with restock) in the shop
  puts back nothing: WooCommerce restores only what a line records as taken. Lines marked
  ``_reduced_stock`` instead would be skipped when the order completes but put back when
  it is cancelled, adding units the shop never sold.
- **Totals.** WooCommerce recalculates an order's tax from its address when it is
  created (an 8 % shop turned a 9.00 till sale into 9.72). The till's line totals already
  hold the tax it charged, so the order is marked ``is_vat_exempt`` (WooCommerce's own
  flag for an order no tax is added to) and its line totals add up to the sale's total.

A line whose product WooCommerce cannot find (deleted meanwhile) is created empty rather
than refused; such an order is moved to the trash and the sale refused.

A return is a refund on that order with ``api_refund`` and ``api_restock`` off (the till
paid the money out; tillflow pushes the stock). WooCommerce saves a refund's meta data a
moment after the refund itself, so the return's identifier is in the refund's ``reason``
as well as its ``tillflow_return`` meta entry, and a later try finds it by either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from tillflow.connectors.woocommerce.client import WooClient
from tillflow.connectors.woocommerce.orders import SALE_META, source_of
from tillflow.connectors.woocommerce.stock import Item
from tillflow.ports.commerce import OrderLine, PosRefund, PosSale, Rejected

RETURN_META = "tillflow_return"
STOCK_REDUCED = "_order_stock_reduced"
TAX_EXEMPT = "is_vat_exempt"
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
        found = next((o for o in orders if source_of(o) == sale.source_id), None)
        if found is not None:
            _check_lines(client, found, sale)
            return str(found["id"])
        if len(orders) < PAGE:
            return None
        page += 1


def create(client: WooClient, sale: PosSale, items: Mapping[str, Item],
           customer_id: int | None) -> str:
    body: dict[str, Any] = {
        "status": "completed", "set_paid": True, "currency": sale.currency,
        "payment_method": "tillflow", "payment_method_title": "Point of sale",
        "customer_note": f"tillflow sale {sale.number}",
        "meta_data": [{"key": SALE_META, "value": sale.source_id},
                      {"key": STOCK_REDUCED, "value": "yes"},
                      {"key": TAX_EXEMPT, "value": "yes"}],
        "line_items": [_line(line.quantity, amount, items[line.sku])
                       for line, amount in zip(sale.lines, line_totals(sale), strict=True)],
    }
    if sale.buyer is not None:
        body["billing"] = {k: v for k, v in (
            ("email", sale.buyer.email), ("phone", sale.buyer.phone),
            ("first_name", sale.buyer.first_name), ("last_name", sale.buyer.last_name)) if v}
    if customer_id is not None:
        body["customer_id"] = customer_id
    created = client.call("POST", "/orders", json=body)
    _check_lines(client, created, sale)
    return str(created["id"])


def line_totals(sale: PosSale) -> list[Decimal]:
    """Each line's amount; the last takes the cents by which unit prices rounded to the
    cent miss the sale's total, so that the order adds up to what the till took."""
    amounts = [line.unit_price * line.quantity for line in sale.lines]
    if amounts:
        amounts[-1] += sale.total - sum(amounts, Decimal(0))
    return amounts


def _line(quantity: int, amount: Decimal, item: Item) -> dict[str, Any]:
    return {"product_id": item.parent or item.id, "variation_id": item.id if item.parent else 0,
            "quantity": quantity, "subtotal": str(amount), "total": str(amount)}


def _check_lines(client: WooClient, order: Mapping[str, Any], sale: PosSale) -> None:
    """An order line WooCommerce could not resolve to a product comes back with product id
    0: such an order does not record the sale, so it goes to the trash (where the search
    for the sale's order no longer finds it) and the sale is refused."""
    empty = [item for item in order.get("line_items") or [] if not item.get("product_id")]
    if not empty:
        return
    client.call("DELETE", f"/orders/{int(order['id'])}")
    raise Rejected(f"WooCommerce made order {order['id']} for {sale.number} with "
                   f"{len(empty)} line(s) of no product (a product gone from the shop); "
                   "the order was moved to the trash")


def refund(client: WooClient, wanted: PosRefund) -> str:
    path = f"/orders/{int(wanted.order_id)}"
    done = client.call("GET", f"{path}/refunds", params={"per_page": PAGE})
    found = next((str(r["id"]) for r in done if _made_for(r, wanted.source_id)), None)
    if found is not None:
        return found
    order = client.call("GET", path)
    created = client.call("POST", f"{path}/refunds", json={
        "amount": str(wanted.total),
        "reason": f"tillflow return {wanted.number} [{wanted.source_id}]",
        "api_refund": False, "api_restock": False,
        "line_items": _refund_lines(wanted, order["line_items"], done),
        "meta_data": [{"key": RETURN_META, "value": wanted.source_id}]})
    return str(created["id"])


def _made_for(refund: Mapping[str, Any], source_id: str) -> bool:
    return f"[{source_id}]" in str(refund.get("reason") or "") or any(
        m.get("key") == RETURN_META and m.get("value") == source_id
        for m in refund.get("meta_data") or [])


def _refund_lines(wanted: PosRefund, items: list[dict[str, Any]],
                  refunds: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The order's lines that still hold ``wanted``'s units. WooCommerce shows a refund's
    lines with negative quantities, each naming the order line it refunds."""
    left = {item["id"]: int(item["quantity"]) for item in items}
    for earlier in refunds:
        for line in earlier.get("line_items") or []:
            refunded = _refunded_item(line)
            if refunded in left:
                left[refunded] += int(line["quantity"])  # negative: units already refunded
    return _take(wanted.order_id, wanted.lines, items, left)


def _take(order_id: str, lines: Sequence[OrderLine], items: list[dict[str, Any]],
          left: dict[int, int]) -> list[dict[str, Any]]:
    taken = []
    for line in lines:
        due = line.quantity
        for item in items:
            take = min(due, left[item["id"]]) if item.get("sku") == line.sku else 0
            if take > 0:
                taken.append({"id": item["id"], "quantity": take,
                              "refund_total": str(line.unit_price * take)})
                left[item["id"]] -= take
                due -= take
        if due:
            raise Rejected(f"order {order_id} has no {due} more of {line.sku} to refund")
    return taken


def _refunded_item(line: Mapping[str, Any]) -> int | None:
    meta = next((m for m in line.get("meta_data") or [] if m.get("key") == "_refunded_item_id"),
                None)
    return None if meta is None else int(meta["value"])
