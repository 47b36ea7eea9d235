"""At the register in Chromium, a product with variants is found once and its variant
picked from a grid of option values; a variant's own barcode adds it directly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from support.register_store import CASHIER, CASHIER_PIN, Store
from support.register_ui import pair_and_sign_in, ready_to_sell, scan
from tillflow.domain.gtin import with_check_digit

SIZES = ["S", "M", "L"]
COLOURS = ["Red", "Black"]
# Large black is not made: its cell is shut.
NOT_MADE = ("L", "Black")
RED_M_BARCODE = with_check_digit("200000777001")


def _tee_variants() -> list[dict[str, Any]]:
    variants = []
    for size in SIZES:
        for colour in COLOURS:
            if (size, colour) == NOT_MADE:
                continue
            variant: dict[str, Any] = {
                "sku": f"VTEE-{size}-{colour[0]}", "options": {"Size": size, "Colour": colour},
                "price": "25.00" if size != "L" else "27.50"}
            if (size, colour) == ("M", "Red"):
                variant["barcodes"] = [RED_M_BARCODE]
            variants.append(variant)
    return variants


def _create_products(store: Store) -> None:
    store.admin.post("/products", json={
        "name": "Abbey tee", "tax_rate": "0.08", "category": "Clothing/Tees",
        "options": [{"name": "Size", "values": SIZES}, {"name": "Colour", "values": COLOURS}],
        "variants": _tee_variants()}).raise_for_status()
    store.admin.post("/products", json={
        "name": "Abbey cap", "tax_rate": "0.08", "category": "Clothing/Caps",
        "options": [{"name": "Fit", "values": ["Kid", "Adult"]},
                    {"name": "Size", "values": ["One"]},
                    {"name": "Colour", "values": ["Blue", "Sand"]}],
        "variants": [{"sku": f"VCAP-{fit[0]}-{colour[0]}", "price": "12.00",
                      "options": {"Fit": fit, "Size": "One", "Colour": colour}}
                     for fit in ("Kid", "Adult")
                     for colour in ("Blue", "Sand")]}).raise_for_status()


def _cart(page: Page) -> list[tuple[str, str]]:
    rows = page.locator("#cart tbody tr")
    return [(r.get_attribute("data-sku") or "", r.locator("td").nth(1).inner_text())
            for r in rows.all()]


def test_a_variant_is_picked_from_its_product_or_scanned(
        page: Page, store: Store, shots: Path) -> None:
    _create_products(store)
    pair_and_sign_in(page, url=store.url, pairing=store.pairing, name=CASHIER, pin=CASHIER_PIN)
    ready_to_sell(page)

    # Searched by name, the product is offered once, with its count of variants.
    page.fill("#search", "abbey tee")
    results = page.locator("#results li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("5 variants")
    results.first.click()
    picker = page.locator("#variant-picker")
    expect(picker).to_be_visible()
    expect(page.locator("#variant-title")).to_have_text("Abbey tee")
    # Sizes down, colours across; the one not made is shut.
    expect(picker.locator("tbody tr")).to_have_count(len(SIZES))
    expect(picker.locator("thead th")).to_have_text(["", *COLOURS])
    expect(picker.locator("tbody tr").nth(2).locator("button.cell").nth(1)).to_be_disabled()
    expect(picker.locator('button[data-sku="VTEE-L-R"]')).to_have_text("27.50")
    page.screenshot(path=shots / "variant-grid.png")
    picker.locator('button[data-sku="VTEE-M-B"]').click()
    expect(picker).to_be_hidden()
    expect(page.locator("#cart tbody tr")).to_have_count(1)
    expect(page.locator("#cart tbody tr").first).to_contain_text("Abbey tee - M / Black")

    # Words naming a single variant offer it as itself.
    page.fill("#search", "abbey tee red l")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("VTEE-L-R")
    page.keyboard.press("Enter")

    # A variant's own barcode adds it without asking, even with the picker open.
    page.fill("#search", "abbey tee")
    results.first.click()
    expect(picker).to_be_visible()
    scan(page, RED_M_BARCODE)
    expect(picker).to_be_hidden()
    expect(page.locator("#cart tbody tr")).to_have_count(3)
    assert _cart(page) == [("VTEE-M-B", "1"), ("VTEE-L-R", "1"), ("VTEE-M-R", "1")]

    # Three options: the first is chosen by buttons, then the grid of the other two; words
    # typed that name a value choose it already.
    page.fill("#search", "abbey cap kid")
    expect(results).to_have_count(1)
    results.first.click()
    expect(picker.locator('fieldset button[data-value="Kid"]')).to_have_attribute(
        "aria-pressed", "true")
    picker.locator('button[data-sku="VCAP-K-S"]').click()
    page.fill("#search", "abbey cap")
    results.first.click()
    expect(picker.locator("button.cell[data-sku]")).to_have_count(0)
    picker.locator('fieldset button[data-value="Adult"]').click()
    page.screenshot(path=shots / "variant-three-options.png")
    picker.locator('button[data-sku="VCAP-A-B"]').click()

    # The grid of all products shows the product once; its tile opens the picker.
    page.click("#grid-button")
    tile = page.locator("#grid-tiles .tile", has_text="Abbey tee")
    expect(tile).to_have_count(1)
    tile.click()
    picker.locator('button[data-sku="VTEE-S-R"]').click()
    assert [sku for sku, _ in _cart(page)] == [
        "VTEE-M-B", "VTEE-L-R", "VTEE-M-R", "VCAP-K-S", "VCAP-A-B", "VTEE-S-R"]
    page.screenshot(path=shots / "variants-in-cart.png")
