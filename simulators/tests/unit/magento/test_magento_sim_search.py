"""searchCriteria as Magento applies it: OR inside a group, AND across groups, MySQL's
case-insensitive comparisons, DESC by default, the last page again past the end."""

from __future__ import annotations

from typing import Any

import pytest

from tillflow_simulators.magento.errors import MagentoError
from tillflow_simulators.magento.inputs import php_query
from tillflow_simulators.magento.search import search
from tillflow_simulators.magento.store import StoreSettings

ROWS: list[dict[str, Any]] = [
    {"id": 1, "sku": "MUG-1", "price": 12, "updated_at": "2026-01-01 10:00:00"},
    {"id": 2, "sku": "mug-2", "price": 9, "updated_at": "2026-01-02 10:00:00"},
    {"id": 3, "sku": "CAP-1", "price": 30, "updated_at": "2026-01-03 10:00:00"},
]


def ids(criteria: dict[str, Any], settings: StoreSettings | None = None) -> list[int]:
    page, _, _ = search(ROWS, criteria, settings or StoreSettings())
    return [r["id"] for r in page]


def group(*filters: dict[str, str]) -> dict[str, Any]:
    return {"filters": list(filters)}


def test_or_inside_a_group_and_across_groups() -> None:
    either = group(
        {"field": "sku", "value": "mug%", "condition_type": "like"},
        {"field": "sku", "value": "CAP-1"},
    )
    assert ids({"filter_groups": [either]}) == [1, 2, 3]
    cheap = group({"field": "price", "value": "10", "condition_type": "lt"})
    assert ids({"filter_groups": [either, cheap]}) == [2]


def test_updated_at_since_a_cursor() -> None:
    since = group({"field": "updated_at", "value": "2026-01-01 10:00:00", "condition_type": "gt"})
    assert ids({"filter_groups": [since]}) == [2, 3]


def test_in_and_numeric_comparison() -> None:
    assert ids(
        {"filter_groups": [group({"field": "id", "value": "1,3", "condition_type": "in"})]}
    ) == [1, 3]
    assert ids(
        {"filter_groups": [group({"field": "price", "value": "9", "condition_type": "gteq"})]}
    ) == [1, 2, 3]


def test_sort_without_direction_is_descending() -> None:
    assert ids({"sort_orders": [{"field": "price"}]}) == [3, 1, 2]
    assert ids({"sort_orders": [{"field": "price", "direction": "ASC"}]}) == [2, 1, 3]


def test_a_page_past_the_end_is_the_last_page_again() -> None:
    assert ids({"page_size": 2, "current_page": 2}) == [3]
    assert ids({"page_size": 2, "current_page": 9}) == [3]
    _, total, echoed = search(ROWS, {"page_size": 2, "current_page": 9}, StoreSettings())
    assert total == 3
    assert echoed["page_size"] == 2


def test_unknown_condition_is_refused() -> None:
    with pytest.raises(MagentoError):
        ids({"filter_groups": [group({"field": "id", "value": "1", "condition_type": "near"})]})


def test_query_string_nests_as_php_reads_it() -> None:
    parsed = php_query(
        "searchCriteria[filter_groups][0][filters][0][field]=sku"
        "&searchCriteria[pageSize]=5&skus[]=a&skus[]=b"
    )
    assert parsed == {
        "searchCriteria": {"filter_groups": [{"filters": [{"field": "sku"}]}], "pageSize": "5"},
        "skus": ["a", "b"],
    }
