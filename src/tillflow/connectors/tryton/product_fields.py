"""What Tryton's products take from tillflow whether they stand alone or are variants:
barcodes as EAN identifiers, the account category of a tax rate, the unit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow.connectors.tryton.invoices import sale_tax
from tillflow.connectors.tryton.rpc import TrytonClient
from tillflow.ports.accounting import ErpRejected


def set_barcodes(client: TrytonClient, product_id: int, identifiers: list[int],
                 barcodes: tuple[str, ...]) -> None:
    """The product's EAN identifiers become ``barcodes``; identifiers of other kinds
    (a supplier's, an ISBN) are Tryton's own and stay."""
    rows = client.model("product.identifier", "read", identifiers,
                        ["code", "type"]) if identifiers else []
    eans = {row["code"]: int(row["id"]) for row in rows if row["type"] == "ean"}
    commands: list[list[Any]] = []
    stale = [identifier for code, identifier in eans.items() if code not in barcodes]
    if stale:
        commands.append(["delete", stale])
    missing = [code for code in barcodes if code not in eans]
    if missing:
        commands.append(new_identifiers(missing))
    if commands:
        client.model("product.product", "write", [product_id], {"identifiers": commands})


def tax_category(client: TrytonClient, rate: Decimal) -> int:
    """An accounting category taxing at exactly ``rate``, created when Tryton has none
    (its revenue account is then Tryton's default one)."""
    tax = sale_tax(client, rate)
    found = client.model("product.category", "search_read",
                         [("accounting", "=", True)], 0, None, [("id", "ASC")],
                         ["customer_taxes"])
    wanted = [] if tax is None else [tax]
    for category in found:
        if sorted(category["customer_taxes"]) == wanted:
            return int(category["id"])
    percent = format((rate * 100).normalize(), "f")
    [created] = client.model("product.category", "create", [{
        "name": f"Sales {percent} %", "accounting": True,
        "customer_taxes": [["add", wanted]]}])
    return int(created)


def unit(client: TrytonClient) -> int:
    found = client.model("product.uom", "search", [("symbol", "=", "u")], 0, 1, None)
    if not found:
        raise ErpRejected("Tryton has no unit of measure with symbol 'u'")
    return int(found[0])


def new_identifiers(barcodes: list[str] | tuple[str, ...]) -> list[Any]:
    """The command that gives a product ``barcodes`` as EAN identifiers."""
    return ["create", [{"type": "ean", "code": code} for code in barcodes]]


def cost_fields(cost: Decimal | None) -> dict[str, Decimal]:
    """A variant's cost price (Tryton keeps it per company) where tillflow knows one."""
    return {} if cost is None else {"cost_price": cost}
