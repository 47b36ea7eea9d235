"""What a QuickBooks company calls the accounts, tax codes, items and customers the
settings and documents name, read once and kept.

- An account of ``settings.accounts`` is found by its number (``AcctNum``), else its
  name, else its Id; a tax code of ``settings.tax_codes`` by its name, else its Id.
- A sold line's item is the QuickBooks item whose ``Sku`` is the line's SKU (its own
  income account), else the till's item of the line's revenue account: a service item
  ``Till sales <account>`` whose income account is the mapped one, made on first use.
- A named tillflow customer is the QuickBooks customer noted ``TF-<customer id>``, shown
  by their name (or email; with the note after it when another customer has the name);
  everyone else is the walk-in customer (``settings.party``).
"""

from __future__ import annotations

from typing import Any

from tillflow.connectors.quickbooks.client import QuickBooksClient
from tillflow.domain.accounting.entries import Buyer
from tillflow.ports.accounting import ErpRejected

WALK_IN = "Walk-in Customer"


def quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


class QuickBooksNames:
    def __init__(self, client: QuickBooksClient, *, walk_in: str | None = None) -> None:
        self.client = client
        self.walk_in = walk_in or WALK_IN
        self._accounts: list[dict[str, Any]] | None = None
        self._tax_codes: list[dict[str, Any]] | None = None
        self._items: dict[str, str] = {}
        self._customers: dict[str | None, dict[str, str]] = {}

    def account(self, code: str) -> dict[str, Any]:
        found = _match(self.accounts(), code, ("AcctNum", "Name", "Id"))
        if found is None:
            raise ErpRejected(f"QuickBooks has no account {code!r}: fix settings.accounts")
        return found

    def account_id(self, code: str) -> str:
        return str(self.account(code)["Id"])

    def accounts(self) -> list[dict[str, Any]]:
        if self._accounts is None:
            # Inactive ones too: the books' own refusal then names what to fix.
            self._accounts = self.client.query(
                "select * from Account where Active in (true, false) maxresults 1000")
        return self._accounts

    def tax_code(self, code: str) -> dict[str, Any] | None:
        if self._tax_codes is None:
            self._tax_codes = self.client.query(
                "select * from TaxCode where Active in (true, false) maxresults 1000")
        return _match(self._tax_codes, code, ("Name", "Id"))

    def tax_code_id(self, code: str) -> str:
        found = self.tax_code(code)
        if found is None:
            raise ErpRejected(f"QuickBooks has no tax code {code!r}: fix settings.tax_codes")
        return str(found["Id"])

    def items_by_sku(self, skus: set[str]) -> dict[str, str]:
        wanted = sorted(sku for sku in skus if f"sku:{sku}" not in self._items)
        if wanted:
            found = self.client.query("select * from Item where Sku in ("
                                      + ", ".join(quoted(s) for s in wanted) + ")")
            for item in found:
                self._items[f"sku:{item['Sku']}"] = str(item["Id"])
            for sku in wanted:
                self._items.setdefault(f"sku:{sku}", "")
        return {sku: self._items[f"sku:{sku}"] for sku in skus if self._items[f"sku:{sku}"]}

    def sales_item(self, code: str) -> str:
        """The till's item whose income account is the account of ``code``."""
        key = f"account:{code}"
        if key not in self._items:
            name = f"Till sales {code}"
            found = self.client.query(f"select * from Item where Name = {quoted(name)}")
            self._items[key] = str(found[0]["Id"]) if found else str(self.client.create(
                "Item", {"Name": name, "Type": "Service",
                         "IncomeAccountRef": {"value": self.account_id(code)}})["Id"])
        return self._items[key]

    def customer(self, buyer: Buyer | None) -> dict[str, str]:
        key = None if buyer is None else buyer.id
        if key not in self._customers:
            found = self._walk_in() if buyer is None else self._named(buyer)
            self._customers[key] = {"value": str(found["Id"])}
        return self._customers[key]

    def _walk_in(self) -> dict[str, Any]:
        found = self.client.query(
            f"select * from Customer where DisplayName = {quoted(self.walk_in)}")
        return found[0] if found else self.client.create("Customer",
                                                         {"DisplayName": self.walk_in})

    def _named(self, buyer: Buyer) -> dict[str, Any]:
        note = f"TF-{buyer.id}"
        plain = buyer.name or buyer.email or note
        names = [plain, f"{plain} ({note})"]
        found = self.client.query("select * from Customer where DisplayName in ("
                                  + ", ".join(quoted(n) for n in names) + ")")
        ours = [c for c in found if c.get("Notes") == note]
        if ours:
            return ours[0]
        customer: dict[str, Any] = {"DisplayName": names[1] if found else plain,
                                    "Notes": note}
        if buyer.email:
            customer["PrimaryEmailAddr"] = {"Address": buyer.email}
        return self.client.create("Customer", customer)


def _match(records: list[dict[str, Any]], code: str,
           fields: tuple[str, ...]) -> dict[str, Any] | None:
    for field in fields:
        for record in records:
            if str(record.get(field, "")).strip().lower() == code.strip().lower():
                return record
    return None
