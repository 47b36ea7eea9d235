"""At the register in Chromium: a cashier's price override and a sale past the stock the
ledger shows, each with a manager's PIN, and the drawer opened without a sale; the server
records each in the audit trail."""

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
    Store,
)
from support.register_ui import pair_and_sign_in, pay_exact_cash, scan
from support.waiting import wait_until
from tillflow.demo import demo_barcode


def _manager_approves(page: Page) -> None:
    page.select_option("#dialog-name", MANAGER)
    page.fill("#dialog-pin", MANAGER_PIN)
    page.click("#dialog-ok")


def _audit(store: Store, act: str) -> list[dict[str, Any]]:
    items = store.admin.get("/audit", params={"limit": 500}).json()["items"]
    return [item for item in items if item["act"] == act]


def _sale(store: Store, page: Page) -> dict[str, Any]:
    number = page.inner_text("#done-number")
    found: dict[str, Any] = store.admin.get("/sales", params={"number": number}).json()[
        "items"][0]
    return found


def test_a_managers_pin_for_a_lower_price_and_for_stock_and_the_drawer_on_record(
        page: Page, store: Store, shots: Path) -> None:
    pair_and_sign_in(page, url=store.url, pairing=store.pairing, name=CASHIER, pin=CASHIER_PIN,
                     agent_url=store.agent_url, agent_token=AGENT_TOKEN)
    page.fill("#opening-float", "100.00")
    page.click("#open-shift-button")
    expect(page.locator("#sell")).to_be_visible()

    # A lower price: the register asks a manager as soon as it is typed.
    listed = Decimal(store.admin.get("/products/SKU-00007").json()["price"])
    lower = listed - Decimal("0.50")
    scan(page, demo_barcode(7))
    expect(page.locator("#cart tbody tr")).to_have_count(1)
    page.keyboard.press("F3")
    page.fill("#dialog-price", str(lower))
    page.click("#dialog-ok")
    expect(page.locator("#dialog-title")).to_have_text("Manager approval")
    page.screenshot(path=shots / "1-price-approval.png")
    _manager_approves(page)
    expect(page.locator("#cart tbody tr").first).to_contain_text(str(lower))
    pay_exact_cash(page)
    sale = _sale(store, page)
    assert sale["lines"][0]["unit_price"] == str(lower)
    [override] = _audit(store, "sale.price_override")
    assert (override["actor"], override["data"]["sold"], override["data"]["found"],
            override["data"]["approved_by"]) == (CASHIER, str(lower), str(listed), MANAGER)
    page.keyboard.press("Enter")

    # The ledger says there is none left; the customer holds one.
    store.admin.post("/inventory/counts", json={"sku": "SKU-00008", "location": "S1",
                                                "counted": 0}).raise_for_status()
    scan(page, demo_barcode(8))
    page.keyboard.press("F9")
    page.locator("#quick-cash button").first.click()
    page.click("#complete-sale")
    expect(page.locator("#pay-error")).to_contain_text("not enough stock")
    page.click("#ask-manager")
    _manager_approves(page)
    expect(page.locator("#done")).to_be_visible()
    sold_anyway = _sale(store, page)
    shortfalls = store.admin.get("/inventory/discrepancies").json()["items"]
    assert sold_anyway["id"] in {d["sale_id"] for d in shortfalls}
    [stock] = _audit(store, "sale.stock_override")
    assert stock["data"]["approved_by"] == MANAGER
    page.keyboard.press("Enter")

    # The drawer opened without a sale: the server hears of it before the drawer opens.
    kicks = len(store.printer.drawer_kicks)
    page.click("#drawer-button")
    page.fill("#dialog-reason", "change for the bakery")
    page.click("#dialog-ok")
    # The sale before kicked the drawer too, and under load that kick may land only now:
    # wait for the record as well as for a kick.
    [opened] = wait_until(lambda: _audit(store, "drawer.opened"), timeout=10,
                          message="the drawer's opening was not recorded")
    wait_until(lambda: len(store.printer.drawer_kicks) > kicks, timeout=10,
               message="the drawer was not opened")
    assert (opened["actor"], opened["register"], opened["data"]["reason"]) == (
        CASHIER, "R9", "change for the bakery")
    expect(page.locator("#sell-error")).to_have_text("")
