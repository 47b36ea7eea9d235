"""Requests checked against Xero's own OpenAPI as the simulator prepares it."""

from __future__ import annotations

import json
from typing import Any

from tillflow_simulators.xero.openapi import ApiRequest, request_problems, specs

TENANT = {"xero-tenant-id": "00000000-0000-0000-0000-000000000001"}


def problems(method: str, path: str, body: Any = None,
             query: dict[str, list[str]] | None = None) -> list[tuple[str, str]]:
    request = ApiRequest(method, f"/api.xro/2.0{path}", query or {}, TENANT,
                         json.dumps(body).encode() if body is not None else None)
    return [(p.rule, ".".join(map(str, p.path))) for p in
            request_problems(specs().accounting, request)]


def invoice(**changes: Any) -> dict[str, Any]:
    element = {"Type": "ACCREC", "Contact": {"Name": "Walk-in Customer"},
               "LineItems": [{"Description": "Coffee", "Quantity": 2, "UnitAmount": 3.5,
                              "AccountCode": "200", "TaxType": "OUTPUT"}],
               "Date": "2026-01-15", "Reference": "R1-0001", "Status": "AUTHORISED"}
    element.update(changes)
    return {"Invoices": [element]}


def test_an_invoice_a_till_sends_passes() -> None:
    assert problems("put", "/Invoices", invoice(), {"summarizeErrors": ["false"]}) == []


def test_wrong_type_unknown_element_bad_enum_and_missing_required_are_refused() -> None:
    wrong = invoice(LineItems=[{"Quantity": "two"}], Foo=1, Type="RECEIPT")
    found = problems("put", "/Invoices", wrong)
    assert ("type", "Invoices.0.LineItems.0.Quantity") in found
    assert ("additionalProperties", "Invoices.0") in found
    assert ("enum", "Invoices.0.Type") in found
    assert problems("put", "/Items", {"Items": [{"Name": "No code"}]}) == [
        ("required", "Items.0")]


def test_parameters_are_checked_too() -> None:
    assert problems("get", "/Invoices", query={"page": ["first"]}) == [("parameter", "page")]
    assert problems("get", "/Invoices/not-a-guid") == [("parameter", "InvoiceID")]


def test_the_spec_is_read_once_and_knows_the_scopes_of_each_operation() -> None:
    loaded = specs()
    assert loaded is specs()
    assert loaded.load_seconds < 30
    assert loaded.scopes[("put", "/Invoices")] == ("accounting.transactions",)
    assert "accounting.settings.read" in loaded.scopes[("get", "/Accounts")]
