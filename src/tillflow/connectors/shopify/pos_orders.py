"""Till sales as Shopify orders, and their returns as refunds, made once.

``orderCreate`` takes no idempotency key, so the sale's identifier goes on the order as
``sourceIdentifier`` and every try first looks for an order carrying it: a try whose
answer was lost (a timeout after Shopify created the order) is found, not repeated.
Stock is left alone (``inventoryBehaviour: BYPASS``): tillflow pushes the figure itself.
A return becomes a ``refundCreate`` with the return's identifier as its ``@idempotent``
key and in its note, where a later try finds it; its lines are not restocked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.shopify import queries
from tillflow.connectors.shopify.client import ShopifyClient, user_errors
from tillflow.ports.commerce import PosRefund, PosSale, Rejected

SOURCE_NAME = "tillflow"
INVALID = "INVALID"


class UnknownVariant(Rejected):
    """A line's variant does not exist (any more) in the shop."""


def find(client: ShopifyClient, source_id: str) -> str | None:
    nodes = client.execute(queries.ORDER_BY_SOURCE, {"q": f"source_identifier:'{source_id}'"},
                           expected_cost=7)["orders"]["nodes"]
    return next((str(n["id"]) for n in nodes if n["sourceIdentifier"] == source_id), None)


def create(client: ShopifyClient, sale: PosSale, variants: Mapping[str, str],
           customer_id: str | None) -> str:
    order: dict[str, Any] = {
        "lineItems": [{"variantId": variants[line.sku], "quantity": line.quantity,
                       "priceSet": {"shopMoney": {"amount": str(line.unit_price),
                                                  "currencyCode": sale.currency}}}
                      for line in sale.lines],
        "currency": sale.currency, "financialStatus": "PAID", "processedAt": sale.placed_at,
        "sourceName": SOURCE_NAME, "sourceIdentifier": sale.source_id,
        "tags": ["tillflow", "pos"], "note": f"tillflow sale {sale.number}",
    }
    if customer_id is not None:
        order["customer"] = {"toAssociate": {"id": customer_id}}
    result = client.execute(queries.ORDER_CREATE, {
        "order": order, "options": {"inventoryBehaviour": "BYPASS", "sendReceipt": False}},
    )["orderCreate"]
    errors = user_errors(result)
    if any(_names_a_variant(e) for e in errors):
        raise UnknownVariant(f"orderCreate: {errors[0]['message']}")
    if errors:
        raise Rejected(f"orderCreate: {errors[0]['message']}")
    return str(result["order"]["id"])


def _names_a_variant(error: Mapping[str, Any]) -> bool:
    """Shopify's answer to a line whose variant is gone: ``INVALID`` on its ``variantId``
    (``OrderCreateUserErrorCode`` has no code of its own for it)."""
    field = error.get("field") or []
    return (error.get("code") == INVALID and len(field) >= 3
            and field[-3:-2] == ["lineItems"] and field[-1] == "variantId")


def refund(client: ShopifyClient, wanted: PosRefund) -> str:
    order = client.execute(queries.ORDER_REFUNDS, {"id": wanted.order_id},
                           expected_cost=60)["order"]
    if order is None:
        raise Rejected(f"Shopify has no order {wanted.order_id}")
    done = next((r["id"] for r in order["refunds"] if wanted.source_id in (r["note"] or "")),
                None)
    if done is not None:
        return str(done)
    result = client.execute(queries.REFUND_CREATE, {"key": wanted.source_id, "input": {
        "orderId": wanted.order_id, "notify": False,
        "note": f"tillflow return {wanted.number} ({wanted.source_id})",
        "refundLineItems": _refund_lines(wanted, order["lineItems"]["nodes"])}})["refundCreate"]
    errors = user_errors(result)
    if errors:
        raise Rejected(f"refundCreate: {errors[0]['message']}")
    return str(result["refund"]["id"])


def _refund_lines(wanted: PosRefund, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each returned quantity taken from the order's lines of that SKU, in order."""
    left = {item["id"]: int(item["refundableQuantity"]) for item in items}
    lines = []
    for line in wanted.lines:
        due = line.quantity
        for item in items:
            take = min(due, left[item["id"]]) if item["sku"] == line.sku else 0
            if take:
                lines.append({"lineItemId": item["id"], "quantity": take,
                              "restockType": "NO_RESTOCK"})
                left[item["id"]] -= take
                due -= take
        if due:
            raise Rejected(f"order {wanted.order_id} has no {due} more of {line.sku} to refund")
    return lines
