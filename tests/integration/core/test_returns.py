"""Returns against a sale: partial, bounded by what was sold, restock or not."""

from __future__ import annotations

from typing import Any

import pytest

from support.api import Api
from support.databases import row_counts
from tillflow.db.uow import engine_of


@pytest.fixture
def sale(api: Api) -> dict[str, Any]:
    api.location("S1")
    api.product("A", "3.33", tax_rate="0.08")
    api.product("B", "1.00", tax_rate="0")
    api.stock("A", "S1", 10)
    api.stock("B", "S1", 10)
    body = {"location": "S1", "lines": [{"sku": "A", "quantity": 3},
                                         {"sku": "B", "quantity": 1}],
            "discount": "0.50", "payments": [{"method": "cash", "amount": "20.00"}]}
    created: dict[str, Any] = api.ok(api.post("/sales", body), 201)
    return created


def ret(api: Api, sale_id: str, lines: list[dict[str, Any]], **extra: Any) -> Any:
    return api.post(f"/sales/{sale_id}/returns", {"lines": lines, **extra}, role="cashier")


def test_partial_returns_add_up_to_the_sale(api: Api, sale: dict[str, Any]) -> None:
    a_total = sale["lines"][0]["total"]
    first = api.ok(ret(api, sale["id"], [{"sku": "A", "quantity": 1}]), 201)
    second = api.ok(ret(api, sale["id"], [{"sku": "A", "quantity": 1}]), 201)
    third = api.ok(ret(api, sale["id"], [{"sku": "A", "quantity": 1}, {"sku": "B",
                                                                        "quantity": 1}]), 201)
    refunded = sum(float(r["total"]) * 100 for r in (first, second, third))
    assert round(refunded) == round(float(sale["total"]) * 100)
    a_refunds = [first["lines"][0]["total"], second["lines"][0]["total"],
                 third["lines"][0]["total"]]
    assert round(sum(float(x) * 100 for x in a_refunds)) == round(float(a_total) * 100)
    assert first["refunds"] == [{"method": "cash", "amount": first["total"], "reference": None}]
    assert first["number"] == "S1/R000001"
    assert api.on_hand("A", "S1") == 10
    again = api.ok(api.get(f"/sales/{sale['id']}"))
    assert [line["returned_quantity"] for line in again["lines"]] == [3, 1]
    listed = api.ok(api.get(f"/sales/{sale['id']}/returns"))["items"]
    assert [r["id"] for r in listed] == [first["id"], second["id"], third["id"]]


def test_return_without_restock_leaves_stock_alone(api: Api, sale: dict[str, Any]) -> None:
    api.ok(ret(api, sale["id"], [{"sku": "A", "quantity": 2}], restock=False), 201)
    assert api.on_hand("A", "S1") == 7


def test_refund_tenders_must_match_the_return(api: Api, sale: dict[str, Any]) -> None:
    line = api.ok(ret(api, sale["id"], [{"sku": "B", "quantity": 1}],
                      refunds=[{"method": "card", "amount": "0.95", "reference": "RF1"}]), 201)
    assert line["refunds"][0]["method"] == "card"
    before = row_counts(engine_of(api.ctx.store))
    wrong = ret(api, sale["id"], [{"sku": "A", "quantity": 1}],
                refunds=[{"method": "cash", "amount": "1.00"}])
    assert wrong.status_code == 422
    assert wrong.json()["error"]["details"]["field"] == "refunds"
    assert row_counts(engine_of(api.ctx.store)) == before


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([{"sku": "A", "quantity": 4}], "lines[0].quantity"),
        ([{"sku": "A", "quantity": 2}, {"sku": "A", "quantity": 2}], "lines[1].quantity"),
        ([{"sku": "C", "quantity": 1}], "lines[0].sku"),
        ([{"sku": "A", "quantity": 0}], "lines[0].quantity"),
    ],
)
def test_returning_more_than_sold_is_refused(api: Api, sale: dict[str, Any],
                                             lines: list[dict[str, Any]], field: str) -> None:
    before = row_counts(engine_of(api.ctx.store))
    response = ret(api, sale["id"], lines)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"]["field"] == field
    assert row_counts(engine_of(api.ctx.store)) == before


def test_earlier_returns_count(api: Api, sale: dict[str, Any]) -> None:
    api.ok(ret(api, sale["id"], [{"sku": "A", "quantity": 2}]), 201)
    response = ret(api, sale["id"], [{"sku": "A", "quantity": 2}])
    assert response.status_code == 422
    assert response.json()["error"]["details"]["returnable"] == "1"


def test_return_of_unknown_sale(api: Api) -> None:
    response = ret(api, "00000000-0000-0000-0000-000000000000", [{"sku": "A", "quantity": 1}])
    assert response.status_code == 404
