"""At the register in Chromium, what a cashier found wrong: the receipt's QR code at the
return screen, receipts without the store, lines that did not add up, the Z report's tax,
an unwarned cash difference, errors that stayed, a return's confirmation out of sight and
its quantities stale, an invisible order discount, the manager typed as free text and
asked for again at every discount."""

from __future__ import annotations

import base64
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from support.register_store import (
    AGENT_TOKEN,
    CASHIER,
    CASHIER_PIN,
    MANAGER,
    MANAGER_PIN,
    Store,
)
from support.register_ui import (
    manager_approves,
    pair_and_sign_in,
    pay_exact_cash,
    ready_to_sell,
    scan,
)
from tillflow.demo import demo_barcode

STORE_NAME = "Corner Tea House"
ADDRESS = "1 Main St, Springfield"
TAX_ID = "GB123456789"


def _logo() -> str:
    picture = Image.new("RGB", (160, 48), "white")
    picture.paste((0, 0, 0), (8, 8, 152, 40))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return base64.b64encode(out.getvalue()).decode()


@pytest.fixture(scope="module", autouse=True)
def receipt_settings(store: Store) -> None:
    store.admin.patch("/settings/store", json={
        "name": STORE_NAME, "address": ADDRESS, "tax_id": TAX_ID}).raise_for_status()
    store.admin.put("/settings/receipt", json={
        "footer": "Thank you for visiting", "logo": _logo()}).raise_for_status()


def _signed_in(page: Page, store: Store, *, agent: bool = True, name: str = CASHIER,
               pin: str = CASHIER_PIN) -> None:
    pair_and_sign_in(page, url=store.url, pairing=store.pairing, name=name, pin=pin,
                     agent_url=store.agent_url if agent else None,
                     agent_token=AGENT_TOKEN if agent else None)
    ready_to_sell(page)


def _sale(store: Store, page: Page) -> dict[str, Any]:
    number = page.inner_text("#done-number")
    found: dict[str, Any] = store.admin.get("/sales", params={"number": number}).json()[
        "items"][0]
    return found


def _sell(page: Page, store: Store, *codes: str) -> dict[str, Any]:
    for code in codes:
        scan(page, code)
    pay_exact_cash(page)
    sale = _sale(store, page)
    page.keyboard.press("Enter")
    return sale


