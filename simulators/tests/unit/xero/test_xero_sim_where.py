"""Xero's ``where`` and ``order`` language, as far as a connector uses it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tillflow_simulators.xero.errors import QueryParseError
from tillflow_simulators.xero.where import parse_where, sort

INVOICES: list[dict[str, Any]] = [
    {"InvoiceNumber": "INV-0001", "Status": "AUTHORISED", "Total": Decimal("10.00"),
     "Date": date(2026, 1, 10), "Reference": "R1-0001",
     "Contact": {"ContactID": "6F2E7AFC-0000-0000-0000-000000000001", "Name": "Walk-in"}},
    {"InvoiceNumber": "INV-0002", "Status": "DRAFT", "Total": Decimal("25.50"),
     "Date": date(2026, 1, 20), "Reference": "Cafe order",
     "Contact": {"ContactID": "6f2e7afc-0000-0000-0000-000000000002", "Name": "Ana"}},
    {"InvoiceNumber": "INV-0003", "Status": "PAID", "Total": Decimal("5.00"),
     "Date": date(2026, 2, 1), "Contact": {"ContactID": "x", "Name": "Max"}},
]


def numbers(where: str) -> list[str]:
    predicate = parse_where(where)
    return [i["InvoiceNumber"] for i in INVOICES if predicate(i)]


def test_equality_and_boolean_operators_with_parentheses() -> None:
    assert numbers('Status=="AUTHORISED"') == ["INV-0001"]
    assert numbers('Status == "DRAFT" OR Status == "PAID"') == ["INV-0002", "INV-0003"]
    assert numbers('(Status=="DRAFT" || Status=="PAID") AND Total>10') == ["INV-0002"]
    assert numbers('NOT Status=="DRAFT"') == ["INV-0001", "INV-0003"]


def test_guids_compare_without_regard_to_case_and_paths_reach_nested_elements() -> None:
    where = 'Contact.ContactID==guid("6f2e7afc-0000-0000-0000-000000000001")'
    assert numbers(where) == ["INV-0001"]


def test_dates_numbers_and_null() -> None:
    assert numbers("Date>=DateTime(2026, 01, 20)") == ["INV-0002", "INV-0003"]
    assert numbers("Total<=10.00") == ["INV-0001", "INV-0003"]
    assert numbers("Reference==null") == ["INV-0003"]
    assert numbers("Reference!=null") == ["INV-0001", "INV-0002"]


def test_string_methods() -> None:
    assert numbers('Reference.Contains("cafe")') == ["INV-0002"]
    assert numbers('InvoiceNumber.StartsWith("INV-000") AND Reference.EndsWith("0001")') == [
        "INV-0001"]


@pytest.mark.parametrize("where", ['Status="', 'Status=="A" AND', "Total >> 3",
                                   'Name.ToLower()=="a"', "Date>=DateTime(2026, 13, 1)"])
def test_what_cannot_be_read_is_a_query_parse_exception(where: str) -> None:
    with pytest.raises(QueryParseError) as refused:
        numbers(where)
    assert refused.value.body()["Type"] == "QueryParseException"


def test_order_by_several_fields_ascending_and_descending() -> None:
    ordered = sort(list(INVOICES), "Status DESC, Total")
    assert [i["InvoiceNumber"] for i in ordered] == ["INV-0003", "INV-0002", "INV-0001"]
    with pytest.raises(QueryParseError):
        sort(list(INVOICES), "Total SIDEWAYS")
