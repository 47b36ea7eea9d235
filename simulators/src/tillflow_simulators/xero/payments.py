"""Payments against approved invoices and credit notes, into bank (or payable) accounts;
deleted by posting ``{"Status": "DELETED"}`` to the payment, which gives the amount back."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow_simulators.xero import credit_notes, invoices
from tillflow_simulators.xero.batch import Invalid, Kind, error_marked, save
from tillflow_simulators.xero.books import Books, Record
from tillflow_simulators.xero.calls import Call, to_wire
from tillflow_simulators.xero.documents import DocType, settle
from tillflow_simulators.xero.errors import ValidationException
from tillflow_simulators.xero.listing import list_records, one
from tillflow_simulators.xero.routes import Answer, Routes, elements
from tillflow_simulators.xero.values import BadValue, money, parse_date

PAYMENT_TYPES = {"ACCREC": "ACCRECPAYMENT", "ACCPAY": "ACCPAYPAYMENT",
                 "ACCRECCREDIT": "ARCREDITPAYMENT", "ACCPAYCREDIT": "APCREDITPAYMENT"}


def _document(books: Books, element: dict[str, Any]) -> tuple[DocType, Record] | None:
    if "Invoice" in element:
        found = invoices.match(books, element["Invoice"])
        return (invoices.DOC, found) if found else None
    if "CreditNote" in element:
        found = credit_notes.match(books, element["CreditNote"])
        return (credit_notes.DOC, found) if found else None
    return None


def create(call: Call, element: dict[str, Any]) -> Record:
    books, errors = call.books, []
    target = _document(books, element)
    account = books.account_ref(element.get("Account") or {})
    amount = money(Decimal(str(element.get("Amount", 0))))
    try:
        when = parse_date(element["Date"], "Date") if "Date" in element else books.today()
    except BadValue as exc:
        raise Invalid(str(exc)) from exc
    if target is None:
        errors.append("Invoice or credit note could not be found")
    elif target[1]["Status"] != "AUTHORISED":
        errors.append("Payments can only be made against Authorised documents")
    elif amount > target[1][target[0].owed_field]:
        errors.append("Payment amount exceeds the amount outstanding on this document")
    if amount <= 0:
        errors.append("Payment amount must be greater than zero")
    if account is None or account["Status"] != "ACTIVE":
        errors.append("Account could not be found or is not active")
    elif account["Type"] != "BANK" and not account.get("EnablePaymentsToAccount"):
        errors.append(f"Account code '{account.get('Code')}' is not a valid code for a "
                      "payment: use a bank account or one that accepts payments")
    refusal = books.lock_date_refusal(when)
    if refusal:
        errors.append(refusal)
    if errors:
        raise Invalid(*errors)
    assert target is not None
    assert account is not None
    doc, document = target
    record: Record = {
        "Date": when, "Amount": amount, "Reference": element.get("Reference", ""),
        "CurrencyRate": Decimal("1.000000"), "IsReconciled": element.get("IsReconciled", False),
        "Status": "AUTHORISED", "PaymentType": PAYMENT_TYPES[document["Type"]],
        "Account": {"AccountID": account["AccountID"], "Code": account.get("Code", "")},
        "HasAccount": True, "HasValidationErrors": False}
    link = {doc.id_field: document[doc.id_field], "Type": document["Type"],
            doc.number_field: document.get(doc.number_field, "")}
    record["Invoice" if doc is invoices.DOC else "CreditNote"] = link
    books.insert("Payments", "PaymentID", record)
    document["Payments"].append({"PaymentID": record["PaymentID"], "Date": when,
                                 "Amount": amount, "Reference": record["Reference"],
                                 "CurrencyRate": record["CurrencyRate"], "HasAccount": True,
                                 "HasValidationErrors": False})
    if doc is invoices.DOC:
        document["AmountPaid"] += amount
    settle(doc, books, document, amount, when)
    return record


def delete(call: Call, existing: Record, element: dict[str, Any]) -> Record:
    if element.get("Status") != "DELETED":
        raise Invalid("A payment can only be changed to DELETED")
    if existing["Status"] == "DELETED":
        raise Invalid("The payment has already been deleted")
    refusal = call.books.lock_date_refusal(existing["Date"])
    if refusal:
        raise Invalid(refusal)
    books = call.books
    doc, key = (invoices.DOC, "Invoice") if "Invoice" in existing else (credit_notes.DOC,
                                                                        "CreditNote")
    document = books.table(doc.plural)[existing[key][doc.id_field]]
    document["Payments"] = [p for p in document["Payments"]
                            if p["PaymentID"] != existing["PaymentID"]]
    if doc is invoices.DOC:
        document["AmountPaid"] -= existing["Amount"]
    settle(doc, books, document, -existing["Amount"], existing["Date"])
    existing["Status"] = "DELETED"
    books.touch(existing)
    return existing


def render(books: Books, record: Record) -> dict[str, Any]:
    return dict(record)


def _no_match(books: Books, element: dict[str, Any]) -> Record | None:
    return None


KIND = Kind("Payments", "Payment", "PaymentID", create, delete, render, _no_match)


def _list(call: Call) -> Answer:
    return 200, list_records(call, KIND)


def _one(call: Call) -> Answer:
    return 200, one(call, KIND, call.path_params["PaymentID"])


def _put(call: Call) -> Answer:
    return 200, save(call, KIND, elements(call, "Payments"), mode="create")


def _post(call: Call) -> Answer:
    # POST /Payments takes one payment, not a list.
    return 200, save(call, KIND, [call.body], mode="create")


def _post_one(call: Call) -> Answer:
    existing = KIND.get(call.books, call.path_params["PaymentID"])
    try:
        delete(call, existing, call.body)
    except Invalid as invalid:
        marked = error_marked(KIND, to_wire(render(call.books, existing)), invalid.messages)
        raise ValidationException([marked]) from invalid
    return 200, {"Payments": [to_wire(render(call.books, existing))]}


ROUTES: Routes = {("get", "/Payments"): _list, ("get", "/Payments/{PaymentID}"): _one,
                  ("put", "/Payments"): _put, ("post", "/Payments"): _post,
                  ("post", "/Payments/{PaymentID}"): _post_one}
