"""A manager approves a cashier's card refund above the limit, without a receipt, or a
void, by role or by PIN (an approval token from POST /staff/approvals); the approver is in
the events log. localstripe on PostgreSQL."""

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2 as httpx
import pytest
import stripe

from support.api import Api
from support.card_shop import CardShop, card_shop
from support.live_server import serving
from tillflow.api.app import create_app
from tillflow.services.context import ServiceContext

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)
DUPLICATES = 6


class Till:
    """Ana, a cashier signed in at R1 with her PIN; Max, a manager who approves by PIN."""

    def __init__(self, api: Api) -> None:
        self.api = api
        api.ok(api.post("/staff", {"name": "Ana", "role": "cashier", "pin": "1234"}), 201)
        api.ok(api.post("/staff", {"name": "Max", "role": "manager", "pin": "987654"}), 201)
        pairing = api.ok(api.post("/registers/R1/pairings"), 201)["token"]
        session = api.client.post("/api/v1/staff/sessions", json={"name": "Ana", "pin": "1234"},
                                  headers={"Authorization": f"Bearer {pairing}"})
        self.headers = {"Authorization": f"Bearer {session.json()['token']}"}

    def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return self.api.client.post(f"/api/v1{path}", json=body, headers=self.headers)

    def approval(self, action: str) -> str:
        given = self.post("/staff/approvals", {"name": "Max", "pin": "987654", "action": action})
        assert given.status_code == 201, given.text
        return str(given.json()["approval"])


@pytest.fixture
def shop(api: Api, localstripe: str) -> Iterator[tuple[CardShop, Till]]:
    with card_shop(api, localstripe, settings={"refund_approval_above": "5.00"}) as built:
        yield built, Till(api)


def _code(response: httpx.Response) -> str:
    assert response.status_code == 403, response.text
    return str(response.json()["error"]["code"])


def _audit(api: Api, act: str) -> list[dict[str, Any]]:
    return [r for r in api.ok(api.get("/audit", limit=500))["items"] if r["act"] == act]


def _events(api: Api, kind: str) -> list[dict[str, Any]]:
    return [e["data"] for e in api.ok(api.get("/events", limit=500))["events"]
            if e["type"] == kind]


def test_a_refund_above_the_limit_passes_with_a_managers_pin(
        shop: tuple[CardShop, Till], stripe_client: stripe.StripeClient) -> None:
    store, till = shop
    sale = store.api.ok(store.sell(store.card("11.00"), quantity=2), 201)
    body: dict[str, Any] = {"register": "R1", "lines": [{"sku": "TEA", "quantity": 2}],
                            "refunds": [{"method": "card", "amount": "11.00"}]}

    unapproved = till.post(f"/sales/{sale['id']}/returns", body)
    token = till.approval("refund")
    returned = till.post(f"/sales/{sale['id']}/returns", body | {"approval": token})
    reused = till.post(f"/payments/{sale['payments'][0]['payment_id']}/refunds",
                       {"amount": "1.00", "approval": token})

    assert _code(unapproved) == "approval_required"
    assert returned.status_code == 201, returned.text
    assert [r.amount for r in stripe_client.v1.refunds.list().data] == [1100]
    [refunded] = _events(store.api, "payment.refunded")
    assert (refunded["approved_by"], refunded["requested_by"]) == ("Max", "Ana")
    assert _code(reused) == "approval_used"


def test_a_refund_without_a_receipt_needs_a_refund_approval(
        shop: tuple[CardShop, Till], stripe_client: stripe.StripeClient) -> None:
    store, till = shop
    payment_id = store.api.ok(store.sell(store.card("5.50")), 201)["payments"][0]["payment_id"]
    path = f"/payments/{payment_id}/refunds"

    unapproved = till.post(path, {"amount": "1.00"})
    wrong_kind = till.post(path, {"amount": "1.00", "approval": till.approval("discount")})
    unknown = till.post(path, {"amount": "1.00", "approval": "tfa_not-a-token"})
    approved = till.post(path, {"amount": "1.00", "approval": till.approval("refund")})

    assert [_code(unapproved), _code(wrong_kind), _code(unknown)] == [
        "approval_required", "approval_invalid", "approval_invalid"]
    assert approved.status_code == 201, approved.text
    assert [r.amount for r in stripe_client.v1.refunds.list().data] == [100]
    [refund] = _events(store.api, "payment.partially_refunded")
    assert refund["approved_by"] == "Max"
    [audited] = _audit(store.api, "refund")
    assert (audited["actor"], audited["subject"]) == ("Ana", f"payment:{payment_id}")
    assert (audited["data"]["amount"], audited["data"]["receipt"],
            audited["data"]["approved_by"]) == ("1.00", False, "Max")


def test_a_void_by_pin(api: Api, localstripe: str) -> None:
    with card_shop(api, localstripe, settings={"capture": "manual"}) as store:
        till = Till(api)
        payment_id = api.ok(store.sell(store.card("5.50")), 201)["payments"][0]["payment_id"]

        unapproved = till.post(f"/payments/{payment_id}/void", {})
        voided = till.post(f"/payments/{payment_id}/void", {"approval": till.approval("void")})

    assert _code(unapproved) == "approval_required"
    assert voided.json()["status"] == "cancelled"
    [void] = _events(api, "payment.cancelled")
    assert void["approved_by"] == "Max"
    [audited] = _audit(api, "payment.voided")
    assert (audited["actor"], audited["subject"], audited["data"]["approved_by"]) == (
        "Ana", f"payment:{payment_id}", "Max")


