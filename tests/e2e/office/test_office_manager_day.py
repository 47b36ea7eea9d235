"""A manager's day in the back office, in Chromium: the dashboard, goods received, a count,
a transfer, a product edited and imported, a sale found with its receipt, reports read
and exported, a customer, and a dead letter replayed; a screenshot of every screen."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from support.office_store import LOST_SKU, MANAGER, MANAGER_PASSWORD, SHOP, OfficeStore
from support.office_ui import loaded, open_screen, sign_in
from tillflow.services import catalog, inventory


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
    page.fill("#receive-form [name=sku]", "SKU-00001")
    page.fill("#receive-form [name=delta]", "10")
    page.fill("#receive-form [name=reason]", "PO 1042, Acme Ltd")
    page.click("#receive-form button[type=submit]")
    expect(page.locator("#received")).to_contain_text(f"now {before + 10} on hand")
    page.screenshot(path=shots / "stock-receive.png", full_page=True)

    # A refused line names its field and writes nothing.
    page.fill("#receive-form [name=sku]", "NO-SUCH-SKU")
    page.fill("#receive-form [name=delta]", "1")
    page.click("#receive-form button[type=submit]")
    expect(page.locator("#receive-form .error")).not_to_be_empty()

    open_screen(page, "#/stock/count")
    page.select_option("#count-form [name=location]", "S1")
    page.fill("#count-form [name=sku]", "SKU-00002")
    page.fill("#count-form [name=counted]", "7")
    page.click("#count-form button[type=submit]")
    expect(page.locator("#counted")).to_contain_text("now 7 on hand")
    assert _on_hand(office, "SKU-00002", "S1") == "7"
    page.screenshot(path=shots / "stock-count.png", full_page=True)

    warehouse = int(_on_hand(office, "SKU-00001", "WH"))
    open_screen(page, "#/stock/transfer")
    page.select_option("#transfer-form [name=from_location]", "WH")
    page.select_option("#transfer-form [name=to_location]", "S2")
    page.fill("#transfer-form [name=sku]", "SKU-00001")
    page.fill("#transfer-form [name=quantity]", "5")
    page.click("#transfer-form button[type=submit]")
    expect(page.locator("#transferred")).to_contain_text(f"now {warehouse - 5} on hand")
    page.screenshot(path=shots / "stock-transfer.png", full_page=True)

    open_screen(page, "#/stock/levels")
    expect(page.locator("#levels-table tbody tr")).to_have_count(25)
    page.screenshot(path=shots / "stock-levels.png", full_page=True)
    open_screen(page, "#/stock/sku/SKU-00001")
    expect(page.locator("#sku-levels")).to_contain_text("S2")
    page.screenshot(path=shots / "stock-product.png", full_page=True)


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
    page.fill("#product-form [name=name]", "House Blend 1 kg")
    page.click("#product-form button[type=submit]")
    expect(page.locator("#view .notice")).to_contain_text("Saved SKU-00004")
    assert str(catalog.get_product(office.ctx, "SKU-00004").price) == "9.99"
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
    assert exported.startswith("sku,name,price,tax_rate,barcodes,active\r\n")
    assert "SKU-00004,House Blend 1 kg,9.99," in exported
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
