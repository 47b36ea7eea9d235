"""The till's acts through the server: a void (the whole sale back, in its shift, with a
manager's approval), sales parked at a register and resumed there once, the register's
favourites, and a receipt asked for by email and mailed by the worker's job."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from support.api import Api
from support.databases import row_counts
from support.smtp_server import HOST, MailServer
from tillflow.db.uow import engine_of
from tillflow.receipts.mail_settings import MailSettings
from tillflow.receipts.mailer import ReceiptMailRetries, ReceiptSender


@pytest.fixture
def till(api: Api) -> dict[str, str]:
    """Cashier Ana at R1 (shift open) in shop S1, with manager Max; R2 in the same shop."""
    api.location("S1")
    api.product("TEA", "3.35")
    api.product("MUG", "7.99")
    api.stock("TEA", "S1", 50)
    api.stock("MUG", "S1", 50)
    api.register_with_shift("R1", "S1")
    api.register_with_shift("R2", "S1")
    api.ok(api.post("/staff", {"name": "Max", "role": "manager", "pin": "987654"}), 201)
    return api.session("R1")


def _sell(api: Api, headers: dict[str, str], key: str) -> Any:
    return api.ok(api.client.post("/api/v1/sales", headers={**headers, "Idempotency-Key": key},
                                  json={"location": "S1", "register": "R1",
                                        "lines": [{"sku": "TEA", "quantity": 2},
                                                  {"sku": "MUG", "quantity": 1}],
                                        "payments": [{"method": "cash", "amount": "20.00"}]}),
                  201)


def _void_body(sale: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"register": "R1", "reason": "void", "restock": True,
            "lines": [{"sku": line["sku"], "quantity": line["quantity"]} for line in sale["lines"]],
            "refunds": [{"method": "cash", "amount": sale["total"]}], **extra}


def _approval(api: Api, headers: dict[str, str], acts: list[str]) -> str:
    return str(api.ok(api.client.post("/api/v1/staff/approvals", headers=headers, json={
        "name": "Max", "pin": "987654", "acts": acts}), 201)["approval"])


def test_a_void_takes_the_whole_sale_back_with_a_managers_approval(
        api: Api, till: dict[str, str]) -> None:
    sale = _sell(api, till, "sale-1")
    path = f"/api/v1/sales/{sale['id']}/returns"
    partial = _void_body(sale, approval=_approval(api, till, ["void"]))
    partial["lines"] = partial["lines"][:1]
    partial["refunds"] = [{"method": "cash", "amount": sale["lines"][0]["total"]}]
    elsewhere = api.session("R2", name="Bo")
    before = row_counts(engine_of(api.ctx.store))
    refused = api.client.post(path, headers=till, json=_void_body(sale))
    assert refused.json()["error"]["code"] == "approval_required"
    assert api.client.post(path, headers=till, json=partial).status_code == 409
    moved = api.client.post(path, headers=elsewhere, json={**_void_body(sale), "register": "R2"})
    assert moved.status_code == 409
    assert moved.json()["error"]["details"]["field"] == "reason"
    assert row_counts(engine_of(api.ctx.store)) == before

    voided = api.ok(api.client.post(path, headers=till, json=_void_body(
        sale, approval=_approval(api, till, ["void"]))), 201)
    assert (voided["reason"], voided["total"]) == ("void", sale["total"])
    [entry] = [e for e in api.ok(api.get("/audit", limit=500))["items"]
               if e["act"] == "sale.voided"]
    assert (entry["actor"], entry["data"]["approved_by"]) == ("Ana", "Max")
    again = api.client.post(path, headers=till, json=_void_body(
        sale, approval=_approval(api, till, ["void"])))
    assert again.status_code == 422  # nothing is left to take back


def test_a_parked_sale_is_resumed_once_at_its_own_register(api: Api,
                                                           till: dict[str, str]) -> None:
    cart = {"lines": [{"sku": "TEA", "quantity": 3, "discount": "0.50"}], "discount": "1.00"}
    parked = api.ok(api.client.post("/api/v1/registers/R1/parked-sales", headers=till,
                                    json={"label": "lady in red", "cart": cart}), 201)
    assert (parked["register"], parked["parked_by"], parked["label"]) == ("R1", "Ana",
                                                                          "lady in red")
    listed = api.ok(api.client.get("/api/v1/registers/R1/parked-sales", headers=till))
    assert [p["id"] for p in listed["items"]] == [parked["id"]]
    other = api.session("R2", name="Bo")
    assert api.client.get("/api/v1/registers/R1/parked-sales",
                          headers=other).status_code == 403
    assert api.ok(api.client.get("/api/v1/registers/R2/parked-sales", headers=other)) == {
        "items": []}

    before = row_counts(engine_of(api.ctx.store))
    bad: list[dict[str, Any]] = [{"cart": {"lines": []}},
                                 {"cart": {"lines": [{"sku": "NOPE", "quantity": 1}]}},
                                 {"cart": {"lines": [{"sku": "TEA", "quantity": "-1"}]}}]
    for body in bad:
        refused = api.client.post("/api/v1/registers/R1/parked-sales", headers=till, json=body)
        assert refused.status_code == 422, refused.text
    assert row_counts(engine_of(api.ctx.store)) == before

    # Two taps on "resume" at once: one gets the sale, the other is told it is gone.
    answers: list[int] = []
    barrier = threading.Barrier(4)

    def resume() -> None:
        barrier.wait()
        answers.append(api.client.delete(
            f"/api/v1/registers/R1/parked-sales/{parked['id']}", headers=till).status_code)

    threads = [threading.Thread(target=resume) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [200, 404, 404, 404]
    assert api.ok(api.client.get("/api/v1/registers/R1/parked-sales",
                                 headers=till))["items"] == []


def test_a_manager_sets_the_registers_favourites(api: Api, till: dict[str, str]) -> None:
    manager = api.session("R1", name="Max", role="manager", pin="987654")
    path = "/api/v1/registers/R1/favourites"
    assert api.client.put(path, headers=till, json={"skus": ["TEA"]}).status_code == 403
    for skus in (["TEA", "TEA"], ["NOPE"]):
        assert api.client.put(path, headers=manager, json={"skus": skus}).status_code == 422
    set_ = api.ok(api.client.put(path, headers=manager, json={"skus": ["MUG", "TEA"]}))
    assert set_["skus"] == ["MUG", "TEA"]
    assert api.ok(api.client.get(path, headers=till))["skus"] == ["MUG", "TEA"]


def test_a_receipt_asked_for_by_email_is_mailed_once(api: Api, till: dict[str, str],
                                                     tmp_path: Path) -> None:
    sale = _sell(api, till, "sale-mail")
    path = f"/api/v1/receipts/{sale['number']}/emails"
    before = row_counts(engine_of(api.ctx.store))
    for email in ("nope", "a@b", "jo@example.com 4111111111111111"):
        assert api.client.post(path, headers=till, json={"email": email}).status_code == 422
    assert api.client.post("/api/v1/receipts/R1-999999/emails", headers=till,
                           json={"email": "jo@example.com"}).status_code == 404
    assert row_counts(engine_of(api.ctx.store)) == before
    asked = api.ok(api.client.post(path, headers=till, json={"email": "jo@example.com"}), 202)
    assert (asked["recipient"], asked["status"]) == ("jo@example.com", "pending")
    api.ok(api.client.post(path, headers=till, json={"email": "JO@example.com"}), 202)
    assert api.client.post(path, headers=till,
                           json={"email": "al@example.com"}).status_code == 409
    with MailServer(tmp_path) as server:
        settings = MailSettings(host=HOST, port=server.port, sender="receipts@shop.example",
                                username="till", password="s3cret pass",
                                ca_file=str(server.cert_file), timeout=3)
        job = ReceiptMailRetries(ctx=api.ctx, sender=ReceiptSender(settings=settings))
        assert job.run_once() == 1
        assert job.run_once() == 0
    assert server.mailbox.recipients == [["jo@example.com"]]
    assert sale["number"] in server.mailbox.messages[0]["Subject"]
