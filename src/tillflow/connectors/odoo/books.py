"""What an Odoo company keeps amounts, prices, taxes and stocked products in, read once.

- The company's currency and its decimal places: amounts go and come back at its minor
  unit (``connectors.common.erp_money``), not at two places by habit.
- The precision of unit prices (decimal accuracy ``Product Price``, 2 by default): Odoo
  rounds an invoice or order line's ``price_unit`` to it, so a line's unit price is
  chosen at it (or the line is sent as 1 × its net).
- The sale taxes by rate: percentages not included in the price, matched by rate as
  decimals; a rate with none or several is refused.
- How a product whose stock Odoo tracks is written: ``detailed_type`` ``product`` before
  Odoo 18, ``type`` ``consu`` with ``is_storable`` from 18 (OpenUpgrade's 18.0 analysis of
  ``stock``: ``detailed_type`` and the ``product`` type removed, ``is_storable`` new).
- A stock move's done quantity: ``quantity`` with ``picked`` from 17, ``quantity_done``
  on 16 (OpenUpgrade's 17.0 analysis of ``stock``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tillflow.connectors.common.erp_money import same_rate
from tillflow.connectors.odoo.client import OdooClient
from tillflow.ports.accounting import ErpRejected

STORABLE_FROM = 18  # the version with ``is_storable``
PICKED_FROM = 17  # the version whose stock moves have ``quantity`` and ``picked``


@dataclass(frozen=True)
class Currency:
    code: str
    digits: int


class OdooBooks:
    def __init__(self, client: OdooClient) -> None:
        self.client = client
        self._currency: Currency | None = None
        self._price_digits: int | None = None
        self._taxes: list[dict[str, Any]] | None = None

    def currency(self) -> Currency:
        """The signed-in user's company's currency."""
        if self._currency is None:
            users = self.client.call("res.users", "search_read",
                                     domain=[["login", "=", self.client.username]],
                                     fields=["company_id"], limit=1)
            if not users:
                raise ErpRejected(f"Odoo has no user {self.client.username!r}")
            [company] = self.client.call("res.company", "read",
                                         ids=[users[0]["company_id"][0]],
                                         fields=["currency_id"])
            [currency] = self.client.call("res.currency", "read",
                                          ids=[company["currency_id"][0]],
                                          fields=["name", "decimal_places"])
            self._currency = Currency(str(currency["name"]), int(currency["decimal_places"]))
        return self._currency

    @property
    def digits(self) -> int:
        return self.currency().digits

    @property
    def price_digits(self) -> int:
        if self._price_digits is None:
            found = self.client.call("decimal.precision", "search_read",
                                     domain=[["name", "=", "Product Price"]],
                                     fields=["digits"], limit=1)
            self._price_digits = int(found[0]["digits"]) if found else 2
        return self._price_digits

    def sale_tax(self, rate: Decimal) -> list[int]:
        """The Odoo sale tax of ``rate`` as a line's taxes (none for 0)."""
        if not rate:
            return []
        found = self._sale_taxes(rate, fresh=self._taxes is None)
        if len(found) != 1 and self._taxes is not None:
            # Taxes are read once; one added in Odoo since (to fix a refused posting)
            # is found by reading them again before refusing.
            found = self._sale_taxes(rate, fresh=True)
        if len(found) != 1:
            names = ", ".join(str(t["name"]) for t in found)
            raise ErpRejected(f"Odoo has {f'several ({names})' if found else 'no'} sale "
                              f"taxes of {format((rate * 100).normalize(), 'f')} % "
                              f"excluded from the price")
        return [int(found[0]["id"])]

    def _sale_taxes(self, rate: Decimal, *, fresh: bool) -> list[dict[str, Any]]:
        if fresh or self._taxes is None:
            self._taxes = self.client.call("account.tax", "search_read", domain=[
                ["type_tax_use", "=", "sale"], ["amount_type", "=", "percent"]],
                fields=["amount", "price_include", "name"])
        return [t for t in self._taxes if not t["price_include"]
                and same_rate(t["amount"], rate)]

    def storable_values(self) -> dict[str, Any]:
        """What makes a new product one whose stock Odoo tracks, on this version."""
        if self.client.major_version() >= STORABLE_FROM:
            return {"type": "consu", "is_storable": True}
        return {"detailed_type": "product"}

    def storable_fields(self) -> list[str]:
        return ["is_storable"] if self.client.major_version() >= STORABLE_FROM else ["type"]

    def is_storable(self, product: dict[str, Any]) -> bool:
        if self.client.major_version() >= STORABLE_FROM:
            return bool(product["is_storable"])
        return bool(product["type"] == "product")

    def move_quantity(self) -> str:
        """The field of a stock move's done quantity."""
        return "quantity" if self.client.major_version() >= PICKED_FROM else "quantity_done"

    def done_values(self, quantity: float) -> dict[str, Any]:
        """What marks a stock move's whole quantity as done before its transfer is
        validated."""
        if self.client.major_version() >= PICKED_FROM:
            return {"quantity": quantity, "picked": True}
        return {"quantity_done": quantity}