def test_the_receipts_qr_code_finds_its_sale_and_the_return_shows_what_is_left(
        page: Page, store: Store, shots: Path) -> None:
    _signed_in(page, store)
    sale = _sell(page, store, demo_barcode(11), demo_barcode(11), demo_barcode(11),
                 demo_barcode(12), demo_barcode(13), demo_barcode(14))
    page.keyboard.press("F10")
    # The receipt's QR code holds the sale's id; a scanner types it.
    scan(page, sale["id"])
    rows = page.locator("#return-lines tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("3 of 3")
    rows.first.locator(".return-qty").fill("1")
    page.click("#do-return")
    result = page.locator("#return-result")
    expect(result).to_contain_text("refunded cash")
    # Seen at 1024x768 without scrolling, and the line says what is left to return.
    expect(result).to_be_in_viewport()
    expect(rows.first).to_contain_text("2 of 3")
    page.screenshot(path=shots / "return-done.png")


def test_receipts_print_the_store_and_lines_that_add_up(page: Page, store: Store,
                                                        shots: Path) -> None:
    _signed_in(page, store)
    printed = len(store.printer.wait_for_receipts(0))
    scan(page, demo_barcode(21))
    scan(page, demo_barcode(21))
    scan(page, demo_barcode(22))
    pay_exact_cash(page)
    sale = _sale(store, page)
    page.click("#print-receipt")
    receipt = store.printer.wait_for_receipts(printed + 1)[-1]
    for text in (STORE_NAME, "1 Main St", "Springfield", f"Tax ID {TAX_ID}",
                 "Thank you for visiting", sale["number"]):
        assert text in receipt.text
    assert any(type(e).__name__ == "Image" for e in receipt.elements), "the logo"


def test_the_browser_prints_the_same_receipt_with_decimals(page: Page, store: Store,
                                                           shots: Path) -> None:
    _signed_in(page, store, agent=False, name=MANAGER, pin=MANAGER_PIN)
    page.evaluate("window.print = () => {}")
    scan(page, demo_barcode(31))
    scan(page, demo_barcode(31))
    page.keyboard.press("F7")
    page.fill("#dialog-discount", "0.10")
    page.click("#dialog-ok")
    scan(page, demo_barcode(32))
    pay_exact_cash(page)
    page.click("#print-receipt")
    area = page.locator("#print-area")
    expect(area).to_contain_text(STORE_NAME)
    expect(area).to_contain_text(f"Tax ID {TAX_ID}")
    expect(area.locator("img.logo")).to_have_count(1)
    amounts = [Decimal(t) for t in area.locator(".line-total").all_inner_texts()]
    discounts = [Decimal(t) for t in area.locator(".line-discount").all_inner_texts()]
    subtotal = Decimal(area.locator(".subtotal").inner_text())
    assert sum(amounts) == subtotal
    assert discounts == [Decimal("-0.10")]
    change = area.locator(".change").inner_text()
    assert re.fullmatch(r"\d+\.\d\d", change), change
    page.emulate_media(media="print")
    page.screenshot(path=shots / "browser-receipt.png", full_page=True)
    page.emulate_media(media="screen")
    number = page.inner_text("#done-number")
    page.keyboard.press("Enter")

    # A return's receipt: amounts with their decimals, never a bare "0".
    page.keyboard.press("F10")
    page.fill("#return-number", number)
    page.keyboard.press("Enter")
    page.locator("#return-lines .return-qty").first.fill("1")
    page.click("#do-return")
    expect(page.locator("#return-result")).to_contain_text("refunded")
    expect(area).to_contain_text("RETURN")
    for text in area.locator(".amount").all_inner_texts():
        assert re.fullmatch(r"[-+]?\d+\.\d\d( [A-Z]{3})?", text), text


def test_errors_leave_when_their_cause_is_fixed(page: Page, store: Store) -> None:
    _signed_in(page, store)
    page.click("#close-shift-button")
    page.click("#close-shift")
    expect(page.locator("#close-error")).to_contain_text("Type the cash counted")
    page.fill("#counted-cash", "10")
    expect(page.locator("#close-error")).to_have_text("")
    page.keyboard.press("Escape")
    scan(page, "99999999999994")
    expect(page.locator("#sell-error")).to_contain_text("Barcode 99999999999994")
    page.fill("#search", "x")
    expect(page.locator("#sell-error")).to_have_text("")
    page.keyboard.press("F10")
    page.fill("#return-number", "R9-999999")
    page.keyboard.press("Enter")
    expect(page.locator("#return-error")).to_contain_text("No sale")
    page.fill("#return-number", "R9-")
    expect(page.locator("#return-error")).to_have_text("")


def test_one_managers_approval_chosen_from_a_list_covers_the_sale_and_the_order_discount_shows(
        page: Page, store: Store, shots: Path) -> None:
    _signed_in(page, store)
    granted = len(_approvals(store))
    scan(page, demo_barcode(41))
    scan(page, demo_barcode(42))
    page.keyboard.press("F7")
    page.fill("#dialog-discount", "0.50")
    page.click("#dialog-ok")
    expect(page.locator("#dialog-title")).to_have_text("Manager approval")
    # Managers (and admins) of the register's staff, to choose from; never typed.
    options = page.locator("#dialog-name option").all_inner_texts()
    assert options == [MANAGER]
    page.screenshot(path=shots / "manager-list.png")
    manager_approves(page)
    expect(page.locator("#dialog")).not_to_be_visible()
    # Another discount, a price and an order discount: no PIN asked again.
    page.locator("#cart tbody tr").nth(1).click()
    page.keyboard.press("F7")
    page.fill("#dialog-discount", "10%")
    page.click("#dialog-ok")
    page.keyboard.press("F6")
    page.fill("#dialog-discount", "1.00")
    page.click("#dialog-ok")
    expect(page.locator("#dialog")).not_to_be_visible()
    order = page.locator("#cart tbody tr.order-discount")
    expect(order).to_contain_text("Order discount")
    expect(order).to_contain_text("-1.00")
    page.screenshot(path=shots / "order-discount.png")
    order.locator("button").click()
    expect(order).to_have_count(0)
    page.keyboard.press("F6")
    page.fill("#dialog-discount", "0.75")
    page.click("#dialog-ok")
    expect(page.locator("#dialog")).not_to_be_visible()
    pay_exact_cash(page)
    sale = _sale(store, page)
    assert Decimal(sale["discount_total"]) > Decimal("1.25")
    assert len(_approvals(store)) == granted + 1


def _approvals(store: Store) -> list[dict[str, Any]]:
    items = store.admin.get("/audit", params={"limit": 500}).json()["items"]
    return [item for item in items if item["act"] == "approval.granted"]


def test_closing_with_a_difference_warns_and_the_z_report_matches_its_printout(
        page: Page, store: Store, shots: Path) -> None:
    _signed_in(page, store)
    _sell(page, store, demo_barcode(51), demo_barcode(52))
    printed = len(store.printer.wait_for_receipts(0))
    page.click("#close-shift-button")
    shift = store.admin.get(f"/registers/{'R9'}").json()["open_shift"]
    expected = Decimal(store.admin.get(f"/shifts/{shift}/report").json()["expected_cash"])
    page.fill("#counted-cash", str(expected + Decimal("276.08")))
    page.click("#close-shift")
    warning = page.locator("#close-warning")
    expect(warning).to_contain_text("276.08 over")
    page.screenshot(path=shots / "close-warning.png")
    assert store.admin.get(f"/shifts/{shift}").json()["closed_at"] is None
    page.click("#close-anyway")
    z_report = page.locator("#z-report")
    expect(z_report).to_contain_text("+276.08")
    page.screenshot(path=shots / "z-report.png")
    report = store.admin.get(f"/shifts/{shift}/report").json()
    screen_tax = z_report.locator("tr", has_text="Net tax").locator("td.num").inner_text()
    assert Decimal(screen_tax) == Decimal(report["tax_total"])
    z_printed = store.printer.wait_for_receipts(printed + 1)[-1]
    [printed_tax] = [line for line in z_printed.text.splitlines() if line.startswith("Net tax")]
    assert Decimal(printed_tax.split()[-1]) == Decimal(report["tax_total"])
    page.click("#z-done")
    ready_to_sell(page)
