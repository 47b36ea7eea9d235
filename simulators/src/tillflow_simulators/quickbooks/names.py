"""Name-list entities: accounts, customers and items, each name unique among them.

Name lists are never deleted: an update with ``"Active": false`` makes one inactive, and
inactive ones are refused when a transaction refers to them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow_simulators.quickbooks.company import Company, Entity
from tillflow_simulators.quickbooks.errors import DUPLICATE_NAME, REQUIRED, fault
from tillflow_simulators.quickbooks.references import ref_to, required, resolve
from tillflow_simulators.quickbooks.seed import classification

NAME_DETAIL = ("The name supplied already exists. : Another {what} is already using this "
               "name. Please use a different name.")
ITEM_ACCOUNTS = {"Service": ("IncomeAccountRef",), "NonInventory": ("IncomeAccountRef",),
                 "Inventory": ("IncomeAccountRef", "AssetAccountRef", "ExpenseAccountRef")}


def _taken(company: Company, name: str, field: str, value: str, other_than: str | None) -> bool:
    wanted = value.strip().lower()
    return any(str(e.get(field, "")).strip().lower() == wanted and e["Id"] != other_than
               for e in company.table(name).values())


def build_account(company: Company, element: dict[str, Any], existing: Entity | None) -> Entity:
    name = str(required(element.get("Name"), "Name"))
    if not element.get("AccountType") and not element.get("AccountSubType"):
        raise fault(("Invalid Account.AccountType && Account.SubType", "6010"),
                    "Either an Account.AccountType or an Account.AccountSubType must be "
                    "specified", element="AccountType")
    if _taken(company, "Account", "Name", name, existing["Id"] if existing else None):
        raise fault(DUPLICATE_NAME, NAME_DETAIL.format(what="account"), element="Name")
    account_type = element.get("AccountType") or (existing or {}).get("AccountType", "Expense")
    balance = (existing or {}).get("CurrentBalance", Decimal("0"))
    return {"SubAccount": False, "Active": True, **element, "Name": name,
            "FullyQualifiedName": name, "AccountType": account_type,
            "Classification": classification(account_type), "CurrentBalance": balance,
            "CurrentBalanceWithSubAccounts": balance,
            "CurrencyRef": element.get("CurrencyRef", {"value": company.settings.currency})}


def build_customer(company: Company, element: dict[str, Any], existing: Entity | None) -> Entity:
    parts = [str(element.get(f, "")).strip() for f in ("Title", "GivenName", "MiddleName",
                                                       "FamilyName", "Suffix")]
    display = str(element.get("DisplayName") or " ".join(p for p in parts if p)).strip()
    if not display:
        raise fault(("No Name Provided", "6080"), "Title, GivenName, MiddleName, FamilyName, "
                    "DisplayName, Suffix - one of these must be non-empty", element="DisplayName")
    if _taken(company, "Customer", "DisplayName", display, existing["Id"] if existing else None):
        raise fault(DUPLICATE_NAME, NAME_DETAIL.format(what="customer, vendor or employee"),
                    element="DisplayName")
    balance = (existing or {}).get("Balance", Decimal("0"))
    return {"Active": True, "Job": False, "Taxable": True, "PreferredDeliveryMethod": "None",
            **element, "DisplayName": display, "FullyQualifiedName": display,
            "PrintOnCheckName": element.get("PrintOnCheckName", display), "Balance": balance,
            "BalanceWithJobs": balance,
            "CurrencyRef": element.get("CurrencyRef", {"value": company.settings.currency})}


def build_item(company: Company, element: dict[str, Any], existing: Entity | None) -> Entity:
    name = str(required(element.get("Name"), "Name"))
    item_type = str(required(element.get("Type"), "Type"))
    if _taken(company, "Item", "Name", name, existing["Id"] if existing else None):
        raise fault(DUPLICATE_NAME, NAME_DETAIL.format(what="product or service"),
                    element="Name")
    item: Entity = {"Active": True, "Taxable": False, "TrackQtyOnHand": False,
                    "SubItem": False, "Level": 0, **element, "Name": name,
                    "FullyQualifiedName": name, "Type": item_type}
    for field in ITEM_ACCOUNTS.get(item_type, ()):
        item[field] = ref_to(resolve(company, "Account", required(element.get(field), field),
                                     field))
    if item_type == "Inventory":
        item["TrackQtyOnHand"] = True
        required(element.get("InvStartDate"), "InvStartDate")
        if existing is not None and "QtyOnHand" in existing:
            # Stock moves by transactions once the item exists, not by editing it.
            item["QtyOnHand"] = existing["QtyOnHand"]
        elif "QtyOnHand" not in element:
            raise fault(REQUIRED, "Required parameter QtyOnHand is missing in the request",
                        element="QtyOnHand")
    return item
