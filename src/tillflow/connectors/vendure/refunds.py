"""Till returns of pushed sales recorded in Vendure as refunds, exactly once.

The refund goes on the order's ``tillflow-pos`` payment with the return's source
identifier as its reason, which is how a retry finds it. Vendure has no handler for that
manual payment, so its refund is made ``Pending`` and then settled with the return's
number: no money moves (the till paid it out) and no stock (refunds never restock in
Vendure). The amount is the return's total, at most what the payment has left.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.vendure import queries
from tillflow.connectors.vendure.catalog import Settings
from tillflow.connectors.vendure.client import VendureClient, result
from tillflow.connectors.vendure.pos_orders import PAYMENT_METHOD
from tillflow.ports.commerce import PosRefund, Rejected


def push_refund(client: VendureClient, settings: Settings, refund: PosRefund) -> str:
    order = client.execute(queries.ORDER_PAYMENTS, {"id": refund.order_id})["order"]
    if order is None:
        raise Rejected(f"Vendure has no order {refund.order_id!r}")
    payment = next((p for p in order["payments"] if p["method"] == PAYMENT_METHOD), None)
    if payment is None:
        raise Rejected(f"Vendure order {refund.order_id} has no {PAYMENT_METHOD} payment")
    made = next((r for r in payment["refunds"] if r["reason"] == refund.source_id), None)
    if made is None:
        made = result(client.execute(queries.REFUND, {"input": {
            "paymentId": payment["id"], "reason": refund.source_id,
            "amount": _amount(settings, refund, payment),
            # Deprecated, but Vendure stores them and SQLite refuses them empty.
            "shipping": 0, "adjustment": 0}}), "refundOrder")
    if made["state"] == "Pending":
        result(client.execute(queries.SETTLE_REFUND, {"input": {
            "id": made["id"], "transactionId": refund.number}}), "settleRefund")
    return str(made["id"])


def _amount(settings: Settings, refund: PosRefund, payment: Mapping[str, Any]) -> int:
    refunded = sum(int(r["total"]) for r in payment["refunds"] if r["state"] != "Failed")
    left = int(payment["amount"]) - refunded
    return max(0, min(settings.currency.to_minor(refund.total), left))
