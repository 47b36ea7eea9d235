"""Shifts: float, cash movements, and the Z report at close."""

from __future__ import annotations

import pytest

from support.api import Api
from support.databases import row_counts
from tillflow.db.uow import engine_of


@pytest.fixture
def shift(api: Api) -> str:
    api.location("S1")
    api.product("A", "10.00", tax_rate="0.10")
    api.stock("A", "S1", 20)
    return api.register_with_shift("R1", "S1", opening_float="100.00")


def test_z_report_balances_the_drawer(api: Api, shift: str) -> None:
    sale = api.ok(api.post("/sales", {
        "location": "S1", "register": "R1", "lines": [{"sku": "A", "quantity": 2}],
        "payments": [{"method": "cash", "amount": "30.00"}]}, role="cashier"), 201)
    assert sale["change_due"] == "8.00"
    api.ok(api.post("/sales", {
        "location": "S1", "register": "R1", "lines": [{"sku": "A", "quantity": 1}],
        "payments": [{"method": "card", "amount": "11.00", "reference": "T1"}]}), 201)
    api.ok(api.post(f"/sales/{sale['id']}/returns", {
        "lines": [{"sku": "A", "quantity": 1}], "register": "R1"}), 201)
    api.ok(api.post(f"/shifts/{shift}/cash-movements",
                    {"amount": "-50.00", "reason": "safe drop"}, role="cashier"), 201)
    api.ok(api.post(f"/shifts/{shift}/cash-movements",
                    {"amount": "5.00", "reason": "change top-up"}), 201)
    interim = api.ok(api.get(f"/shifts/{shift}/report", role="cashier"))
    assert interim["expected_cash"] == "66.00"
    assert interim["counted_cash"] is None
    report = api.ok(api.post(f"/shifts/{shift}/close", {"counted_cash": "65.50"},
                             role="cashier"))
    assert report["sales"] == {"count": 2, "total": "33.00", "tax": "3.00", "discounts": "0.00"}
    assert report["returns"] == {"count": 1, "total": "11.00", "tax": "1.00"}
    assert report["tax_total"] == "2.00"
    assert report["tenders"] == [
        {"method": "card", "taken": "11.00", "refunded": "0.00", "net": "11.00"},
        {"method": "cash", "taken": "22.00", "refunded": "11.00", "net": "11.00"},
    ]
    # 100 float + 22 cash sales - 11 cash refund - 50 drop + 5 top-up
    assert report["expected_cash"] == "66.00"
    assert report["counted_cash"] == "65.50"
    assert report["over_short"] == "-0.50"
    stored = api.ok(api.get(f"/shifts/{shift}"))
    assert stored["status"] == "closed"
    assert stored["z_report"] == report
    assert api.ok(api.get(f"/shifts/{shift}/report")) == report


def test_closed_shift_refuses_more(api: Api, shift: str) -> None:
    api.ok(api.post(f"/shifts/{shift}/close", {"counted_cash": "100.00"}))
    before = row_counts(engine_of(api.ctx.store))
    again = api.post(f"/shifts/{shift}/close", {"counted_cash": "100.00"})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"
    moved = api.post(f"/shifts/{shift}/cash-movements", {"amount": "1.00", "reason": "x"})
    assert moved.status_code == 409
    sold = api.post("/sales", {"location": "S1", "register": "R1",
                               "lines": [{"sku": "A", "quantity": 1}],
                               "payments": [{"method": "cash", "amount": "11.00"}]})
    assert sold.status_code == 409
    assert row_counts(engine_of(api.ctx.store)) == before
    reopened = api.ok(api.post("/registers/R1/shifts", {"opening_float": "0"}), 201)
    assert reopened["id"] != shift


def test_one_open_shift_per_register(api: Api, shift: str) -> None:
    before = row_counts(engine_of(api.ctx.store))
    response = api.post("/registers/R1/shifts", {"opening_float": "10.00"})
    assert response.status_code == 409
    assert row_counts(engine_of(api.ctx.store)) == before
    assert api.ok(api.get("/registers/R1"))["open_shift"] == shift


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/registers/R9/shifts", {"opening_float": "1.00"}, 404),
        ("/registers/R1/shifts", {"opening_float": "-1.00"}, 422),
        ("/shifts/{shift}/cash-movements", {"amount": "0", "reason": "x"}, 422),
        ("/shifts/{shift}/cash-movements", {"amount": "1.001", "reason": "x"}, 422),
        ("/shifts/{shift}/close", {"counted_cash": "-5"}, 422),
        ("/shifts/{shift}/close", {"counted_cash": "ten"}, 422),
        ("/shifts/00000000-0000-0000-0000-000000000000/close", {"counted_cash": "1"}, 404),
    ],
)
def test_bad_shift_commands(api: Api, shift: str, path: str, body: dict[str, str],
                            status: int) -> None:
    before = row_counts(engine_of(api.ctx.store))
    response = api.post(path.format(shift=shift), body)
    assert response.status_code == status, response.text
    assert row_counts(engine_of(api.ctx.store)) == before