def _acts_approval(till: Till, acts: list[str]) -> str:
    given = till.post("/staff/approvals", {"name": "Max", "pin": "987654", "acts": acts})
    assert given.status_code == 201, given.text
    return str(given.json()["approval"])


def test_one_pin_approves_a_void_and_its_card_refund_above_the_limit(
        shop: tuple[CardShop, Till], stripe_client: stripe.StripeClient) -> None:
    store, till = shop
    sale = store.api.ok(store.sell(store.card("11.00"), quantity=2), 201)
    body: dict[str, Any] = {"register": "R1", "reason": "void",
                            "lines": [{"sku": "TEA", "quantity": 2}],
                            "refunds": [{"method": "card", "amount": "11.00"}]}
    path = f"/sales/{sale['id']}/returns"

    unapproved = till.post(path, body)
    void_only = till.post(path, body | {"approval": _acts_approval(till, ["void"])})
    refund_only = till.post(path, body | {"approval": till.approval("refund")})
    refunds_before = len(stripe_client.v1.refunds.list().data)
    token = _acts_approval(till, ["void", "refund"])
    voided = till.post(path, body | {"approval": token})
    reused = till.post(f"/payments/{sale['payments'][0]['payment_id']}/refunds",
                       {"amount": "1.00", "approval": token})

    assert [_code(unapproved), _code(void_only), _code(refund_only)] == [
        "approval_required", "approval_invalid", "approval_invalid"]
    assert void_only.json()["error"]["details"]["acts"] == ["refund"]
    assert refunds_before == 0
    assert voided.status_code == 201, voided.text
    assert voided.json()["reason"] == "void"
    assert voided.json()["refunds"][0]["method"] == "card"
    assert [r.amount for r in stripe_client.v1.refunds.list().data] == [1100]
    [refunded] = _events(store.api, "payment.refunded")
    assert (refunded["approved_by"], refunded["requested_by"]) == ("Max", "Ana")
    [audited] = _audit(store.api, "sale.voided")
    assert (audited["actor"], audited["data"]["approved_by"]) == ("Ana", "Max")
    assert _code(reused) == "approval_used"


def test_a_void_that_is_not_one_refunds_no_card(
        shop: tuple[CardShop, Till], stripe_client: stripe.StripeClient) -> None:
    store, till = shop
    sale = store.api.ok(store.sell(store.card("11.00"), quantity=2), 201)
    half: dict[str, Any] = {"register": "R1", "reason": "void",
                            "lines": [{"sku": "TEA", "quantity": 1}],
                            "refunds": [{"method": "card", "amount": "5.50"}]}

    refused = till.post(f"/sales/{sale['id']}/returns",
                        half | {"approval": _acts_approval(till, ["void", "refund"])})

    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["details"]["field"] == "lines"
    assert stripe_client.v1.refunds.list().data == []
    [payment] = store.api.ok(store.api.get(f"/sales/{sale['id']}"))["payments"]
    assert payment["status"] == "captured"


def test_a_retried_card_return_refunds_the_card_once(
        shop: tuple[CardShop, Till], stripe_client: stripe.StripeClient) -> None:
    store, till = shop
    sale = store.api.ok(store.sell(store.card("5.50")), 201)
    body: dict[str, Any] = {"register": "R1", "lines": [{"sku": "TEA", "quantity": 1}],
                            "refunds": [{"method": "card", "amount": "5.50"}],
                            "approval": till.approval("refund")}
    path = f"/api/v1/sales/{sale['id']}/returns"
    key = till.headers | {"Idempotency-Key": "card-return-1"}

    first = store.api.client.post(path, json=body, headers=key)
    retried = store.api.client.post(path, json=body, headers=key)

    assert first.status_code == retried.status_code == 201, first.text
    assert retried.json() == first.json()
    assert [r.amount for r in stripe_client.v1.refunds.list().data] == [550]


def test_duplicate_card_returns_racing_refund_the_card_once(
        shop: tuple[CardShop, Till], stripe_client: stripe.StripeClient,
        ctx: ServiceContext) -> None:
    store, till = shop
    sale = store.api.ok(store.sell(store.card("5.50")), 201)
    body: dict[str, Any] = {"register": "R1", "lines": [{"sku": "TEA", "quantity": 1}],
                            "refunds": [{"method": "card", "amount": "5.50"}],
                            "approval": till.approval("refund")}
    headers = till.headers | {"Idempotency-Key": "card-return-race"}
    barrier = threading.Barrier(DUPLICATES)

    with serving(create_app(ctx)) as url:
        def one(_: int) -> httpx.Response:
            with httpx.Client(base_url=f"{url}/api/v1", timeout=60) as client:
                barrier.wait()
                return client.post(f"/sales/{sale['id']}/returns", json=body, headers=headers)

        with ThreadPoolExecutor(DUPLICATES) as pool:
            answers = list(pool.map(one, range(DUPLICATES)))
        # A duplicate refused while the first was still at the gateway, sent again,
        # answers the return the first one made.
        again = store.api.client.post(f"/api/v1/sales/{sale['id']}/returns", json=body,
                                      headers=headers)

    [recorded] = store.api.ok(store.api.get(f"/sales/{sale['id']}/returns"))["items"]
    assert {a.status_code for a in answers} <= {201, 409}, [a.text for a in answers]
    assert {a.json()["id"] for a in answers if a.status_code == 201} == {recorded["id"]}
    assert (again.status_code, again.json()["id"]) == (201, recorded["id"])
    assert [r.amount for r in stripe_client.v1.refunds.list().data] == [550]
