"""A cashier's day in Chromium: sign in, open the shift, scan (one item weighed), discount
with a manager's PIN, split cash and card, a printed receipt, a return, the Z report."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import Page, expect

from support.register_store import AGENT_TOKEN, CASHIER, CASHIER_PIN, MANAGER, MANAGER_PIN, Store
from support.register_ui import pair_and_sign_in, scan
from tillflow.demo import demo_barcode


def test_a_full_shift_at_the_register(page: Page, store: Store, shots: Path) -> None:
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
    page.fill("#dialog-name", MANAGER)
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

    page.keyboard.press("F9")
    page.fill("#card-amount", "10.00")
    page.fill("#card-reference", "AUTH-0001")
    page.click("#add-card")
    page.locator("#quick-cash button").nth(1).click()
    page.screenshot(path=shots / "3-payment.png")
    page.click("#complete-sale")
    expect(page.locator("#done")).to_be_visible()
    number = page.inner_text("#done-number")
    assert re.fullmatch(r"R9-\d+", number)
    page.screenshot(path=shots / "4-done.png")

    sale = store.admin.get("/sales", params={"number": number}).json()["items"][0]
    assert Decimal(sale["total"]) == total
    assert Decimal(sale["discount_total"]) > 0
    assert [(p["method"], p["reference"]) for p in sale["payments"]] == [
        ("card", "AUTH-0001"), ("cash", None)]
    assert Decimal(page.inner_text("#done-change")) == Decimal(sale["change_due"]) > 0
    assert Decimal(sale["lines"][2]["quantity"]) == Decimal("0.750")
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
    page.screenshot(path=shots / "5-return.png")
    returns = store.admin.get(f"/sales/{sale['id']}/returns").json()["items"]
    assert len(returns) == 1
    assert returns[0]["refunds"][0]["reference"] == "AUTH-0001"
    assert len(store.printer.wait_for_receipts(3)) == 3

    # Close with a cash count: the Z report shows over/short and is printed.
    page.keyboard.press("Escape")
    page.click("#close-shift-button")
    page.fill("#counted-cash", "150.00")
    page.click("#close-shift")
    z_report = page.locator("#z-report")
    expect(z_report).to_contain_text("Over / short")
    page.screenshot(path=shots / "6-z-report.png")
    shift_id = sale["shift_id"]
    report = store.admin.get(f"/shifts/{shift_id}/report").json()
    assert report["counted_cash"] == "150.00"
    expect(z_report).to_contain_text(report["over_short"])
    z_printed = store.printer.wait_for_receipts(4)[3]
    assert "150.00" in z_printed.text
