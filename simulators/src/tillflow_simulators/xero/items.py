"""Items: a unique ``Code``, sales and purchase details pointing at live accounts and tax
rates; a tracked item needs an inventory asset and a cost-of-sales account."""

from __future__ import annotations

from typing import Any

from tillflow_simulators.xero.batch import Invalid, Kind, save
from tillflow_simulators.xero.books import Books, Record
from tillflow_simulators.xero.calls import Call
from tillflow_simulators.xero.lines import tax_rate_percent
from tillflow_simulators.xero.listing import list_records, one
from tillflow_simulators.xero.routes import NOT_WRITTEN, Answer, Routes, elements


def _problems(books: Books, fields: dict[str, Any], other_than: str | None) -> list[str]:
    errors = []
    code = fields.get("Code", "")
    if any(i["Code"].lower() == code.lower() and i["ItemID"] != other_than
           for i in books.table("Items").values()):
        errors.append(f"Item code '{code}' already exists")
    for details in ("SalesDetails", "PurchaseDetails"):
        found = fields.get(details) or {}
        for field in ("AccountCode", "COGSAccountCode"):
            account_code = found.get(field)
            if account_code is not None and _inactive(books, account_code):
                errors.append(f"Account code '{account_code}' is not a valid account")
        tax_type = found.get("TaxType")
        if tax_type is not None and tax_rate_percent(books, tax_type) is None:
            errors.append(f"The TaxType code {tax_type} does not exist or cannot be used for "
                          "this type of transaction.")
    if fields.get("IsTrackedAsInventory"):
        if not fields.get("InventoryAssetAccountCode"):
            errors.append("An inventory asset account must be specified for a tracked item")
        if not (fields.get("PurchaseDetails") or {}).get("COGSAccountCode"):
            errors.append("A cost of goods sold account must be specified for a tracked item")
    return errors


def _inactive(books: Books, code: str) -> bool:
    account = books.account_by_code(code)
    return account is None or account["Status"] != "ACTIVE"


def create(call: Call, element: dict[str, Any]) -> Record:
    errors = _problems(call.books, element, None)
    if errors:
        raise Invalid(*errors)
    record: Record = {"IsSold": True, "IsPurchased": True, "IsTrackedAsInventory": False,
                      **{k: v for k, v in element.items() if k not in NOT_WRITTEN}}
    return call.books.insert("Items", "ItemID", record)


def update(call: Call, existing: Record, element: dict[str, Any]) -> Record:
    merged = {**existing, **{k: v for k, v in element.items() if k not in NOT_WRITTEN}}
    errors = _problems(call.books, merged, existing["ItemID"])
    if errors:
        raise Invalid(*errors)
    existing.update(merged)
    call.books.touch(existing)
    return existing


def match(books: Books, element: dict[str, Any]) -> Record | None:
    if "ItemID" in element:
        return books.table("Items").get(element["ItemID"])
    code = str(element.get("Code", "")).lower()
    return next((i for i in books.table("Items").values() if i["Code"].lower() == code), None)


def render(books: Books, record: Record) -> dict[str, Any]:
    return dict(record)


KIND = Kind("Items", "Item", "ItemID", create, update, render, match)


def _list(call: Call) -> Answer:
    return 200, list_records(call, KIND)


def _one(call: Call) -> Answer:
    return 200, one(call, KIND, call.path_params["ItemID"])


def _put(call: Call) -> Answer:
    return 200, save(call, KIND, elements(call, "Items"), mode="create")


def _post(call: Call) -> Answer:
    return 200, save(call, KIND, elements(call, "Items"), mode="upsert")


def _post_one(call: Call) -> Answer:
    target = KIND.get(call.books, call.path_params["ItemID"])
    return 200, save(call, KIND, elements(call, "Items"), mode="update", target=target)


def _delete(call: Call) -> Answer:
    item = KIND.get(call.books, call.path_params["ItemID"])
    del call.books.table("Items")[item["ItemID"]]
    return 204, None


ROUTES: Routes = {("get", "/Items"): _list, ("get", "/Items/{ItemID}"): _one,
                  ("put", "/Items"): _put, ("post", "/Items"): _post,
                  ("post", "/Items/{ItemID}"): _post_one, ("delete", "/Items/{ItemID}"): _delete}
