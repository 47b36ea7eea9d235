"""Spend and receive money on a bank account (``SPEND``/``RECEIVE``): lines priced as on
invoices; deleted by posting ``Status: DELETED`` unless reconciled."""

from __future__ import annotations

from typing import Any

from tillflow_simulators.xero import contacts
from tillflow_simulators.xero.batch import Invalid, Kind, save
from tillflow_simulators.xero.books import Books, Record
from tillflow_simulators.xero.calls import Call
from tillflow_simulators.xero.documents import resolve_contact
from tillflow_simulators.xero.lines import price_lines
from tillflow_simulators.xero.listing import list_records, one
from tillflow_simulators.xero.routes import Answer, Routes, elements
from tillflow_simulators.xero.values import BadValue, parse_date

TYPES = ("RECEIVE", "SPEND")


def _build(call: Call, element: dict[str, Any], existing: Record | None) -> Record:
    books, errors = call.books, []
    merged = {**(existing or {}), **element}
    status = merged.get("Status", "AUTHORISED")
    if existing is not None and existing["Status"] != "AUTHORISED":
        errors.append("Bank transaction not of valid status for modification")
    if existing is not None and existing.get("IsReconciled") and status == "DELETED":
        errors.append("A reconciled bank transaction cannot be deleted")
    if merged.get("Type") not in TYPES:
        errors.append(f"Bank transaction Type must be one of {', '.join(TYPES)}")
    bank = books.account_ref(merged.get("BankAccount") or {})
    if bank is None or bank["Type"] != "BANK" or bank["Status"] != "ACTIVE":
        errors.append("A valid, active bank account must be specified")
    contact = resolve_contact(books, merged["Contact"], errors) if merged.get("Contact") \
        else None
    try:
        when = parse_date(element["Date"], "Date") if "Date" in element else (
            existing["Date"] if existing else books.today())
    except BadValue as exc:
        raise Invalid(str(exc)) from exc
    amount_types = merged.get("LineAmountTypes", "Exclusive")
    priced = price_lines(books, merged.get("LineItems", []), amount_types=amount_types,
                         unitdp=call.unitdp, account_required=True)
    errors.extend(priced.errors)
    if not priced.lines:
        errors.append("At least one line item is required")
    for moment in {when, *([existing["Date"]] if existing else [])}:
        refusal = books.lock_date_refusal(moment)
        if refusal:
            errors.append(refusal)
    if errors:
        raise Invalid(*dict.fromkeys(errors))
    assert bank is not None
    record: Record = existing if existing is not None else {"HasAttachments": False}
    if contact is not None and "ContactID" not in contact:
        contact = contacts.add(books, {"Name": contact["Name"]})
    record.update({
        "Type": merged["Type"], "Status": status, "Date": when,
        "BankAccount": {"AccountID": bank["AccountID"], "Code": bank.get("Code", ""),
                        "Name": bank["Name"]},
        "LineAmountTypes": amount_types, "LineItems": priced.lines,
        "SubTotal": priced.sub_total, "TotalTax": priced.total_tax, "Total": priced.total,
        "Reference": merged.get("Reference", ""), "IsReconciled": merged.get("IsReconciled",
                                                                             False),
        "CurrencyCode": books.settings.base_currency})
    if contact is not None:
        record["Contact"] = {"ContactID": contact["ContactID"], "Name": contact["Name"]}
    if existing is None:
        books.insert("BankTransactions", "BankTransactionID", record)
    else:
        books.touch(record)
    return record


def create(call: Call, element: dict[str, Any]) -> Record:
    return _build(call, element, None)


def update(call: Call, existing: Record, element: dict[str, Any]) -> Record:
    return _build(call, element, existing)


def match(books: Books, element: dict[str, Any]) -> Record | None:
    found = element.get("BankTransactionID")
    return books.table("BankTransactions").get(found) if found else None


def render(books: Books, record: Record) -> dict[str, Any]:
    return dict(record)


KIND = Kind("BankTransactions", "BankTransaction", "BankTransactionID", create, update,
            render, match)


def _list(call: Call) -> Answer:
    return 200, list_records(call, KIND)


def _one(call: Call) -> Answer:
    return 200, one(call, KIND, call.path_params["BankTransactionID"])


def _put(call: Call) -> Answer:
    return 200, save(call, KIND, elements(call, "BankTransactions"), mode="create")


def _post(call: Call) -> Answer:
    return 200, save(call, KIND, elements(call, "BankTransactions"), mode="upsert")


def _post_one(call: Call) -> Answer:
    target = KIND.get(call.books, call.path_params["BankTransactionID"])
    return 200, save(call, KIND, elements(call, "BankTransactions")[:1], mode="update",
                     target=target)


ROUTES: Routes = {("get", "/BankTransactions"): _list,
                  ("get", "/BankTransactions/{BankTransactionID}"): _one,
                  ("put", "/BankTransactions"): _put, ("post", "/BankTransactions"): _post,
                  ("post", "/BankTransactions/{BankTransactionID}"): _post_one}
