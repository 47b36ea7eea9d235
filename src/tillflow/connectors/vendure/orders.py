"""Vendure orders in the port's terms.

An order is a sale once Vendure has placed it (``orderPlacedAt`` is set: payment
authorised or settled). Units Vendure put back are the cancelled ones: a line's
``orderPlacedQuantity`` less its current ``quantity`` (cancelling a whole order takes
every line to zero; a refund alone restocks nothing in Vendure, so it restocks nothing
here either). Lines are the order as placed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from tillflow.connectors.vendure.catalog import Settings
from tillflow.ports.commerce import Buyer, OrderLine, RemoteOrder


def order_from(node: Mapping[str, Any], settings: Settings) -> RemoteOrder:
    lines: list[OrderLine] = []
    back: Counter[str] = Counter()
    for line in node["lines"]:
        sku = (line.get("productVariant") or {}).get("sku")
        placed = int(line.get("orderPlacedQuantity") or 0)
        if not sku or placed <= 0:
            continue
        minor = line["unitPriceWithTax"] if settings.prices_include_tax else line["unitPrice"]
        lines.append(OrderLine(sku=sku, quantity=placed,
                               unit_price=settings.currency.from_minor(int(minor))))
        if placed > int(line["quantity"]):
            back[sku] += placed - int(line["quantity"])
    return RemoteOrder(
        external_id=str(node["id"]), updated_at=node["updatedAt"], location=None,
        lines=tuple(lines), cancelled=node["state"] == "Cancelled", restocked=dict(back),
        buyer=_buyer(node.get("customer") or {}),
        placed=node.get("orderPlacedAt") is not None,
        source_id=(node.get("customFields") or {}).get("tillflowSaleId") or None,
    )


def _buyer(customer: Mapping[str, Any]) -> Buyer | None:
    email, phone = customer.get("emailAddress") or None, customer.get("phoneNumber") or None
    if not email and not phone:
        return None
    return Buyer(email=email, phone=phone, first_name=customer.get("firstName") or None,
                 last_name=customer.get("lastName") or None)
