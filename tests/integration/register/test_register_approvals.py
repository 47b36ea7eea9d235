"""The server refuses a cashier's discount without a manager's approval token; the token
is single-use, bound to its register and to the sale's Idempotency-Key, and short-lived."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from support.api import Api
from support.databases import row_counts
from tillflow.db.uow import engine_of
from tillflow.services import sales, staff, staff_approvals
from tillflow.services.context import Actor, ServiceContext


@pytest.fixture
def cashier(api: Api) -> dict[str, str]:
    """A cashier signed in at R1 (shift open), with R2 in the same shop."""
    api.location("S1")
    api.product("A", "10.00")
    api.stock("A", "S1", 50)
    api.register_with_shift("R1", "S1")
    api.ok(api.post("/registers", {"code": "R2", "location": "S1"}), 201)
    api.ok(api.post("/staff", {"name": "Ana", "role": "cashier", "pin": "1234"}), 201)
    api.ok(api.post("/staff", {"name": "Max", "role": "manager", "pin": "987654"}), 201)
    pairing = api.ok(api.post("/registers/R1/pairings"), 201)["token"]
    session = api.client.post("/api/v1/staff/sessions", json={"name": "Ana", "pin": "1234"},
                              headers={"Authorization": f"Bearer {pairing}"}).json()
    return {"Authorization": f"Bearer {session['token']}"}


def _sale(**extra: Any) -> dict[str, Any]:
    return {"location": "S1", "register": "R1",
            "lines": [{"sku": "A", "quantity": 1, "discount": "1.00"}],
            "payments": [{"method": "cash", "amount": "20.00"}], **extra}


def _approval(api: Api, headers: dict[str, str]) -> str:
    answer = api.ok(api.client.post("/api/v1/staff/approvals", headers=headers, json={
        "name": "Max", "pin": "987654", "action": "discount"}), 201)
    assert answer["approved_by"] == "Max"
    return str(answer["approval"])


def _sell(api: Api, headers: dict[str, str], key: str, body: dict[str, Any]) -> Any:
    return api.client.post("/api/v1/sales", json=body,
                           headers={**headers, "Idempotency-Key": key})


def test_a_cashiers_discount_without_approval_is_refused(api: Api,
                                                         cashier: dict[str, str]) -> None:
    before = row_counts(engine_of(api.ctx.store))
    for body in (_sale(), _sale(approval="tfa_made-up"),
                 {**_sale(lines=[{"sku": "A", "quantity": 1}]), "discount": "0.50"}):
        refused = _sell(api, cashier, "k", body)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] in ("approval_required", "approval_invalid")
    assert row_counts(engine_of(api.ctx.store)) == before
    # Without a discount no approval is asked for; a manager's or admin's token never is.
    plain = _sale(lines=[{"sku": "A", "quantity": 1, "discount": "0.00"}])
    assert _sell(api, cashier, "plain", plain).status_code == 201
    for role in ("manager", "admin"):
        assert api.post("/sales", _sale(), role=role,
                        headers={"Idempotency-Key": role}).status_code == 201


def test_an_approval_passes_once_and_again_only_for_the_same_sale(
        api: Api, cashier: dict[str, str]) -> None:
    token = _approval(api, cashier)
    sale = api.ok(_sell(api, cashier, "k1", _sale(approval=token)), 201)
    assert sale["discount_total"] == "1.00"
    replay = _sell(api, cashier, "k1", _sale(approval=token))
    assert replay.status_code == 201
    assert replay.headers["Idempotent-Replayed"] == "true"

    before = row_counts(engine_of(api.ctx.store))
    reused = _sell(api, cashier, "k2", _sale(approval=token))
    assert (reused.status_code, reused.json()["error"]["code"]) == (403, "approval_used")
    assert row_counts(engine_of(api.ctx.store)) == before


def test_an_approval_is_bound_to_its_register(api: Api, cashier: dict[str, str]) -> None:
    token = _approval(api, cashier)
    api.ok(api.post("/registers/R2/shifts", {"opening_float": "0.00"}, role="cashier"), 201)
    elsewhere = api.post("/sales", _sale(register="R2", approval=token), role="cashier",
                         headers={"Idempotency-Key": "r2"})
    assert elsewhere.json()["error"]["code"] == "approval_invalid"


def test_an_approval_expires_except_for_a_sale_made_offline(
        ctx: ServiceContext, api: Api, cashier: dict[str, str]) -> None:
    token = _approval(api, cashier)
    later = staff.APPROVAL_LIFETIME + timedelta(seconds=1)
    late = ServiceContext(ctx.store, ctx.config, clock=lambda: ctx.clock() + later,
                          secret_box=ctx.secret_box, connectors=ctx.connectors)
    ana = Actor(name="Ana", role="cashier", register="R1", session=True)
    request = sales.SaleRequest(
        location="S1", register="R1", approval=token,
        lines=[sales.SaleLineRequest(sku="A", quantity=1, discount="1.00")],
        payments=[sales.TenderRequest(method="cash", amount="20.00")])
    before = row_counts(engine_of(api.ctx.store))
    with pytest.raises(staff_approvals.ApprovalExpired):
        sales.record_sale(late, ana, request, idempotency_key="k")
    assert row_counts(engine_of(api.ctx.store)) == before
    # Made offline before it expired, replayed later: the goods are gone, it is recorded.
    sale, created = sales.record_sale(late, ana, replace(request, offline=True),
                                      idempotency_key="k")
    assert created
    assert sale.discount_total == Decimal("1.00")


def test_a_refused_sale_leaves_its_approval_unused(api: Api, cashier: dict[str, str]) -> None:
    token = _approval(api, cashier)
    body = _sale(approval=token)
    unknown = [{"sku": "NOPE", "quantity": 1, "discount": "1.00"}]
    refused = api.post("/sales", {**body, "lines": unknown}, role="cashier",
                       headers={"Idempotency-Key": "first-try"})
    assert refused.json()["error"]["code"] == "validation_error", refused.text
    sold = api.post("/sales", body, role="cashier", headers={"Idempotency-Key": "second-try"})
    assert sold.status_code == 201, sold.text


def test_approvals_are_only_for_known_actions(api: Api, cashier: dict[str, str]) -> None:
    refused = api.client.post("/api/v1/staff/approvals", headers=cashier, json={
        "name": "Max", "pin": "987654", "action": "anything"})
    assert refused.json()["error"]["code"] == "validation_error"


def test_the_approving_managers_name_ignores_case_and_surrounding_spaces(
        api: Api, cashier: dict[str, str]) -> None:
    def approve(name: str, pin: str = "987654") -> Any:
        return api.client.post("/api/v1/staff/approvals", headers=cashier, json={
            "name": name, "pin": pin, "acts": ["discount"]})

    typed = [approve(name) for name in ("max", "  MAX ", "\tmAx\n")]
    wrong = approve(" max ", pin="000000")
    twin = api.post("/staff", {"name": " MAX ", "role": "cashier", "pin": "5555"})

    assert [a.status_code for a in typed] == [201, 201, 201], typed[0].text
    assert {a.json()["approved_by"] for a in typed} == {"Max"}
    assert wrong.status_code == 403
    # A wrong PIN typed under another spelling counts against the same member.
    assert wrong.json()["error"]["details"]["attempts_left"] == 4
    assert twin.status_code == 409
    assert twin.json()["error"]["details"]["field"] == "name"
    approved = [r for r in api.ok(api.get("/audit", limit=500))["items"]
                if r["act"] == "approval.granted"]
    assert {r["data"]["approved_by"] for r in approved} == {"Max"}
