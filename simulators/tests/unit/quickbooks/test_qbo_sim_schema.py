"""JSON entities checked against Intuit's XSD: names, types and required elements."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow_simulators.quickbooks.schema import check, load_seconds


def sales_receipt(**changes: Any) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "DocNumber": "R1-0001", "TxnDate": "2026-01-15", "CustomerRef": {"value": "1"},
        "PaymentMethodRef": {"value": "1", "name": "Cash"},
        "Line": [{"Amount": Decimal("6.70"), "DetailType": "SalesItemLineDetail",
                  "SalesItemLineDetail": {"ItemRef": {"value": "2"}, "Qty": 2,
                                          "UnitPrice": Decimal("3.35"),
                                          "TaxCodeRef": {"value": "3"}}}],
        "GlobalTaxCalculation": "TaxExcluded", "sparse": False}
    entity.update(changes)
    return entity


def kinds(entity: str, data: Any) -> list[tuple[str, str]]:
    return [(p.kind, p.path) for p in check(entity, data)]


def test_what_a_till_sends_is_valid() -> None:
    assert check("SalesReceipt", sales_receipt()) == []


def test_unknown_elements_and_attributes_are_named_as_intuits_reader_names_them() -> None:
    [problem] = check("SalesReceipt", sales_receipt(DocNumbr="typo"))
    assert (problem.kind, problem.element) == ("unknown", "DocNumbr")
    assert problem.detail == ('Unrecognized field "DocNumbr" (class com.intuit.schema.finance.'
                              'v3.SalesReceipt), not marked as ignorable')


def test_wrong_json_types_and_invalid_values() -> None:
    line = {"Amount": "6.70", "DetailType": "Sales", "SalesItemLineDetail": {
        "ItemRef": "2", "Qty": True, "UnitPrice": 3}}
    found = kinds("SalesReceipt", sales_receipt(Line=[line], TxnDate="15/01/2026",
                                                CustomerRef=[{"value": "1"}]))
    assert ("type", "SalesReceipt.Line[0].Amount") in found
    assert ("type", "SalesReceipt.Line[0].DetailType") in found
    assert ("type", "SalesReceipt.Line[0].SalesItemLineDetail.ItemRef") in found
    assert ("type", "SalesReceipt.Line[0].SalesItemLineDetail.Qty") in found
    assert ("type", "SalesReceipt.TxnDate") in found
    assert ("type", "SalesReceipt.CustomerRef") in found
    assert kinds("SalesReceipt", sales_receipt(Line={"Amount": 1})) == [
        ("type", "SalesReceipt.Line")]


def test_required_elements_and_choices() -> None:
    assert kinds("Item", {"Name": "x", "CustomField": [{"StringValue": "a"}]}) == [
        ("required", "Item.CustomField[0].Type")]
    both = {"Amount": 1, "DetailType": "SalesItemLineDetail",
            "SalesItemLineDetail": {"UnitPrice": 1}, "DiscountLineDetail": {}}
    assert ("choice", "Invoice.Line[0]") in kinds("Invoice", {"Line": [both]})


def test_the_xsd_is_read_once() -> None:
    assert load_seconds() < 30
