"""Register pairing, PIN sign-in with lockout, cashier sessions and manager approval."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from support.api import Api
from support.databases import row_counts
from tillflow.db.uow import engine_of
from tillflow.domain.errors import Conflict, InvalidInput
from tillflow.services import pin_checks, staff
from tillflow.services.context import ServiceContext


@pytest.fixture
def paired(api: Api) -> str:
    api.location("S1")
    api.ok(api.post("/registers", {"code": "R1", "location": "S1"}), 201)
    api.ok(api.post("/staff", {"name": "Ana", "role": "cashier", "pin": "1234"}), 201)
    api.ok(api.post("/staff", {"name": "Max", "role": "manager", "pin": "987654"}), 201)
    return str(api.ok(api.post("/registers/R1/pairings"), 201)["token"])


def _as(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _sign_in(api: Api, pairing: str, name: str, pin: str) -> tuple[int, Any]:
    response = api.client.post("/api/v1/staff/sessions", json={"name": name, "pin": pin},
                               headers=_as(pairing))
    return response.status_code, response.json()


def test_a_pin_sign_in_gives_a_session_that_acts_with_the_cashier_role(api: Api,
                                                                       paired: str) -> None:
    info = api.client.get("/api/v1/staff/register", headers=_as(paired)).json()
    assert info["register"] == "R1"
    assert info["location"] == "S1"
    assert [s["name"] for s in info["staff"]] == ["Ana", "Max"]

    status, session = _sign_in(api, paired, "Ana", "1234")
    assert status == 201
    assert session["role"] == "cashier"
    assert session["discount_needs_approval"] is True
    token = str(session["token"])
    shift = api.client.post("/api/v1/registers/R1/shifts", json={"opening_float": "50.00"},
                            headers=_as(token))
    assert shift.status_code == 201, shift.text
    assert shift.json()["opened_by"] == "Ana"
    # A cashier session may sell but not change the catalog.
    refused = api.client.post("/api/v1/products", headers=_as(token),
                              json={"sku": "X", "name": "X", "price": "1.00"})
    assert refused.status_code == 403

    assert api.client.delete("/api/v1/staff/sessions/current",
                             headers=_as(token)).status_code == 204
    assert api.client.get("/api/v1/products", headers=_as(token)).status_code == 401


def test_the_pairing_token_is_no_api_token(api: Api, paired: str) -> None:
    assert api.client.get("/api/v1/products", headers=_as(paired)).status_code == 401
    assert api.client.get("/api/v1/staff/register",
                          headers=_as("tfr_unknown")).status_code == 401


def test_wrong_pins_lock_the_member_out(api: Api, paired: str) -> None:
    for left in range(pin_checks.MAX_FAILED_ATTEMPTS - 1, 0, -1):
        status, body = _sign_in(api, paired, "Ana", "0000")
        assert status == 403
        assert body["error"]["details"]["attempts_left"] == left
    status, body = _sign_in(api, paired, "Ana", "0000")
    assert body["error"]["code"] == "pin_locked"
    # Locked: even the right PIN is refused until the lockout ends.
    status, body = _sign_in(api, paired, "Ana", "1234")
    assert (status, body["error"]["code"]) == (403, "pin_locked")


def test_a_session_expires(ctx: ServiceContext, api: Api, paired: str) -> None:
    session = staff.sign_in(ctx, register="R1", name="Ana", pin="1234",
                            lifetime=timedelta(seconds=-1))
    assert session.expires_at < datetime.now(UTC)
    assert api.client.get("/api/v1/products",
                          headers=_as(session.token)).status_code == 401


def test_only_a_manager_pin_approves_a_discount(api: Api, paired: str) -> None:
    _, session = _sign_in(api, paired, "Ana", "1234")
    cashier = _as(str(session["token"]))
    approved = api.client.post("/api/v1/staff/approvals", headers=cashier,
                               json={"name": "Max", "pin": "987654", "action": "discount"})
    assert approved.status_code == 201
    assert approved.json()["approved_by"] == "Max"
    by_cashier = api.client.post("/api/v1/staff/approvals", headers=cashier,
                                 json={"name": "Ana", "pin": "1234", "action": "discount"})
    assert by_cashier.status_code == 403
    wrong = api.client.post("/api/v1/staff/approvals", headers=cashier,
                            json={"name": "Max", "pin": "111111", "action": "discount"})
    assert wrong.json()["error"]["code"] == "wrong_pin"
    events = api.ok(api.get("/events", after=0, limit=500))["events"]
    approvals = [e["data"] for e in events if e["type"] == "staff.approved"]
    assert approvals == [{"action": "discount", "approved_by": "Max", "requested_by": "Ana",
                          "register": "R1"}]


def test_sales_are_found_by_number(api: Api, paired: str) -> None:
    api.product("A", "5.00")
    api.stock("A", "S1", 5)
    api.ok(api.post("/registers/R1/shifts", {"opening_float": "0.00"}, role="cashier"), 201)
    sale = api.ok(api.post("/sales", {"location": "S1", "register": "R1",
                                      "lines": [{"sku": "A", "quantity": 1}],
                                      "payments": [{"method": "cash", "amount": "5.40"}]},
                           headers={"Idempotency-Key": "k1"}), 201)
    found = api.ok(api.get("/sales", number=sale["number"]))["items"]
    assert [s["id"] for s in found] == [sale["id"]]
    assert api.ok(api.get("/sales", number="R1-999999"))["items"] == []


def test_staff_input_is_checked(ctx: ServiceContext, paired: str) -> None:
    with pytest.raises(InvalidInput):
        staff.add_staff(ctx, name="Bo", role="cashier", pin="12")
    with pytest.raises(InvalidInput):
        staff.add_staff(ctx, name="Bo", role="integration", pin="1234")
    with pytest.raises(Conflict):
        staff.add_staff(ctx, name="Ana", role="cashier", pin="1234")


def test_a_session_acts_only_at_its_own_register(api: Api, paired: str) -> None:
    api.product("A", "2.00")
    api.stock("A", "S1", 5)
    other_shift = api.register_with_shift("R2", "S1")
    _, session = _sign_in(api, paired, "Ana", "1234")
    token = str(session["token"])
    sale = {"location": "S1", "register": "R2", "lines": [{"sku": "A", "quantity": 1}],
            "payments": [{"method": "cash", "amount": "5.00"}]}
    before = row_counts(engine_of(api.ctx.store))
    for path, body in (("/api/v1/sales", sale),
                       ("/api/v1/sales", {**sale, "register": None}),
                       ("/api/v1/registers/R2/shifts", {"opening_float": "1.00"}),
                       (f"/api/v1/shifts/{other_shift}/cash-movements",
                        {"amount": "1.00", "reason": "x"}),
                       (f"/api/v1/shifts/{other_shift}/close", {"counted_cash": "1.00"})):
        refused = api.client.post(path, json=body, headers=_as(token))
        assert refused.status_code == 403, (path, refused.text)
        assert refused.json()["error"]["details"]["signed_in_at"] == "R1"
    assert row_counts(engine_of(api.ctx.store)) == before
    api.ok(api.client.post("/api/v1/registers/R1/shifts", json={"opening_float": "1.00"},
                           headers=_as(token)), 201)
    api.ok(api.client.post("/api/v1/sales", json={**sale, "register": "R1"},
                           headers=_as(token)), 201)
