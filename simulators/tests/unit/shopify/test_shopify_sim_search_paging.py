"""Shopify search syntax and cursor pagination, on plain records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from graphql import GraphQLError

from tillflow_simulators.shopify import search
from tillflow_simulators.shopify.pagination import PageRequest, connection


@dataclass
class Row:
    number: int
    sku: str
    updated_at: datetime


FIELDS: search.Fields = {
    "id": lambda r: r.number,
    "sku": lambda r: r.sku,
    "updated_at": lambda r: r.updated_at,
}
ROWS = [Row(n, f"SKU-{n}", datetime(2026, 1, n, tzinfo=UTC)) for n in range(1, 8)]


def find(query: str) -> list[int]:
    terms = search.parse(query)
    return [r.number for r in ROWS if search.matches(r, terms, FIELDS, ("sku",))]


def test_field_ranges_negation_and_quotes() -> None:
    assert find("updated_at:>'2026-01-05T00:00:00Z'") == [6, 7]
    assert find("updated_at:>=2026-01-05 AND id:<7") == [5, 6]
    assert find("sku:sku-3") == [3]
    assert find("-sku:SKU-3 id:<=4") == [1, 2, 4]
    assert find("NOT sku:SKU-1 id:<3") == [2]
    assert find("sku:SKU-1*") == [1]
    assert find("SKU-7") == [7]
    assert find("colour:red") == [1, 2, 3, 4, 5, 6, 7]


def test_or_is_refused_rather_than_guessed() -> None:
    with pytest.raises(search.UnsupportedQuery):
        search.parse("sku:A OR sku:B")


def page(request: PageRequest) -> dict[str, Any]:
    return connection(
        ROWS, request, key=lambda r: r.updated_at.timestamp(), number=lambda r: r.number
    )


def test_forward_and_backward_pages_meet() -> None:
    first = page(PageRequest(first=3))
    assert [r.number for r in first["nodes"]] == [1, 2, 3]
    info = first["pageInfo"]
    assert info == {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": info["startCursor"],
        "endCursor": info["endCursor"],
    }
    rest = page(PageRequest(first=10, after=info["endCursor"]))
    assert [r.number for r in rest["nodes"]] == [4, 5, 6, 7]
    assert rest["pageInfo"]["hasNextPage"] is False
    back = page(PageRequest(last=2, before=info["endCursor"]))
    assert [r.number for r in back["nodes"]] == [1, 2]
    newest = page(PageRequest(first=2, reverse=True))
    assert [r.number for r in newest["nodes"]] == [7, 6]


def test_bad_cursor_and_page_sizes_are_graphql_errors() -> None:
    with pytest.raises(GraphQLError):
        page(PageRequest(first=1, after="not-a-cursor"))
    with pytest.raises(GraphQLError, match="first or last"):
        page(PageRequest())
    with pytest.raises(GraphQLError):
        page(PageRequest(first=251))
