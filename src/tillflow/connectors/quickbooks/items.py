"""QuickBooks items as tillflow's catalog sees them: an item's ``Sku`` is the SKU.

Where tillflow masters the catalog (``settings.catalog`` ``tillflow``), each product is a
non-inventory item found by SKU (inactive ones too) and made or brought up to date with
its name (the SKU after it when another item holds the name: QuickBooks keeps item names
unique), price, the income account of its rate, whether it is taxable, and whether it is
active. Where the books master it (``erp``), items with a SKU come in with their sales
price and purchase cost. QuickBooks keeps no goods received for a till: no receipts.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from tillflow.connectors.common.books_shapes import account_of
from tillflow.connectors.common.erp_money import wire_amount
from tillflow.connectors.quickbooks.client import QuickBooksClient
from tillflow.connectors.quickbooks.names import QuickBooksNames, quoted
from tillflow.ports.accounting import ErpProduct, ErpReceipt

NAME_LENGTH = 100


class QuickBooksItems:
    def __init__(self, client: QuickBooksClient, *, accounts: Mapping[str, str]) -> None:
        self.client = client
        self.accounts = dict(accounts)
        self.names = QuickBooksNames(client)

    def close(self) -> None:
        self.client.close()

    def products(self) -> list[ErpProduct]:
        found = self.client.query("select * from Item maxresults 1000")
        return [ErpProduct(sku=str(item["Sku"]), name=str(item["Name"]),
                           price=Decimal(str(item.get("UnitPrice") or 0)).quantize(
                               Decimal("0.01")),
                           cost=None if item.get("PurchaseCost") is None
                           else Decimal(str(item["PurchaseCost"])), barcodes=())
                for item in found if item.get("Sku")]

    def upsert_product(self, *, sku: str, name: str, price: Decimal,
                       barcodes: tuple[str, ...], tax_rate: Decimal | None = None,
                       active: bool = True, cost: Decimal | None = None) -> str:
        # The books' items carry no cost: the journal books the cost of goods itself.
        role = "revenue" if tax_rate is None else \
            f"revenue:{format(tax_rate.normalize(), 'f')}"
        values: dict[str, Any] = {
            "Sku": sku, "UnitPrice": wire_amount(price, 2), "Active": active,
            "Taxable": bool(tax_rate), "Description": name,
            "IncomeAccountRef": {"value": self.names.account_id(
                account_of(self.accounts, role))}}
        existing = self.client.query(f"select * from Item where Sku = {quoted(sku)} "
                                     "and Active in (true, false)")
        if existing:
            item = existing[0]
            values.update(Id=item["Id"], SyncToken=item["SyncToken"], sparse=True)
            return str(self.client.create("Item", values)["Id"])
        values.update(Name=self._free_name(name, sku), Type="NonInventory")
        return str(self.client.create("Item", values)["Id"])

    def _free_name(self, name: str, sku: str) -> str:
        plain = name[:NAME_LENGTH]
        taken = self.client.query(f"select * from Item where Name = {quoted(plain)} "
                                  "and Active in (true, false)")
        return f"{name[:NAME_LENGTH - len(sku) - 3]} ({sku})" if taken else plain

    def receipts(self, *, after: int, locations: dict[str, str]) -> list[ErpReceipt]:
        return []

    def storage_location(self) -> str:
        return "books"
