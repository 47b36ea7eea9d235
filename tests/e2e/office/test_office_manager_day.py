"""A manager's day in the back office, in Chromium: the dashboard, goods received, a count,
a transfer, a product edited and imported, a sale found with its receipt, reports read
and exported, a customer, and a dead letter replayed; a screenshot of every screen."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from support.office_store import (
    BOOKS,
    CASHIER,
    LOST_SKU,
    MANAGER,
    MANAGER_PASSWORD,
    SHOP,
    OfficeStore,
)
from support.office_ui import loaded, open_screen, sign_in
from tillflow.demo import demo_barcode
from tillflow.erp.adapters import catalog_for
from tillflow.services import catalog, connections, inventory, sales, staff_admin
from tillflow.services.context import Actor

# One served store per module: its tests run on one xdist worker.
pytestmark = pytest.mark.xdist_group("office-manager-day")


def _on_hand(office: OfficeStore, sku: str, location: str) -> str:
    _product, levels = inventory.stock_of(office.ctx, sku)
    return str({lvl.location: lvl.on_hand for lvl in levels}.get(location, 0))


def test_the_dashboard_shows_the_day(page: Page, office: OfficeStore, shots: Path) -> None:
    sign_in(page, url=office.url, name=MANAGER, password=MANAGER_PASSWORD)
    loaded(page)
    tiles = page.locator("#figures .tile")
    expect(tiles.nth(1)).to_contain_text("12")  # the demo's twelve sales, all today
    expect(page.locator("#by-channel tbody tr")).to_have_count(1)
    expect(page.locator("#hour-chart rect.bar")).not_to_have_count(0)
    expect(page.locator("#top-products tbody tr")).not_to_have_count(0)
    expect(page.locator("#connections-table")).to_contain_text("failing")
    page.screenshot(path=shots / "dashboard.png", full_page=True)


def test_goods_are_received_counted_and_transferred(page: Page, office: OfficeStore,
                                                    shots: Path) -> None:
    sign_in(page, url=office.url, name=MANAGER, password=MANAGER_PASSWORD)
    before = int(_on_hand(office, "SKU-00001", "S1"))

    open_screen(page, "#/stock/receive")
    page.select_option("#receive-form [name=location]", "S1")
    page.fill("#receive-form [name=reference]", "PO-1042")
    lines = page.locator("#receive-form tbody tr")
    lines.nth(0).locator("[name=sku]").fill("SKU-00001")
    lines.nth(0).locator("[name=quantity]").fill("10")
    lines.nth(0).locator("[name=unit_cost]").fill("4.1x")
    page.click("#receive-form .add-line")
    lines.nth(1).locator("[name=sku]").fill("SKU-00006")
    lines.nth(1).locator("[name=quantity]").fill("4")
    lines.nth(1).locator("[name=unit_cost]").fill("0.99")
    page.click("#receive-form button[type=submit]")
    # A refused line is marked, and nothing is received.
    expect(lines.nth(0).locator("[name=unit_cost]")).to_have_attribute("aria-invalid", "true")
    assert int(_on_hand(office, "SKU-00001", "S1")) == before
    lines.nth(0).locator("[name=unit_cost]").fill("4.12")
    page.click("#receive-form button[type=submit]")
    expect(page.locator("#received")).to_contain_text("cost 45.16")
    assert int(_on_hand(office, "SKU-00001", "S1")) == before + 10
    page.screenshot(path=shots / "stock-receive.png", full_page=True)

    open_screen(page, "#/stock/counts")
    page.select_option("#count-open [name=location]", "S1")
    page.fill("#count-open [name=note]", "Shelf 2")
    page.click("#count-open button[type=submit]")
    loaded(page)
    for _ in range(2):
        page.fill("#count-scan [name=barcode]", demo_barcode(2))
        page.click("#count-scan button[type=submit]")
        expect(page.locator("#count-scan [name=barcode]")).to_have_value("")
    expect(page.locator("#count-review tbody tr")).to_contain_text("2")
    page.fill("#count-typed [name=sku]", "SKU-00002")
    page.fill("#count-typed [name=quantity]", "7")
    page.click("#count-typed button[type=submit]")
    on_hand = _on_hand(office, "SKU-00002", "S1")
    expect(page.locator("#count-review tbody tr")).to_contain_text(str(7 - int(on_hand)))
    page.screenshot(path=shots / "stock-count.png", full_page=True)
    page.click("#count-post")
    loaded(page)
    expect(page.locator("#count-session h2").first).to_contain_text("posted")
    assert _on_hand(office, "SKU-00002", "S1") == "7"

    warehouse = int(_on_hand(office, "SKU-00001", "WH"))
    open_screen(page, "#/stock/transfers")
    page.select_option("#transfer-form [name=from_location]", "WH")
    page.select_option("#transfer-form [name=to_location]", "S2")
    page.locator("#transfer-form tbody tr [name=sku]").fill("SKU-00001")
    page.locator("#transfer-form tbody tr [name=quantity]").fill("5")
    page.click("#transfer-form button[type=submit]")
    loaded(page)
    expect(page.locator("#flash")).to_contain_text("in transit")
    sent = page.locator("#transfers-table tbody tr").first
    expect(sent).to_contain_text("in transit")
    s2 = _on_hand(office, "SKU-00001", "S2")
    assert int(_on_hand(office, "SKU-00001", "WH")) == warehouse - 5
    page.screenshot(path=shots / "stock-transfer.png", full_page=True)

    open_screen(page, "#/stock/levels/" + "%3Fquery%3DSKU-00001")
    in_transit = page.locator("#levels-table tbody tr", has_text="S2")
    expect(in_transit).to_contain_text("5")
    reorder = page.locator("#levels-table tbody tr", has_text="S1").locator("[name=reorder_point]")
    reorder.fill("9999")
    with page.expect_response(lambda answer: "reorder-point" in answer.url) as saved:
        reorder.press("Tab")
    assert saved.value.status == 200
    open_screen(page, "#/stock/levels/" + "%3Flow%3Dtrue%26location%3DS1")
    expect(page.locator("#levels-table tbody tr.low", has_text="SKU-00001")).to_have_count(1)
    page.screenshot(path=shots / "stock-levels-low.png", full_page=True)

    open_screen(page, "#/stock/transfers")
    page.locator("#transfers-table tbody tr").first.locator("button", has_text="Receive").click()
    loaded(page)
    expect(page.locator("#transfers-table tbody tr").first).to_contain_text("received")
    assert int(_on_hand(office, "SKU-00001", "S2")) == int(s2) + 5

    open_screen(page, "#/stock/ledger/SKU-00001")
    history = page.locator("#ledger-table tbody tr")
    expect(history.first).to_contain_text("transfer")
    expect(page.locator("#ledger-table")).to_contain_text("PO-1042")
    page.screenshot(path=shots / "stock-history.png", full_page=True)


def test_a_product_is_edited_imported_and_exported(page: Page, office: OfficeStore,
                                                   shots: Path, tmp_path: Path) -> None:
    sign_in(page, url=office.url, name=MANAGER, password=MANAGER_PASSWORD)
    open_screen(page, "#/catalog/search/SKU-00004")
    expect(page.locator("#product-results tbody tr")).to_have_count(1)
    page.screenshot(path=shots / "catalog.png", full_page=True)
    page.click("#product-results a:text-is('Edit')")
    loaded(page)
    page.fill("#product-form [name=price]", "abc")
    page.click("#product-form button[type=submit]")
    expect(page.locator("#product-form [name=price]")).to_have_attribute("aria-invalid", "true")
    page.fill("#product-form [name=price]", "9.99")
    page.fill("#product-form [name=cost]", "4.10")
    page.fill("#product-form [name=name]", "House Blend 1 kg")
    page.click("#product-form button[type=submit]")
    expect(page.locator("#view .notice")).to_contain_text("Saved SKU-00004")
    edited = catalog.get_product(office.ctx, "SKU-00004")
    assert (edited.price, edited.cost) == (Decimal("9.99"), Decimal("4.10"))
    page.screenshot(path=shots / "catalog-edit.png", full_page=True)

    upload = tmp_path / "catalog.csv"
    upload.write_text("sku,name,price,tax_rate,barcodes,active\n"
                      "NEW-001,Oat Milk 1 l,2.40,0.05,,true\n"
                      "NEW-002,Broken price,two,0.05,,true\n")
    open_screen(page, "#/catalog/import")
    page.set_input_files("#import-form [name=file]", str(upload))
    page.click("#import-form button[type=submit]")
    expect(page.locator("#import-report")).to_contain_text("1 created")
    expect(page.locator("#import-report tbody tr")).to_have_count(1)
    expect(page.locator("#import-report tbody tr")).to_contain_text("NEW-002")
    page.screenshot(path=shots / "catalog-import.png", full_page=True)

    open_screen(page, "#/catalog")
    with page.expect_download() as download:
        page.click("#export-csv")
    exported = download.value.path().read_bytes().decode()
    assert exported.startswith("sku,name,price,tax_rate,barcodes,active,cost,category,product,")
    assert "SKU-00004,House Blend 1 kg,9.99," in exported
    assert ",true,4.10," in exported
    assert "NEW-001,Oat Milk 1 l,2.40,0.05" in exported


def test_a_sale_is_found_with_its_receipt(page: Page, office: OfficeStore, shots: Path) -> None:
    sign_in(page, url=office.url, name=MANAGER, password=MANAGER_PASSWORD)
    open_screen(page, "#/sales")
    rows = page.locator("#sales-table tbody tr")
    expect(rows).to_have_count(12)
    page.fill("#sale-filters [name=register]", "R1")
    page.fill("#sale-filters [name=number]", "R1-000001")
    page.click("#sale-filters button[type=submit]")
    loaded(page)
    expect(rows).to_have_count(1)
    page.screenshot(path=shots / "sales.png", full_page=True)
    rows.first.locator("a").click()
    loaded(page)
    expect(page.locator("#sale-detail h1")).to_contain_text("R1-000001")
    expect(page.locator("#payments")).to_contain_text("cash")
    expect(page.locator("#returns tbody tr")).to_have_count(1)  # the demo returned one item
    page.wait_for_function("() => document.getElementById('receipt').naturalWidth > 0")
    page.screenshot(path=shots / "sale-detail.png", full_page=True)

    open_screen(page, "#/sales/shifts")
    expect(page.locator("#shifts-table tbody tr")).to_have_count(3)
    page.select_option("#shift-filters [name=register]", "R1")
    page.select_option("#shift-filters [name=status]", "closed")
    page.click("#shift-filters button[type=submit]")
    loaded(page)
    expect(page.locator("#shifts-table tbody tr")).to_have_count(1)
    page.screenshot(path=shots / "shifts.png", full_page=True)
    page.locator("#shifts-table a:text-is('Z report')").click()
    loaded(page)
    expect(page.locator("#z-report h1")).to_contain_text("Z report · R1")
    page.screenshot(path=shots / "z-report.png", full_page=True)

    bad = "#/sales/" + "%3Ffrom%3D2026-12-09%26to%3D2026-12-01"
    open_screen(page, bad)
    expect(page.locator("#view .notice.bad")).to_contain_text("from")


def test_reports_are_read_and_exported(page: Page, office: OfficeStore, shots: Path) -> None:
    sign_in(page, url=office.url, name=MANAGER, password=MANAGER_PASSWORD)
    open_screen(page, "#/reports/sales")
    expect(page.locator("#report-table tbody tr")).not_to_have_count(0)
    page.screenshot(path=shots / "report-by-day.png", full_page=True)
    page.select_option("#report-form [name=group_by]", "product")
    page.click("#report-form button[type=submit]")
    loaded(page)
    expect(page.locator("#report-chart rect.bar")).not_to_have_count(0)
    page.screenshot(path=shots / "report-by-product.png", full_page=True)
    with page.expect_download() as download:
        page.click("#report-csv")
    exported = download.value.path().read_text().splitlines()
    assert exported[0] == "key,sales,units,net,tax,total"
    rows = page.locator("#report-table tbody tr")
    expect(rows).to_have_count(len(exported))  # each row and the total line

    # A sale Cas made at the till: the staff report and the sales list name her, by name.
    [cas] = [m for m in staff_admin.list_staff(office.ctx) if m.name == CASHIER]
    till = Actor(name=CASHIER, role="cashier", register="R1", session=True, staff_id=cas.id)
    sold, _created = sales.record_sale(office.ctx, till, sales.SaleRequest(
        location="S1", register="R1", lines=[sales.SaleLineRequest(sku="SKU-00001", quantity=1)],
        payments=[sales.TenderRequest(method="cash", amount="1000.00")]))
    page.select_option("#report-form [name=group_by]", "staff")
    page.click("#report-form button[type=submit]")
    loaded(page)
    cas_row = page.locator("#report-table tbody tr", has_text=CASHIER)
    expect(cas_row.locator("td").nth(1)).to_have_text("1")
    expect(page.locator("#report-table tbody tr", has_text="none")).to_have_count(1)
    expect(page.locator("#report-chart")).to_contain_text(CASHIER)
    page.screenshot(path=shots / "report-by-staff.png", full_page=True)
    with page.expect_download() as download:
        page.click("#report-csv")
    exported = download.value.path().read_text().splitlines()
    assert exported[0] == "key,sales,units,net,tax,total,name"
    assert any(line.startswith(f"{cas.id},1,") and line.endswith(f",{CASHIER}")
               for line in exported)
    open_screen(page, "#/sales")
    page.select_option("#sale-filters [name=staff]", CASHIER)
    page.click("#sale-filters button[type=submit]")
    loaded(page)
    rows = page.locator("#sales-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(sold.number)
    expect(rows.first).to_contain_text(CASHIER)
    page.screenshot(path=shots / "sales-by-staff.png", full_page=True)
    open_screen(page, "#/reports/sales")

    for group in ("tax_rate", "register", "channel", "week"):
        page.select_option("#report-form [name=group_by]", group)
        page.click("#report-form button[type=submit]")
        loaded(page)
        expect(page.locator("#report-table")).to_be_visible()
    page.screenshot(path=shots / "report-by-week.png", full_page=True)

    open_screen(page, "#/reports/books")
    expect(page.locator("#trial-balance tbody tr")).not_to_have_count(0)
    page.screenshot(path=shots / "report-books.png", full_page=True)
    open_screen(page, "#/reports/payments")
    page.screenshot(path=shots / "report-payments.png", full_page=True)


def test_a_customer_is_added_and_found(page: Page, office: OfficeStore, shots: Path) -> None:
    sign_in(page, url=office.url, name=MANAGER, password=MANAGER_PASSWORD)
    open_screen(page, "#/people")
    page.click("#view details summary")
    page.fill("#customer-add [name=name]", "Lena Ortiz")
    page.fill("#customer-add [name=email]", "lena@example.com")
    page.click("#customer-add button[type=submit]")
    loaded(page)
    page.fill("#customer-form [name=phone]", "+1 415 555 0142")
    page.click("#customer-form button[type=submit]")
    expect(page.locator("#view .notice")).to_contain_text("Saved Lena Ortiz")
    expect(page.locator("#purchase-history")).to_contain_text("No purchase yet")
    page.screenshot(path=shots / "customer.png", full_page=True)
    open_screen(page, "#/people/search/lena")
    expect(page.locator("#customers-table tbody tr")).to_have_count(1)
    page.screenshot(path=shots / "customers.png", full_page=True)


def test_a_dead_letter_is_replayed(page: Page, office: OfficeStore, shots: Path) -> None:
    sign_in(page, url=office.url, name=MANAGER, password=MANAGER_PASSWORD)
    open_screen(page, "#/integrations")
    expect(page.locator("#integrations-table")).to_contain_text("failing")
    page.screenshot(path=shots / "integrations.png", full_page=True)
    open_screen(page, f"#/integrations/{SHOP}")
    dead = page.locator("#dead-letters-table tbody tr")
    expect(dead).to_have_count(1)
    expect(dead).to_contain_text(f"sku:{LOST_SKU}")
    expect(dead).to_contain_text("not in")
    page.screenshot(path=shots / "integration-detail.png", full_page=True)

    office.shop.stock[LOST_SKU] = 0  # the shop has the product again
    dead.locator("button", has_text="Replay").click()
    expect(page.locator("#flash")).to_contain_text("1 dead letter(s) queued again")
    office.drain()
    assert office.shop.stock[LOST_SKU] > 0
    open_screen(page, f"#/integrations/{SHOP}")
    expect(page.locator("#dead-letters")).to_contain_text("No dead letters.")
    expect(page.locator("#connection .state").first).to_have_text("ok")
    page.screenshot(path=shots / "integration-replayed.png", full_page=True)


def test_an_erp_posting_is_replayed_once_the_erp_is_ready(page: Page, office: OfficeStore,
                                                          shots: Path) -> None:
    sign_in(page, url=office.url, name=MANAGER, password=MANAGER_PASSWORD)
    open_screen(page, f"#/integrations/{BOOKS}")
    expect(page.locator("#postings-table")).to_contain_text("posted")
    expect(page.locator("#dead-letters")).to_have_count(0)  # an ERP has postings instead
    dead = page.locator("#postings-table tbody tr", has_text="sale:").filter(has_text="dead")
    expect(dead.first).to_contain_text("no sale taxes of 5 %")
    waiting = dead.count()
    page.screenshot(path=shots / "erp-postings.png", full_page=True)

    # The accountant adds the 5 % sale tax in Odoo; the manager replays one sale's posting.
    _add_five_percent_tax(office)
    reference = dead.first.locator("td").first.inner_text()
    dead.first.locator("button", has_text="Replay").click()
    loaded(page)
    row = page.locator("#postings-table tbody tr", has_text=reference)
    expect(row).to_contain_text("pending")
    office.drain()
    open_screen(page, f"#/integrations/{BOOKS}")
    expect(row).to_contain_text("posted")
    expect(row).to_contain_text("invoice:")
    expect(dead).to_have_count(waiting - 1)


def _add_five_percent_tax(office: OfficeStore) -> None:
    """The accountant's 5 % sale tax, added once whichever test needs it first."""
    with office.odoo.db.lock:
        if not any(t["amount"] == 5.0 and t["type_tax_use"] == "sale"
                   for t in office.odoo.db.table("account.tax").values()):
            office.odoo.db.insert("account.tax", {
                "name": "5%", "amount": 5.0, "type_tax_use": "sale", "amount_type": "percent",
                "price_include": False, "account_code": "251000"})


