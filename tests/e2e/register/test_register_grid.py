"""At the register in Chromium, every active product as a grid of buttons beside the
favourites: a page at a time, sorted by name, each with its price; a tap adds one."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from support.register_store import AGENT_TOKEN, CASHIER, CASHIER_PIN, Store
from support.register_ui import pair_and_sign_in, ready_to_sell

PAGE_SIZE = 12


def _active_products(store: Store) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 200} | ({"cursor": cursor} if cursor else {})
        page = store.admin.get("/products", params=params).json()
        found.extend(p for p in page["items"] if p["active"])
        cursor = page["next_cursor"]
        if not cursor:
            return found


def test_every_active_product_in_pages_by_name(page: Page, store: Store, shots: Path) -> None:
    # A product withdrawn from sale is not offered; one named to sort first is.
    store.admin.patch("/products/SKU-00003", json={"active": False}).raise_for_status()
    store.admin.patch("/products/SKU-00004", json={"name": "Aardvark mug"}).raise_for_status()
    products = sorted(_active_products(store), key=lambda p: (p["name"], p["sku"]))
    pair_and_sign_in(page, url=store.url, pairing=store.pairing, name=CASHIER, pin=CASHIER_PIN,
                     agent_url=store.agent_url, agent_token=AGENT_TOKEN)
    ready_to_sell(page)
    tiles = page.locator("#grid-tiles .tile")
    pages = math.ceil(len(products) / PAGE_SIZE)

    page.click("#grid-button")
    expect(tiles).to_have_count(PAGE_SIZE)
    expect(page.locator("#grid-page")).to_have_text(f"Page 1 of {pages}")
    expect(page.locator("#grid-prev")).to_be_disabled()
    first = products[:PAGE_SIZE]
    assert [t.get_attribute("data-sku") for t in tiles.all()] == [p["sku"] for p in first]
    expect(tiles.first).to_contain_text("Aardvark mug")
    expect(tiles.first).to_contain_text(first[0]["price"])
    assert page.locator('#grid-tiles [data-sku="SKU-00003"]').count() == 0
    page.screenshot(path=shots / "product-grid.png")

    page.click("#grid-next")
    expect(page.locator("#grid-page")).to_have_text(f"Page 2 of {pages}")
    second = products[PAGE_SIZE:2 * PAGE_SIZE]
    expect(tiles.first).to_have_attribute("data-sku", second[0]["sku"])
    assert [t.get_attribute("data-sku") for t in tiles.all()] == [p["sku"] for p in second]
    tiles.nth(1).click()
    tiles.nth(1).click()
    rows = page.locator("#cart tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(second[1]["name"])
    expect(rows.first.locator("td").nth(1)).to_have_text("2")
    page.click("#grid-prev")
    expect(page.locator("#grid-page")).to_have_text(f"Page 1 of {pages}")
    page.screenshot(path=shots / "product-grid-added.png")
    page.click("#grid-button")
    expect(page.locator("#product-grid")).to_be_hidden()
