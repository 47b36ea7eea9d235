"""Credit notes (``ACCRECCREDIT`` refunds to customers) and their allocations to invoices."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from tillflow_simulators.xero import invoices
from tillflow_simulators.xero.batch import Invalid, Kind, save
from tillflow_simulators.xero.books import Books, Record
from tillflow_simulators.xero.calls import Call, to_wire
from tillflow_simulators.xero.documents import DocType, build, settle
from tillflow_simulators.xero.errors import ValidationException
from tillflow_simulators.xero.listing import list_records, one
from tillflow_simulators.xero.routes import Answer, Routes, elements
from tillflow_simulators.xero.values import BadValue, money, parse_date

DOC = DocType("CreditNotes", "CreditNoteID", "CreditNoteNumber", "CN-",
              ("ACCRECCREDIT", "ACCPAYCREDIT"), "CREDITNOTE", "RemainingCredit", "Credit Note")


def create(call: Call, element: dict[str, Any]) -> Record:
    return build(DOC, call, element, None)


def update(call: Call, existing: Record, element: dict[str, Any]) -> Record:
    return build(DOC, call, element, existing)


def match(books: Books, element: dict[str, Any]) -> Record | None:
    if "CreditNoteID" in element:
        return books.table("CreditNotes").get(element["CreditNoteID"])
    number = element.get("CreditNoteNumber")
    if number:
        return next((c for c in books.table("CreditNotes").values()
                     if c.get("CreditNoteNumber") == number), None)
    return None


def render(books: Books, record: Record) -> dict[str, Any]:
    return dict(record)


KIND = Kind("CreditNotes", "CreditNote", "CreditNoteID", create, update, render, match)


def allocate(call: Call, credit: Record, element: dict[str, Any]) -> Record:
    """Apply part of a credit note to an invoice of the same contact."""
    books, errors = call.books, []
    invoice = invoices.match(books, element.get("Invoice") or {})
    amount = money(Decimal(str(element.get("Amount", 0))))
    try:
        when = parse_date(element["Date"], "Date") if "Date" in element else books.today()
    except BadValue as exc:
        raise Invalid(str(exc)) from exc
    if credit["Status"] != "AUTHORISED":
        errors.append("Credit Note must be AUTHORISED to be allocated")
    if invoice is None:
        errors.append("Invoice could not be found")
    elif invoice["Status"] != "AUTHORISED":
        errors.append("Invoice must be AUTHORISED to have a credit allocated")
    elif invoice["Contact"]["ContactID"] != credit["Contact"]["ContactID"]:
        errors.append("The credit note and the invoice must be for the same contact")
    elif amount > invoice["AmountDue"]:
        errors.append("The amount allocated cannot exceed the amount due on the invoice")
    if amount <= 0 or amount > credit["RemainingCredit"]:
        errors.append("The amount allocated must be positive and cannot exceed the "
                      "remaining credit")
    refusal = books.lock_date_refusal(when)
    if refusal:
        errors.append(refusal)
    if errors:
        raise Invalid(*errors)
    assert invoice is not None
    allocation: Record = {"AllocationID": str(uuid.uuid4()), "Amount": amount, "Date": when,
                          "Invoice": {"InvoiceID": invoice["InvoiceID"],
                                      "InvoiceNumber": invoice.get("InvoiceNumber", "")}}
    credit["Allocations"].append(allocation)
    credit["AppliedAmount"] += amount
    settle(DOC, books, credit, amount, when)
    invoice["AmountCredited"] += amount
    invoice["CreditNotes"].append({"CreditNoteID": credit["CreditNoteID"],
                                   "CreditNoteNumber": credit.get("CreditNoteNumber", ""),
                                   "AppliedAmount": amount, "Total": credit["Total"]})
    settle(invoices.DOC, books, invoice, amount, when)
    return allocation


def _list(call: Call) -> Answer:
    return 200, list_records(call, KIND)


def _one(call: Call) -> Answer:
    return 200, one(call, KIND, call.path_params["CreditNoteID"])


def _put(call: Call) -> Answer:
    return 200, save(call, KIND, elements(call, "CreditNotes"), mode="create")


def _post(call: Call) -> Answer:
    return 200, save(call, KIND, elements(call, "CreditNotes"), mode="upsert")


def _post_one(call: Call) -> Answer:
    target = KIND.get(call.books, call.path_params["CreditNoteID"])
    return 200, save(call, KIND, elements(call, "CreditNotes")[:1], mode="update",
                     target=target)


def _allocations(call: Call) -> Answer:
    credit = KIND.get(call.books, call.path_params["CreditNoteID"])
    answers, refused = [], []
    batch = elements(call, "Allocations")
    saved = call.books.snapshot() if call.summarize and len(batch) > 1 else None
    for element in batch:
        try:
            answers.append(to_wire(allocate(call, credit, element)))
        except Invalid as invalid:
            marked = {**element, "ValidationErrors": [{"Message": m} for m in invalid.messages],
                      "StatusAttributeString": "ERROR"}
            refused.append(marked)
            answers.append(marked)
    if refused and call.summarize:
        if saved is not None:
            call.books.restore(saved)
        raise ValidationException(refused)
    return 200, {"Allocations": answers}


ROUTES: Routes = {("get", "/CreditNotes"): _list, ("get", "/CreditNotes/{CreditNoteID}"): _one,
                  ("put", "/CreditNotes"): _put, ("post", "/CreditNotes"): _post,
                  ("post", "/CreditNotes/{CreditNoteID}"): _post_one,
                  ("put", "/CreditNotes/{CreditNoteID}/Allocations"): _allocations}
