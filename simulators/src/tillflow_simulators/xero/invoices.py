"""Invoices (``ACCREC`` sales, ``ACCPAY`` bills): created, updated, voided, listed."""

from __future__ import annotations

from typing import Any

from tillflow_simulators.xero.batch import Kind, save
from tillflow_simulators.xero.books import Books, Record
from tillflow_simulators.xero.calls import Call
from tillflow_simulators.xero.documents import DocType, build
from tillflow_simulators.xero.listing import list_records, one
from tillflow_simulators.xero.routes import Answer, Routes, elements

DOC = DocType("Invoices", "InvoiceID", "InvoiceNumber", "INV-", ("ACCREC", "ACCPAY"),
              "INVOICE", "AmountDue", "Invoice")


def create(call: Call, element: dict[str, Any]) -> Record:
    return build(DOC, call, element, None)


def update(call: Call, existing: Record, element: dict[str, Any]) -> Record:
    return build(DOC, call, element, existing)


def match(books: Books, element: dict[str, Any]) -> Record | None:
    if "InvoiceID" in element:
        return books.table("Invoices").get(element["InvoiceID"])
    number = element.get("InvoiceNumber")
    if number:
        return next((i for i in books.table("Invoices").values()
                     if i.get("InvoiceNumber") == number and i["Type"] ==
                     element.get("Type", i["Type"])), None)
    return None


def render(books: Books, record: Record) -> dict[str, Any]:
    return dict(record)


KIND = Kind("Invoices", "Invoice", "InvoiceID", create, update, render, match)


def _list(call: Call) -> Answer:
    return 200, list_records(call, KIND, hidden=lambda i: i["Status"] == "ARCHIVED",
                             searchable=("InvoiceNumber", "Reference"))


def _one(call: Call) -> Answer:
    return 200, one(call, KIND, call.path_params["InvoiceID"])


def _put(call: Call) -> Answer:
    return 200, save(call, KIND, elements(call, "Invoices"), mode="create")


def _post(call: Call) -> Answer:
    return 200, save(call, KIND, elements(call, "Invoices"), mode="upsert")


def _post_one(call: Call) -> Answer:
    target = KIND.get(call.books, call.path_params["InvoiceID"])
    return 200, save(call, KIND, elements(call, "Invoices")[:1], mode="update", target=target)


ROUTES: Routes = {("get", "/Invoices"): _list, ("get", "/Invoices/{InvoiceID}"): _one,
                  ("put", "/Invoices"): _put, ("post", "/Invoices"): _post,
                  ("post", "/Invoices/{InvoiceID}"): _post_one}
