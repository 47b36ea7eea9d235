"""The register keeps selling with the network gone, and every sale lands exactly once."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import BrowserContext, Page, Route, expect

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
    pair_and_sign_in,
    pay_exact_cash,
    ready_to_sell,
    scan,
    wait_for_service_worker,
)
from tillflow.demo import demo_barcode
from tillflow.domain.gtin import with_check_digit
from tillflow.services import staff

SHORT_SKU = "SKU-00004"
WITHDRAWN_SKU = "SKU-00005"
# A quiet day well before the module's other sales, at noon so a minute either way stays in it.
TILL_DAY = date.today() - timedelta(days=3)
SALES = 5

READ_QUEUE = """async () => {
  const db = await new Promise((ok, fail) => {
    const r = indexedDB.open("tillflow-register");
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  return await new Promise((ok, fail) => {
    const r = db.transaction("outbox").objectStore("outbox").getAll();
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
}"""


def _on_hand(store: Store, sku: str) -> Decimal:
    levels = store.admin.get(f"/inventory/{sku}").json()["levels"]
    return sum((Decimal(str(lvl["on_hand"])) for lvl in levels if lvl["location"] == "S1"),
               Decimal(0))


def _offline_sales(store: Store) -> list[dict[str, Any]]:
    items = store.admin.get("/sales", params={"location": "S1", "limit": 200}).json()["items"]
    return [s for s in items if s["offline"] and s["register"] == REGISTER]


def _session(store: Store) -> dict[str, str]:
    """The cashier signed in at the register again, as its own session would send."""
    signed_in = httpx.post(f"{store.url}/api/v1/staff/sessions",
                           json={"name": CASHIER, "pin": CASHIER_PIN},
                           headers={"Authorization": f"Bearer {store.pairing}"}, timeout=10)
    signed_in.raise_for_status()
    return {"Authorization": f"Bearer {signed_in.json()['token']}"}


def test_sales_made_offline_are_recorded_once_when_the_server_is_back(
        page: Page, context: BrowserContext, store: Store, shots: Path) -> None:
    pair_and_sign_in(page, url=store.url, pairing=store.pairing, name=CASHIER, pin=CASHIER_PIN,
                     agent_url=store.agent_url, agent_token=AGENT_TOKEN)
    if page.locator("#shift-open").is_visible():
        page.fill("#opening-float", "50.00")
        page.click("#open-shift-button")
    expect(page.locator("#sell")).to_be_visible()
    wait_for_service_worker(page)
    printed_before = len(store.printer.wait_for_receipts(0))
    # Fewer on hand than the offline sales take: the shortfall becomes a discrepancy.
    store.admin.post("/inventory/counts", json={"sku": SHORT_SKU, "location": "S1", "counted": 3})
    before = _on_hand(store, SHORT_SKU)

    context.set_offline(True)
    expect(page.locator("#conn")).to_have_text("offline — 0 sales waiting")
    # The app and the catalog come from the service worker's cache.
    page.reload()
    expect(page.locator("#sell")).to_be_visible()
    printed: list[str] = []
    for sold in range(1, SALES + 1):
        scan(page, demo_barcode(4))
        expect(page.locator("#cart tbody tr")).to_have_count(1)
        pay_exact_cash(page)
        expect(page.locator("#done-number")).to_contain_text("OFFLINE-")
        printed.append(page.inner_text("#done-number"))
        expect(page.locator("#conn")).to_have_text(
            f"offline — {sold} {'sale' if sold == 1 else 'sales'} waiting")
        page.keyboard.press("Enter")
    page.screenshot(path=shots / "offline-waiting.png")
    queued = page.evaluate(READ_QUEUE)
    assert [q["body"]["offline"] for q in queued] == [True] * SALES
    # The server prices each line: the register sends no price it did not change.
    assert all("unit_price" not in line for q in queued for line in q["body"]["lines"])
    assert _offline_sales(store) == []

    context.set_offline(False)
    expect(page.locator("#conn")).to_have_text("online", timeout=15_000)
    page.screenshot(path=shots / "back-online.png")
    recorded = _offline_sales(store)
    assert len(recorded) == SALES
    assert len({s["number"] for s in recorded}) == SALES
    assert _on_hand(store, SHORT_SKU) == before - SALES
    # Laid out in the page, the offline receipt is the store's all the same, and the
    # device agent prints it (the browser reached no one while offline).
    page.click("#reprint-button")
    receipt = store.printer.wait_for_receipts(printed_before + 1)[-1]
    assert printed[-1] in receipt.text
    assert store.admin.get("/settings/receipt").json()["name"] in receipt.text
    assert "Recorded offline" in receipt.text
    # Each offline receipt finds its sale by the number it printed, at the till too.
    found = [store.admin.get("/sales", params={"number": n}).json()["items"] for n in printed]
    assert sorted(items[0]["id"] for items in found) == sorted(s["id"] for s in recorded)
    page.keyboard.press("F10")
    page.fill("#return-number", printed[0])
    page.keyboard.press("Enter")
    expect(page.locator("#return-lines tbody tr")).to_have_count(1)
    page.keyboard.press("Escape")
    shortfalls = store.admin.get("/inventory/discrepancies").json()["items"]
    assert {d["sale_id"] for d in shortfalls if d["sku"] == SHORT_SKU} >= {
        s["id"] for s in recorded[-2:]}

    # Replaying the same queue again records nothing twice; only a register's session
    # may send sales made offline.
    assert store.admin.post("/sales", json=queued[0]["body"], headers={
        "Idempotency-Key": queued[0]["key"]}).json()["error"]["code"] == "forbidden"
    session = _session(store)
    for entry in queued:
        again = store.admin.post("/sales", json=entry["body"],
                                 headers={"Idempotency-Key": entry["key"], **session})
        assert again.status_code == 201
        assert again.headers["Idempotent-Replayed"] == "true"
    assert len(_offline_sales(store)) == SALES
    assert _on_hand(store, SHORT_SKU) == before - SALES


def test_a_sale_refused_on_replay_waits_for_a_manager_and_unpairing_shows(
        page: Page, context: BrowserContext, store: Store, shots: Path) -> None:
    pair_and_sign_in(page, url=store.url, pairing=store.pairing, name=CASHIER, pin=CASHIER_PIN)
    if page.locator("#shift-open").is_visible():
        page.fill("#opening-float", "50.00")
        page.click("#open-shift-button")
    expect(page.locator("#sell")).to_be_visible()
    wait_for_service_worker(page)

    context.set_offline(True)
    expect(page.locator("#conn")).to_contain_text("offline")
    scan(page, demo_barcode(5))
    pay_exact_cash(page)
    page.keyboard.press("Enter")
    # Withdrawn from sale meanwhile: the server refuses the sale when it is replayed.
    store.admin.patch(f"/products/{WITHDRAWN_SKU}", json={"active": False}).raise_for_status()
    context.set_offline(False)
    expect(page.locator("#conn")).to_have_text("online · 1 refused, see a manager",
                                               timeout=15_000)
    page.click("#refused-button")
    entry = page.locator("#refused-list li")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(f"1 × {WITHDRAWN_SKU}")
    expect(entry).to_contain_text("is not for sale (validation_error)")
    page.screenshot(path=shots / "refused-sale.png")
    entry.locator("button.dismiss").click()
    # Only managers are offered; a cashier is not among them.
    assert page.locator("#dialog-name option").all_inner_texts() == [MANAGER]
    page.fill("#dialog-pin", CASHIER_PIN)
    page.click("#dialog-ok")
    expect(page.locator("#dialog-error")).to_contain_text("wrong PIN")
    page.select_option("#dialog-name", MANAGER)
    page.fill("#dialog-pin", MANAGER_PIN)
    page.click("#dialog-ok")
    expect(entry).to_have_count(0)
    expect(page.locator("#conn")).to_have_text("online")
    assert page.evaluate(READ_QUEUE) == []

    # A manager unpairs the register elsewhere: it asks to be paired again.
    store.admin.delete(f"/registers/{REGISTER}/pairings").raise_for_status()
    page.reload()
    expect(page.locator("#pair")).to_be_visible()
    expect(page.locator("#pair-error")).to_contain_text("pairing was revoked")
    page.screenshot(path=shots / "unpaired.png")


def test_a_sale_made_offline_counts_when_the_till_made_it(
        page: Page, context: BrowserContext, store: Store, shots: Path) -> None:
    # The till's clock says three days ago: the replay happens now, the sale was made then.
    till_time = datetime.combine(TILL_DAY, time(12), tzinfo=UTC)
    # Paired afresh: an earlier test of the module unpairs the register.
    pairing = staff.pair_register(store.ctx, register=REGISTER)
    pair_and_sign_in(page, url=store.url, pairing=pairing, name=CASHIER, pin=CASHIER_PIN)
    ready_to_sell(page)
    wait_for_service_worker(page)
    page.clock.set_system_time(till_time)

    context.set_offline(True)
    expect(page.locator("#conn")).to_contain_text("offline")
    scan(page, demo_barcode(6))
    pay_exact_cash(page)
    expect(page.locator("#done-number")).to_contain_text("OFFLINE-")
    number = page.inner_text("#done-number").strip()
    page.keyboard.press("Enter")
    queued = page.evaluate(READ_QUEUE)
    assert len(queued) == 1
    made = datetime.fromisoformat(queued[0]["body"]["sold_at"])
    assert made.utcoffset() is not None
    assert till_time <= made < till_time + timedelta(minutes=5)

    context.set_offline(False)
    expect(page.locator("#conn")).to_have_text("online", timeout=15_000)
    page.screenshot(path=shots / "replayed-at-till-time.png")
    sale = store.admin.get("/sales", params={"number": number}).json()["items"][0]
    assert datetime.fromisoformat(sale["sold_at"]) == made
    assert datetime.fromisoformat(sale["created_at"]) > made + timedelta(days=2)
    # Counted on the till's day, and not on the day it reached the server.
    day = store.admin.get("/reports/sales", params={
        "from": TILL_DAY.isoformat(), "to": (TILL_DAY + timedelta(days=1)).isoformat(),
        "group_by": "day"}).json()["rows"]
    assert [(r["key"], r["sales"], r["total"]) for r in day] == [
        (TILL_DAY.isoformat(), 1, sale["total"])]
    by_register = store.admin.get("/reports/sales", params={
        "from": TILL_DAY.isoformat(), "to": (TILL_DAY + timedelta(days=1)).isoformat(),
        "group_by": "register"}).json()["rows"]
    assert [(r["key"], r["sales"]) for r in by_register] == [(REGISTER, 1)]
    listed = store.admin.get("/sales", params={
        "from": TILL_DAY.isoformat(), "to": (TILL_DAY + timedelta(days=1)).isoformat()}).json()
    assert [s["id"] for s in listed["items"]] == [sale["id"]]
    today = store.admin.get("/sales", params={"from": date.today().isoformat(), "limit": 200})
    assert sale["id"] not in {s["id"] for s in today.json()["items"]}


def test_an_answer_to_a_request_sent_before_the_network_went_leaves_the_till_offline(
        page: Page, context: BrowserContext, store: Store, shots: Path) -> None:
    pairing = staff.pair_register(store.ctx, register=REGISTER)
    pair_and_sign_in(page, url=store.url, pairing=pairing, name=CASHIER, pin=CASHIER_PIN)
    ready_to_sell(page)
    wait_for_service_worker(page)
    # Made after the register read its catalog: its barcode is asked of the server.
    barcode = with_check_digit("400638199901")
    store.admin.post("/products", json={"sku": "LATE-ARRIVAL", "name": "Late arrival",
                                        "price": "4.00", "tax_rate": "0.08",
                                        "barcodes": [barcode]}).raise_for_status()
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    # Asked through the service worker: only the context sees its requests.
    context.route("**/api/v1/products/by-barcode/*", hold)
    scan(page, barcode)
    for _ in range(200):  # Playwright runs the route's handler while the page waits
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the register did not ask the server for the barcode"
    answer = held[0].fetch()

    # The network goes while the answer is on its way; it then arrives.
    context.set_offline(True)
    expect(page.locator("#conn")).to_contain_text("offline")
    held[0].fulfill(response=answer)
    expect(page.locator("#cart")).to_contain_text("Late arrival")
    expect(page.locator("#conn")).to_contain_text("offline")

    pay_exact_cash(page)
    expect(page.locator("#done-number")).to_contain_text("OFFLINE-")
    number = page.inner_text("#done-number").strip()
    page.keyboard.press("Enter")
    [queued] = page.evaluate(READ_QUEUE)
    assert queued["body"]["offline"] is True
    assert datetime.fromisoformat(queued["body"]["sold_at"]).utcoffset() is not None

    context.set_offline(False)
    expect(page.locator("#conn")).to_have_text("online", timeout=15_000)
    page.screenshot(path=shots / "late-answer-sale-replayed.png")
    [sale] = store.admin.get("/sales", params={"number": number}).json()["items"]
    assert sale["offline"] is True
    assert [line["sku"] for line in sale["lines"]] == ["LATE-ARRIVAL"]
