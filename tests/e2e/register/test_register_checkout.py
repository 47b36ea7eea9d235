"""A cashier's day in Chromium: sign in, open the shift, scan (one item weighed), discount
with a manager's PIN, split cash and a card on the register's Adyen terminal (cancelled,
declined, then approved with its answer lost and resolved), a printed receipt, a return,
the Z report."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from support.register_store import (
    AGENT_TOKEN,
    CASHIER,
    CASHIER_PIN,
    MANAGER,
    MANAGER_PIN,
    TERMINAL,
    Store,
    adyen_terminal,
)
from support.register_ui import pair_and_sign_in, scan
from tillflow.demo import demo_barcode
from tillflow_simulators.adyen.records import TransactionState
from tillflow_simulators.adyen.runner import RunningAdyenSimulator


@pytest.fixture(scope="module")
def terminal(store: Store) -> Iterator[RunningAdyenSimulator]:
    with adyen_terminal(store) as running:
        yield running


def _approved(terminal: RunningAdyenSimulator) -> list[Decimal]:
    return [t.amount for t in terminal.simulator.transactions()
            if t.category == "Payment" and t.state is TransactionState.APPROVED]


def test_a_full_shift_at_the_register(page: Page, store: Store, terminal: RunningAdyenSimulator,
                                      shots: Path) -> None:
    pair_and_sign_in(page, url=store.url, pairing=store.pairing, name=CASHIER, pin=CASHIER_PIN,
                     agent_url=store.agent_url, agent_token=AGENT_TOKEN)
    page.fill("#opening-float", "100.00")
    page.screenshot(path=shots / "1-open-shift.png")
    page.click("#open-shift-button")
    expect(page.locator("#sell")).to_be_visible()

    for code in (demo_barcode(1), demo_barcode(2), store.weighed_barcode):
        scan(page, code)
    rows = page.locator("#cart tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(2)).to_contain_text("0.750")
    expect(page.locator("#search")).to_have_value("")

    # A cashier's discount needs a manager's PIN.
    page.keyboard.press("F6")
    page.fill("#dialog-discount", "10%")
    page.click("#dialog-ok")
    page.select_option("#dialog-name", MANAGER)
    page.fill("#dialog-pin", "0000")
    page.click("#dialog-ok")
    expect(page.locator("#dialog-error")).to_contain_text("wrong PIN")
    page.fill("#dialog-pin", MANAGER_PIN)
    page.click("#dialog-ok")
    expect(page.locator("#t-discount")).not_to_have_text("0.00")
    total = Decimal(page.inner_text("#t-total"))
    page.keyboard.press("F8")
    page.fill("#dialog-contact", "jo@example.com")
    page.click("#dialog-ok")
    expect(page.locator("#dialog-error")).to_contain_text("type a name")
    page.fill("#dialog-name", "Jo Doe")
    page.click("#dialog-ok")
    expect(page.locator("#customer")).to_have_text("Customer: Jo Doe")
    page.screenshot(path=shots / "2-cart.png")

    # Cash first, then the rest on the terminal: the card button starts it at once.
    page.keyboard.press("F9")
    expect(page.locator("#card-mode")).to_have_text(f"on terminal {TERMINAL}")
    expect(page.locator("#card-reference-label")).to_be_hidden()
    page.fill("#cash-amount", "20.00")
    page.click("#add-cash")
    card_amount = total - Decimal("20.00")
    state = page.locator("#terminal")

    terminal.simulator.add_terminal(TERMINAL, behaviour="approve", delay=30)
    page.click("#add-card")
    expect(page.locator("#terminal-message")).to_contain_text(
        f"Waiting for the card on terminal {TERMINAL}: {card_amount}")
    expect(page.locator("#complete-sale")).to_be_disabled()
    page.screenshot(path=shots / "3-terminal-waiting.png")
    page.click("#terminal-cancel")
    expect(state).to_have_attribute("data-state", "cancelled")

    terminal.simulator.add_terminal(TERMINAL, behaviour="decline", delay=0)
    page.click("#add-card")
    expect(state).to_have_attribute("data-state", "declined")
    expect(page.locator("#terminal-message")).to_contain_text("declined")
    page.screenshot(path=shots / "4-terminal-declined.png")
    assert _approved(terminal) == []

    # Approved, but the answer is lost: the register asks the server, which asks the
    # terminal; the card is charged once.
    terminal.simulator.add_terminal(TERMINAL, behaviour="lose_response")
    page.keyboard.press("F3")
    expect(state).to_have_attribute("data-state", "unknown")
    expect(page.locator("#terminal-message")).to_contain_text("Do NOT take the card again")
    expect(page.locator("#pay-back")).to_be_disabled()
    page.screenshot(path=shots / "5-terminal-unknown.png")
    # Even a reload comes back to the sale whose card outcome is unknown.
    page.reload()
    expect(state).to_have_attribute("data-state", "unknown")
    expect(page.locator("#tenders li")).to_have_count(2)
    page.click("#terminal-check")
    expect(page.locator("#done")).to_be_visible()
    number = page.inner_text("#done-number")
    assert re.fullmatch(r"R9-\d+", number)
    page.screenshot(path=shots / "6-done.png")

    sale = store.admin.get("/sales", params={"number": number}).json()["items"][0]
    assert Decimal(sale["total"]) == total
    assert Decimal(sale["discount_total"]) > 0
    assert [p["method"] for p in sale["payments"]] == ["cash", "card"]
    assert sale["payments"][1]["reference"].startswith(f"{TERMINAL}/")
    assert _approved(terminal) == [card_amount]
    assert Decimal(page.inner_text("#done-change")) == Decimal(sale["change_due"]) == 0
    assert Decimal(sale["lines"][2]["quantity"]) == Decimal("0.750")
    # The customer wants their receipt printed.
    page.keyboard.press("p")
    receipt = store.printer.wait_for_receipts(1)[0]
    assert number in receipt.text
    assert store.printer.drawer_kicks, "a cash sale opens the drawer"
    customer = store.admin.get("/customers", params={"email": "jo@example.com"}).json()
    assert sale["customer"] == customer["items"][0]["id"]

    page.keyboard.press("Enter")
    page.click("#reprint-button")
    reprint = store.printer.wait_for_receipts(2)[1]
    assert number in reprint.text
    assert "REPRINT" in reprint.text

    # Return one unit of the first line, to the original tenders.
    page.keyboard.press("F10")
    page.fill("#return-number", number)
    page.keyboard.press("Enter")
    page.locator("#return-lines .return-qty").first.fill("1")
    page.click("#do-return")
    expect(page.locator("#return-result")).to_contain_text("refunded card")
    page.screenshot(path=shots / "7-return.png")
    returns = store.admin.get(f"/sales/{sale['id']}/returns").json()["items"]
    assert len(returns) == 1
    assert returns[0]["refunds"][0]["method"] == "card"
    # The card is refunded through the terminal's gateway, not just written down.
    [reversal] = [t for t in terminal.simulator.transactions() if t.category == "Reversal"]
    assert reversal.amount == Decimal(returns[0]["refunds"][0]["amount"])
    assert len(store.printer.wait_for_receipts(3)) == 3

    # Close with a cash count: the Z report shows over/short and is printed.
    page.keyboard.press("Escape")
    page.click("#close-shift-button")
    page.fill("#counted-cash", "150.00")
    page.click("#close-shift")
    # Not what the drawer should hold: the register says so before closing.
    expect(page.locator("#close-warning")).to_be_visible()
    page.click("#close-anyway")
    z_report = page.locator("#z-report")
    expect(z_report).to_contain_text("Over/short")
    page.screenshot(path=shots / "8-z-report.png")
    shift_id = sale["shift_id"]
    report = store.admin.get(f"/shifts/{shift_id}/report").json()
    assert report["counted_cash"] == "150.00"
    expect(z_report).to_contain_text(report["over_short"])
    z_printed = store.printer.wait_for_receipts(4)[3]
    assert "150.00" in z_printed.text
