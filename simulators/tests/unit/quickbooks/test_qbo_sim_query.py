"""Intuit's query language, the part a connector uses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tillflow_simulators.quickbooks.company import ENTITIES
from tillflow_simulators.quickbooks.errors import Fault
from tillflow_simulators.quickbooks.query import parse, run

ITEMS: list[dict[str, Any]] = [
    {"Id": str(n), "Name": name, "Sku": sku, "Active": active, "UnitPrice": Decimal(price),
     "IncomeAccountRef": {"value": "8", "name": "Sales"},
     "MetaData": {"LastUpdatedTime": f"2026-01-{10 + n}T09:00:00+00:00"}}
    for n, (name, sku, active, price) in enumerate([
        ("Flat white", "SKU-1", True, "3.35"), ("Croissant", "SKU-2", True, "2.15"),
        ("Old muffin", "SKU-3", False, "1.00"), ("Espresso", "sku-4", True, "2.40")], start=1)]


def select(text: str) -> dict[str, Any]:
    return run(parse(text, ENTITIES), ITEMS)


def names(text: str) -> list[str]:
    return [item["Name"] for item in select(text).get("Item", [])]


def test_where_sku_equals_without_regard_to_case() -> None:
    assert names("select * from Item where Sku = 'SKU-4'") == ["Espresso"]
    assert names("SELECT * FROM item WHERE Sku = 'sku-1'") == ["Flat white"]


def test_inactive_entries_only_when_asked_about() -> None:
    assert "Old muffin" not in names("select * from Item")
    assert names("select * from Item where Active = false") == ["Old muffin"]
    assert len(names("select * from Item where Active in (true, false)")) == 4


def test_comparisons_like_in_dates_and_references() -> None:
    assert names("select * from Item where UnitPrice >= 2.40") == ["Flat white", "Espresso"]
    assert names("select * from Item where Name like '%ss%'") == ["Croissant", "Espresso"]
    assert names("select * from Item where Sku in ('SKU-1', 'SKU-2')") == ["Flat white",
                                                                          "Croissant"]
    assert names("select * from Item where MetaData.LastUpdatedTime > '2026-01-13'") == [
        "Espresso"]
    assert len(names("select * from Item where IncomeAccountRef = '8'")) == 3


def test_pages_order_and_count() -> None:
    page = select("select * from Item orderby Name desc startposition 2 maxresults 2")
    assert [i["Name"] for i in page["Item"]] == ["Espresso", "Croissant"]
    assert (page["startPosition"], page["maxResults"]) == (2, 2)
    assert select("select count(*) from Item") == {"totalCount": 3}
    assert select("select * from Item where Sku = 'none'") == {}


@pytest.mark.parametrize(("text", "code"), [
    ("select * frm Item", "4000"), ("select * from Nothing", "4000"),
    ("select * from Item where Sku = 'A' or Sku = 'B'", "4000"),
    ("select * from Item where Colour = 'red'", "4001"),
    ("select * from Item where Sku = ", "4000")])
def test_what_is_refused(text: str, code: str) -> None:
    with pytest.raises(Fault) as refused:
        select(text)
    assert refused.value.errors[0]["code"] == code
