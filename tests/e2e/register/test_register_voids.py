"""At the register in Chromium, a cashier voids a sale paid on the card terminal whose
refund is above the connection's refund limit: one manager's PIN approves the void and
its card refund together, and the card is refunded once. A return whose answer is lost
is sent again with its Idempotency-Key and answers the return it made."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from support.register_store import (
    AGENT_TOKEN,
    CASHIER,
    CASHIER_PIN,
    MANAGER,
    MANAGER_PIN,
    Store,
    adyen_terminal,
)
from support.register_ui import (
    manager_approves,
    pair_and_sign_in,
    pay_exact_cash,
    ready_to_sell,
    scan,
)
from tillflow.demo import demo_barcode
from tillflow_simulators.adyen.runner import RunningAdyenSimulator


@pytest.fixture(scope="module")
def terminal(store: Store) -> Iterator[RunningAdyenSimulator]:
    with adyen_terminal(store, settings={"refund_approval_above": "1.00"}) as running:
        yield running


def _data(store: Store, path: str, key: str, kind: str, field: str) -> list[dict[str, Any]]:
    items = store.admin.get(path, params={"limit": 500}).json()[key]
    return [item["data"] for item in items if item[field] == kind]


def test_one_pin_voids_a_card_sale_above_the_refund_limit(
        page: Page, store: Store, terminal: RunningAdyenSimulator, shots: Path) -> None:
    pair_and_sign_in(page, url=store.url, pairing=store.pairing, name=CASHIER, pin=CASHIER_PIN,
                     agent_url=store.agent_url, agent_token=AGENT_TOKEN)
    ready_to_sell(page)
    scan(page, demo_barcode(5))
    expect(page.locator("#cart tbody tr")).to_have_count(1)
    page.keyboard.press("F9")
    page.click("#add-card")
    expect(page.locator("#done")).to_be_visible()
    number = page.inner_text("#done-number")
    sale = store.admin.get("/sales", params={"number": number}).json()["items"][0]
    page.keyboard.press("Enter")

    page.keyboard.press("F10")
    page.fill("#return-number", number)
    page.keyboard.press("Enter")
    page.click("#void-sale")
    expect(page.locator("#dialog-title")).to_have_text("Manager approval")
    expect(page.locator("#dialog-text")).to_contain_text("void, refund")
    page.screenshot(path=shots / "void-approval.png")
    manager_approves(page, name=MANAGER, pin=MANAGER_PIN)
    expect(page.locator("#return-result")).to_contain_text(f"Sale {number} voided")
    expect(page.locator("#return-result")).to_contain_text(f"card {sale['total']}")
    page.screenshot(path=shots / "voided.png")

    [voided] = store.admin.get(f"/sales/{sale['id']}/returns").json()["items"]
    assert voided["reason"] == "void"
    assert [(p["method"], p["amount"]) for p in voided["refunds"]] == [("card", sale["total"])]
    refunds = [t for t in terminal.simulator.transactions() if t.category != "Payment"]
    assert len(refunds) == 1
    [audited] = _data(store, "/audit", "items", "sale.voided", "act")
    assert audited["approved_by"] == MANAGER
    refunded = [e for e in _events(store)
                if e["type"].startswith("payment.") and e["data"].get("refund_id")]
    assert [e["data"]["approved_by"] for e in refunded] == [MANAGER]



def test_a_return_whose_answer_was_lost_is_recorded_once(
        page: Page, store: Store, terminal: RunningAdyenSimulator, shots: Path) -> None:
    pair_and_sign_in(page, url=store.url, pairing=store.pairing, name=CASHIER, pin=CASHIER_PIN,
                     agent_url=store.agent_url, agent_token=AGENT_TOKEN)
    ready_to_sell(page)
    scan(page, demo_barcode(7))
    scan(page, demo_barcode(7))
    expect(page.locator("#cart tbody tr")).to_contain_text("2")
    pay_exact_cash(page)
    number = page.inner_text("#done-number")
    sale = store.admin.get("/sales", params={"number": number}).json()["items"][0]
    page.keyboard.press("Enter")
    sent: list[str | None] = []

    def lose_the_answer(route: Route) -> None:
        # The server records the return; its answer never reaches the register.
        sent.append(route.request.headers.get("idempotency-key"))
        route.fetch()
        route.abort("connectionreset")

    page.route("**/api/v1/sales/*/returns", lose_the_answer)
    page.keyboard.press("F10")
    page.fill("#return-number", number)
    page.keyboard.press("Enter")
    page.locator(".return-qty").first.fill("1")
    page.click("#do-return")
    expect(page.locator("#return-error")).not_to_be_empty()
    page.unroute("**/api/v1/sales/*/returns")
    def answer(route: Route) -> None:
        sent.append(route.request.headers.get("idempotency-key"))
        route.continue_()

    page.route("**/api/v1/sales/*/returns", answer)
    page.click("#do-return")
    expect(page.locator("#return-result")).to_contain_text("Return ")
    page.screenshot(path=shots / "return-after-lost-answer.png")

    [returned] = store.admin.get(f"/sales/{sale['id']}/returns").json()["items"]
    assert returned["number"] in page.inner_text("#return-result")
    assert len(sent) == 2
    assert sent[0] is not None
    assert sent[0] == sent[1]
    expect(page.locator("#return-lines tbody tr").first).to_contain_text("1 of 2")


def _events(store: Store) -> list[dict[str, Any]]:
    """The whole events feed, page by page (the demo's catalog alone fills pages)."""
    found: list[dict[str, Any]] = []
    after = 0
    while True:
        page = store.admin.get("/events", params={"after": after, "limit": 500}).json()
        found.extend(page["events"])
        if not page["events"]:
            return found
        after = page["next_after"]
