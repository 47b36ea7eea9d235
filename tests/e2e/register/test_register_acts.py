"""At the register in Chromium, the acts besides selling, each through the server: cash in
and out with the drawer, the X report, stock here and elsewhere, a sale parked and
resumed, favourite product buttons, a void with a manager's PIN, and the receipt the
customer chooses (printed, a gift receipt, by email, or none)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from support.register_store import (
    AGENT_TOKEN,
    CASHIER,
    CASHIER_PIN,
    MANAGER,
    MANAGER_PIN,
    REGISTER,
    Store,
)
from support.register_ui import (
    manager_approves,
    pair_and_sign_in,
    pay_exact_cash,
    ready_to_sell,
    scan,
)
from support.waiting import wait_until
from tillflow.demo import demo_barcode


def _signed_in(page: Page, store: Store, *, name: str = CASHIER, pin: str = CASHIER_PIN,
               shots: Path | None = None) -> None:
    pair_and_sign_in(page, url=store.url, pairing=store.pairing, name=name, pin=pin,
                     agent_url=store.agent_url, agent_token=AGENT_TOKEN, shots=shots)
    ready_to_sell(page)


def _audit(store: Store, act: str) -> list[dict[str, Any]]:
    items = store.admin.get("/audit", params={"limit": 500}).json()["items"]
    return [item for item in items if item["act"] == act]


def _shift(store: Store) -> str:
    return str(store.admin.get(f"/registers/{REGISTER}").json()["open_shift"])


def test_cash_in_and_out_the_x_report_and_stock_elsewhere(page: Page, store: Store,
                                                          shots: Path) -> None:
    _signed_in(page, store)
    shift = _shift(store)
    before = store.admin.get(f"/shifts/{shift}/report").json()
    kicks = len(store.printer.drawer_kicks)
    page.click("#cash-button")
    page.select_option("#dialog-direction", "out")
    page.fill("#dialog-amount", "40.00")
    page.click("#dialog-ok")
    expect(page.locator("#dialog-error")).to_contain_text("Say why")
    page.fill("#dialog-reason", "to the safe")
    page.screenshot(path=shots / "cash-out.png")
    page.click("#dialog-ok")
    expect(page.locator("#sell-status")).to_contain_text("Cash out: 40.00 (to the safe)")
    wait_until(lambda: len(store.printer.drawer_kicks) > kicks, timeout=10,
               message="the drawer did not open for the cash taken out")
    page.click("#cash-button")
    page.select_option("#dialog-direction", "in")
    page.fill("#dialog-amount", "15.50")
    page.fill("#dialog-reason", "change from the bank")
    page.click("#dialog-ok")
    expect(page.locator("#sell-status")).to_contain_text("Cash in: 15.50")
    after = store.admin.get(f"/shifts/{shift}/report").json()
    assert Decimal(after["cash_out"]) - Decimal(before["cash_out"]) == Decimal("40.00")
    assert Decimal(after["cash_in"]) - Decimal(before["cash_in"]) == Decimal("15.50")
    assert [m["data"]["reason"] for m in _audit(store, "cash.moved")][-2:] == [
        "to the safe", "change from the bank"]

    # The X report: the Z report's figures so far, the shift left open, printed on demand.
    printed = len(store.printer.wait_for_receipts(0))
    page.click("#x-report-button")
    report = page.locator("#x-report")
    expect(report).to_contain_text("Expected cash")
    expect(report.locator("tr", has_text="Cash out").locator("td.num")).to_have_text(
        after["cash_out"])
    page.screenshot(path=shots / "x-report.png")
    page.click("#x-print")
    x_printed = store.printer.wait_for_receipts(printed + 1)[-1]
    assert "X (shift open)" in x_printed.text
    assert store.admin.get(f"/shifts/{shift}").json()["closed_at"] is None
    page.keyboard.press("Escape")

    # Stock of the selected line here and at the other locations.
    scan(page, demo_barcode(61))
    page.click("#stock-button")
    levels = store.admin.get("/inventory/SKU-00061").json()["levels"]
    text = page.locator("#dialog-text")
    for level in levels:
        expect(text).to_contain_text(f"{level['location']}")
    expect(text).to_contain_text("S1 (here)")
    page.screenshot(path=shots / "stock-lookup.png")
    page.keyboard.press("Escape")


def test_a_parked_sale_is_resumed_and_favourites_are_buttons(page: Page, store: Store,
                                                             shots: Path) -> None:
    _signed_in(page, store, name=MANAGER, pin=MANAGER_PIN)
    # A manager makes the selected line's product a button of this register.
    scan(page, demo_barcode(71))
    page.click("#favourite-button")
    tile = page.locator("#favourites .tile[data-sku='SKU-00071']")
    expect(tile).to_be_visible()
    assert store.admin.get(f"/registers/{REGISTER}/favourites").json()["skus"] == ["SKU-00071"]
    tile.click()
    expect(page.locator("#cart tbody tr").first).to_contain_text("2")
    scan(page, demo_barcode(72))
    page.keyboard.press("F6")
    page.fill("#dialog-discount", "1.00")
    page.click("#dialog-ok")
    total = page.inner_text("#t-total")
    page.screenshot(path=shots / "favourites.png")
    page.keyboard.press("F8")
    page.fill("#dialog-contact", "umbrella@example.com")
    page.fill("#dialog-name", "Umbrella Man")
    page.click("#dialog-ok")
    expect(page.locator("#customer")).to_have_text("Customer: Umbrella Man")

    page.click("#park-button")
    page.fill("#dialog-label", "man with the umbrella")
    page.click("#dialog-ok")
    expect(page.locator("#cart tbody tr")).to_have_count(0)
    expect(page.locator("#parked-button")).to_have_text("Parked sales (1)")
    scan(page, demo_barcode(73))
    pay_exact_cash(page)
    page.keyboard.press("Enter")

    page.click("#parked-button")
    entry = page.locator("#parked-list li")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("man with the umbrella")
    page.screenshot(path=shots / "parked-sales.png")
    entry.locator("button.resume").click()
    expect(page.locator("#sell")).to_be_visible()
    expect(page.locator("#t-total")).to_have_text(total)
    expect(page.locator("#cart tbody tr.order-discount")).to_contain_text("-1.00")
    expect(page.locator("#customer")).to_have_text("Customer: Umbrella Man")
    pay_exact_cash(page)
    number = page.inner_text("#done-number")
    sale = store.admin.get("/sales", params={"number": number}).json()["items"][0]
    assert sale["total"] == total
    assert [a["data"]["label"] for a in _audit(store, "sale.resumed")] == [
        "man with the umbrella"]
    assert store.admin.get(f"/registers/{REGISTER}/parked-sales").json()["items"] == []
    page.keyboard.press("Enter")
    store.admin.put(f"/registers/{REGISTER}/favourites", json={"skus": []}).raise_for_status()


def test_the_customer_chooses_the_receipt_and_a_void_needs_a_manager(page: Page, store: Store,
                                                                    shots: Path) -> None:
    _signed_in(page, store, shots=shots)
    printed = len(store.printer.wait_for_receipts(0))
    scan(page, demo_barcode(81))
    scan(page, demo_barcode(82))
    page.screenshot(path=shots / "sell.png")
    page.keyboard.press("F9")
    page.screenshot(path=shots / "pay.png")
    page.keyboard.press("Escape")
    pay_exact_cash(page)
    page.screenshot(path=shots / "receipt-choice.png")
    number = page.inner_text("#done-number")
    sale = store.admin.get("/sales", params={"number": number}).json()["items"][0]
    page.click("#gift-receipt")
    gift = store.printer.wait_for_receipts(printed + 1)[-1]
    assert "GIFT RECEIPT" in gift.text
    assert sale["lines"][0]["unit_price"] not in gift.text
    assert sale["total"] not in gift.text
    page.click("#email-receipt")
    page.fill("#dialog-email", "not an address")
    page.click("#dialog-ok")
    expect(page.locator("#dialog-error")).to_contain_text("email address")
    page.fill("#dialog-email", "jo@example.com")
    page.click("#dialog-ok")
    expect(page.locator("#done-print-status")).to_contain_text("goes to jo@example.com")
    [emailed] = _audit(store, "receipt.emailed")
    assert emailed["data"]["number"] == number
    page.keyboard.press("Enter")
    assert len(store.printer.wait_for_receipts(0)) == printed + 1, "no other receipt printed"

    # The customer changes their mind at once: the whole sale is voided.
    page.keyboard.press("F10")
    page.fill("#return-number", number)
    page.keyboard.press("Enter")
    page.click("#void-sale")
    expect(page.locator("#dialog-title")).to_have_text("Manager approval")
    expect(page.locator("#dialog-text")).to_contain_text("void")
    manager_approves(page, name=MANAGER, pin=MANAGER_PIN)
    expect(page.locator("#return-result")).to_contain_text(f"Sale {number} voided")
    expect(page.locator("#void-sale")).to_be_hidden()
    page.screenshot(path=shots / "void.png")
    [voided] = store.admin.get(f"/sales/{sale['id']}/returns").json()["items"]
    assert (voided["reason"], voided["total"]) == ("void", sale["total"])
    [entry] = _audit(store, "sale.voided")
    assert (entry["actor"], entry["data"]["approved_by"]) == (CASHIER, MANAGER)
