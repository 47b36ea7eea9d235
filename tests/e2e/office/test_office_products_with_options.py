"""A manager makes a product with options in the back office, changes its variants, adds
and removes some, and finds them in the catalog and its export; in Chromium."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from support.office_store import MANAGER, MANAGER_PASSWORD, OfficeStore
from support.office_ui import loaded, open_screen, sign_in
from tillflow.services import catalog

pytestmark = pytest.mark.xdist_group("office-products-with-options")


def test_a_product_with_options_is_made_changed_and_exported(
        page: Page, office: OfficeStore, shots: Path, tmp_path: Path) -> None:
    sign_in(page, url=office.url, name=MANAGER, password=MANAGER_PASSWORD)
    open_screen(page, "#/catalog/new-with-options")
    form = page.locator("#product-with-options-form")
    form.locator("[name=name]").fill("Harbour Tee")
    form.locator("[name=category]").fill("Clothing/Tees")
    form.locator("[name=price]").fill("19.00")
    form.locator("[name=prefix]").fill("HTEE")
    form.locator("[name=options]").fill("Size: S, M\nColour: Red, Blue, Red")
    expect(page.locator("#variant-grid")).to_contain_text("4 variants")
    page.screenshot(path=shots / "product-new.png", full_page=True)
    form.locator("button[type=submit]").click()
    expect(page.locator("#variants tbody tr")).to_have_count(4)
    expect(page.locator("#variants")).to_contain_text("HTEE-M-BLUE")
    loaded(page)

    # A price and a cost changed, one variant off sale, one removed.
    page.fill("[name='price:HTEE-S-RED']", "21.50")
    page.fill("[name='cost:HTEE-S-RED']", "7.25")
    page.uncheck("[name='active:HTEE-M-RED']")
    page.check("[name='remove:HTEE-M-BLUE']")
    page.click("#variants-form button[type=submit]")
    expect(page.locator("#product-saved")).to_contain_text("Saved 2 variants, removed 1")
    expect(page.locator("#variants tbody tr")).to_have_count(3)
    red = catalog.get_product(office.ctx, "HTEE-S-RED")
    assert (red.price, red.cost) == (Decimal("21.50"), Decimal("7.25"))
    assert not catalog.get_product(office.ctx, "HTEE-M-RED").active

    # A value the product lacks is refused where it clashes, added where it is new.
    adder = page.locator("#variant-add-form")
    adder.locator("[name=sku]").fill("HTEE-S-BLUE")
    adder.locator("[name=value0]").fill("S")
    adder.locator("[name=value1]").fill("Red")
    adder.locator("[name=price]").fill("19.00")
    adder.locator("button[type=submit]").click()
    expect(adder.locator(".error")).not_to_be_empty()
    adder.locator("[name=sku]").fill("HTEE-L-RED")
    adder.locator("[name=value0]").fill("L")
    adder.locator("button[type=submit]").click()
    expect(page.locator("#variants tbody tr")).to_have_count(4)
    expect(page.locator("#variants")).to_contain_text("HTEE-L-RED")
    page.screenshot(path=shots / "product-with-options.png", full_page=True)

    open_screen(page, "#/catalog/search/HTEE")
    expect(page.locator("#product-results tbody tr")).to_have_count(4)
    expect(page.locator("#product-results")).to_contain_text("L / Red")
    page.screenshot(path=shots / "catalog-with-options.png", full_page=True)
    page.click("#product-results a:text-is('Edit') >> nth=0")
    expect(page.locator("#variant-of")).to_be_visible()
    page.click("#variant-of")
    expect(page.locator("#variants tbody tr")).to_have_count(4)

    open_screen(page, "#/catalog")
    with page.expect_download() as download:
        page.click("#export-csv")
    exported = download.value.path().read_bytes().decode()
    assert exported.splitlines()[0].endswith(
        ",category,product,option1_name,option1_value,option2_name,option2_value,"
        "option3_name,option3_value")
    row = next(line for line in exported.splitlines() if line.startswith("HTEE-S-RED,"))
    assert row.startswith("HTEE-S-RED,Harbour Tee,21.50,")
    assert ",Clothing/Tees,product-" in row
    assert row.endswith(",Size,S,Colour,Red,,")

    # The file imports back as it is: the product's rows together, nothing changed.
    upload = tmp_path / "products.csv"
    upload.write_text("\r\n".join([exported.splitlines()[0],
                                    *(line for line in exported.splitlines()
                                      if line.startswith("HTEE-"))]) + "\r\n")
    open_screen(page, "#/catalog/import")
    page.set_input_files("#import-form [name=file]", str(upload))
    page.click("#import-form button[type=submit]")
    expect(page.locator("#import-report")).to_contain_text(
        "0 created, 0 updated, 4 unchanged, 0 refused")
