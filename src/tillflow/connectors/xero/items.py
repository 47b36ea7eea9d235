"""Xero's items as tillflow's catalog sees them: an item's ``Code`` is the SKU.

Where tillflow masters the catalog (``settings.catalog`` ``tillflow``), each product is
upserted by code (``POST /Items``) with its name, its price as the sales unit price, the
revenue account and tax code of its rate, and ``IsSold`` false once inactive (Xero keeps
no archive for items). Where the books master it (``erp``), items come in with their sales
price, and their purchase price as the unit cost of goods sold. Xero keeps no goods
received for a till, so there are no receipts to pull.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from tillflow.connectors.common.books_shapes import account_of, tax_code_of
from tillflow.connectors.common.erp_money import wire_amount
from tillflow.connectors.xero.client import XeroClient
from tillflow.ports.accounting import ErpProduct, ErpReceipt

NAME_LENGTH = 50  # Xero's limits on an item's name and code
CODE_LENGTH = 30


class XeroItems:
    def __init__(self, client: XeroClient, *, accounts: Mapping[str, str],
                 tax_codes: Mapping[Decimal, str]) -> None:
        self.client = client
        self.accounts = dict(accounts)
        self.tax_codes = dict(tax_codes)

    def close(self) -> None:
        self.client.close()

    def products(self) -> list[ErpProduct]:
        return [ErpProduct(sku=str(item["Code"]), name=str(item.get("Name") or item["Code"]),
                           price=_price(item.get("SalesDetails")),
                           cost=_cost(item.get("PurchaseDetails")), barcodes=())
                for item in self.client.get("/Items")["Items"] if item.get("IsSold", True)]

    def upsert_product(self, *, sku: str, name: str, price: Decimal,
                       barcodes: tuple[str, ...], tax_rate: Decimal | None = None,
                       active: bool = True, cost: Decimal | None = None) -> str:
        # The books' items carry no cost: the journal books the cost of goods itself.
        sales: dict[str, Any] = {"UnitPrice": wire_amount(price, 2),
                                 "AccountCode": account_of(self.accounts, _revenue(tax_rate))}
        if tax_rate is not None:
            sales["TaxType"] = tax_code_of(self.tax_codes, tax_rate)
        item = {"Code": sku[:CODE_LENGTH], "Name": name[:NAME_LENGTH], "Description": name,
                "IsSold": active, "SalesDetails": sales}
        answer = self.client.post("/Items", {"Items": [item]})
        return str(answer["Items"][0]["ItemID"])

    def receipts(self, *, after: int, locations: dict[str, str]) -> list[ErpReceipt]:
        return []

    def storage_location(self) -> str:
        return "books"


def _revenue(rate: Decimal | None) -> str:
    return "revenue" if rate is None else f"revenue:{format(rate.normalize(), 'f')}"


def _price(details: dict[str, Any] | None) -> Decimal:
    return Decimal(str((details or {}).get("UnitPrice") or 0)).quantize(Decimal("0.01"))


def _cost(details: dict[str, Any] | None) -> Decimal | None:
    found = (details or {}).get("UnitPrice")
    return None if found is None else Decimal(str(found))