def test_an_erp_is_synced_now_both_ways(page: Page, office: OfficeStore, shots: Path) -> None:
    # Every demo product is pushed with its tax: Odoo needs the 5 % one.
    _add_five_percent_tax(office)
    sign_in(page, url=office.url, name=MANAGER, password=MANAGER_PASSWORD)
    open_screen(page, f"#/integrations/{BOOKS}")
    page.select_option("#sync-now [name=scope]", "products-out")
    page.click("#sync-now button[type=submit]")
    answer = page.locator("#sync-now .error, #sync-now .notice")
    # Every demo product goes to Odoo in one request each: slower than a page's answer.
    expect(answer).to_have_text(re.compile(r"^[1-9][0-9]* changed\.$"), timeout=30_000)
    pushed = {p.get("default_code") for p in office.odoo.db.table("product.product").values()}
    assert {"SKU-00001", "SKU-00002"} <= pushed
    page.screenshot(path=shots / "erp-products-pushed.png", full_page=True)

    # Odoo's stock room is the store S1; twelve units received there arrive on "sync now", once.
    erp = catalog_for(office.ctx, BOOKS)
    try:
        room = erp.storage_location()
    finally:
        erp.close()
    connections.update_connection(office.ctx, BOOKS, settings={"locations": {"S1": room}},
                                  secrets=None)
    before = _on_hand(office, "SKU-00002", "S1")
    office.odoo.receive("SKU-00002", Decimal(12), "WH/IN/00042")
    page.select_option("#sync-now [name=scope]", "receipts")
    page.click("#sync-now button[type=submit]")
    expect(answer).to_have_text("1 changed.")
    assert Decimal(_on_hand(office, "SKU-00002", "S1")) == Decimal(before) + 12
    page.screenshot(path=shots / "erp-receipts-synced.png", full_page=True)
    page.click("#sync-now button[type=submit]")
    expect(answer).to_have_text("0 changed.")
    assert Decimal(_on_hand(office, "SKU-00002", "S1")) == Decimal(before) + 12
