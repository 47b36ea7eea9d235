"""Stock documents' rules: lines, counts, low stock."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tillflow.domain.errors import InvalidInput
from tillflow.domain.stock_documents import (
    ADD,
    SET,
    check_lines,
    check_route,
    counted_after,
    is_low,
)


def test_low_is_at_or_below_the_reorder_point() -> None:
    assert is_low(Decimal(5), Decimal(5))
    assert not is_low(Decimal(6), Decimal(5))
    assert not is_low(Decimal(-3), None)


def test_scans_add_and_typed_counts_replace() -> None:
    assert counted_after(None, Decimal(1), ADD) == 1
    assert counted_after(Decimal(4), Decimal(1), ADD) == 5
    assert counted_after(Decimal(4), Decimal("2.5"), SET) == Decimal("2.5")
    with pytest.raises(InvalidInput):
        counted_after(Decimal(1), Decimal(-2), ADD)


@pytest.mark.parametrize(("skus", "quantities", "field"), [
    ([], [], "lines"),
    (["A", "B"], [Decimal(1), Decimal(0)], "lines.1.quantity"),
    (["A", "A"], [Decimal(1), Decimal(1)], "lines.1.sku"),
])
def test_document_lines(skus: list[str], quantities: list[Decimal], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_lines(skus, quantities)
    assert refused.value.details["field"] == field


def test_a_route_needs_two_places() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_route("S1", "S1")
    assert refused.value.details["field"] == "to_location"
