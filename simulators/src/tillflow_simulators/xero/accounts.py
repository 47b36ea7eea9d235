"""The chart of accounts: codes and names unique, archived accounts kept but refused on
new lines, an account with transactions never deleted (archive it instead)."""

from __future__ import annotations

from typing import Any

from tillflow_simulators.xero.batch import Invalid, Kind, save
from tillflow_simulators.xero.books import Books, Record
from tillflow_simulators.xero.calls import Call, to_wire
from tillflow_simulators.xero.errors import ValidationException
from tillflow_simulators.xero.listing import list_records, one
from tillflow_simulators.xero.routes import NOT_WRITTEN, Answer, Routes, elements
from tillflow_simulators.xero.seed import ACCOUNT_CLASSES, AccountSpec, add_account

READ_ONLY = frozenset({"Class", "SystemAccount", "ReportingCodeName", "AccountID"})


def _unique(books: Books, element: dict[str, Any], other_than: str | None) -> list[str]:
    errors = []
    for field, message in (("Code", "Please enter a unique Code."),
                           ("Name", "Please enter a unique Name.")):
        value = element.get(field)
        if value is not None and any(
                a.get(field, "").lower() == str(value).lower() and a["AccountID"] != other_than
                for a in books.table("Accounts").values()):
            errors.append(message)
    return errors


def create(call: Call, element: dict[str, Any]) -> Record:
    errors = _unique(call.books, element, None)
    if not element.get("Name"):
        errors.append("Please enter a Name.")
    if element.get("Type") not in ACCOUNT_CLASSES:
        errors.append("Please select an Account Type.")
    if errors:
        raise Invalid(*errors)
    add_account(call.books, AccountSpec(element.get("Code", ""), element["Name"],
                                        element["Type"], element.get("TaxType", "NONE"),
                                        enable_payments=element.get("EnablePaymentsToAccount",
                                                                    False)))
    record = call.books.account_by_code(element.get("Code", ""))
    assert record is not None
    record.update({k: v for k, v in element.items() if k not in NOT_WRITTEN | READ_ONLY})
    return record


def update(call: Call, existing: Record, element: dict[str, Any]) -> Record:
    errors = _unique(call.books, element, existing["AccountID"])
    if element.get("Type", existing["Type"]) not in ACCOUNT_CLASSES:
        errors.append("Please select an Account Type.")
    if errors:
        raise Invalid(*errors)
    existing.update({k: v for k, v in element.items() if k not in NOT_WRITTEN | READ_ONLY})
    existing["Class"] = ACCOUNT_CLASSES[existing["Type"]]
    call.books.touch(existing)
    return existing


def render(books: Books, record: Record) -> dict[str, Any]:
    return dict(record)


def _no_match(books: Books, element: dict[str, Any]) -> Record | None:
    return None


KIND = Kind("Accounts", "Account", "AccountID", create, update, render, _no_match)


def used(books: Books, account: Record) -> bool:
    """Whether any document posts to the account."""
    account_id = account["AccountID"]
    for table in ("Invoices", "CreditNotes", "BankTransactions", "ManualJournals", "Payments"):
        for record in books.table(table).values():
            lines = record.get("LineItems", []) + record.get("JournalLines", [])
            refs = [line.get("AccountID") for line in lines]
            refs += [record.get(name, {}).get("AccountID") for name in ("Account", "BankAccount")]
            if account_id in refs:
                return True
    return False


def _list(call: Call) -> Answer:
    return 200, list_records(call, KIND)


def _one(call: Call) -> Answer:
    return 200, one(call, KIND, call.path_params["AccountID"])


def _put(call: Call) -> Answer:
    # PUT /Accounts takes one account, not a list.
    return 200, save(call, KIND, [call.body], mode="create")


def _post_one(call: Call) -> Answer:
    target = KIND.get(call.books, call.path_params["AccountID"])
    return 200, save(call, KIND, elements(call, "Accounts")[:1], mode="update", target=target)


def _delete(call: Call) -> Answer:
    account = KIND.get(call.books, call.path_params["AccountID"])
    if used(call.books, account) or account.get("SystemAccount"):
        element = to_wire(render(call.books, account))
        element["ValidationErrors"] = [{"Message": "Account cannot be deleted as it has been "
                                                   "used or is a system account. Archive it "
                                                   "instead."}]
        raise ValidationException([element])
    account["Status"] = "DELETED"
    del call.books.table("Accounts")[account["AccountID"]]
    return 200, {"Accounts": [to_wire(render(call.books, account))]}


ROUTES: Routes = {("get", "/Accounts"): _list, ("get", "/Accounts/{AccountID}"): _one,
                  ("put", "/Accounts"): _put, ("post", "/Accounts/{AccountID}"): _post_one,
                  ("delete", "/Accounts/{AccountID}"): _delete}
