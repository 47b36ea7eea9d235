"""Signing in to the back office in Chromium: refusals, a manager's screens, an admin's
screens, sign-out."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from support.office_store import (
    ADMIN,
    ADMIN_PASSWORD,
    CASHIER,
    CASHIER_PASSWORD,
    MANAGER,
    MANAGER_PASSWORD,
    OfficeStore,
)
from support.office_ui import loaded, sign_in
from tillflow.services import tokens

# One served store per module: its tests run on one xdist worker.
pytestmark = pytest.mark.xdist_group("office-sign-in")


def test_refusals_then_a_manager_sees_no_admin_screen(page: Page, office: OfficeStore,
                                                      shots: Path) -> None:
    page.goto(f"{office.url}/office/")
    expect(page.locator("#signin")).to_be_visible()
    page.screenshot(path=shots / "1-sign-in.png")

    page.fill("#signin-form [name=name]", CASHIER)
    page.fill("#signin-form [name=password]", CASHIER_PASSWORD)
    page.click("#signin-button")
    expect(page.locator("#signin-error")).to_contain_text("cashier cannot sign in")
    page.fill("#signin-form [name=name]", MANAGER)
    page.fill("#signin-form [name=password]", "not-my-password")
    page.click("#signin-button")
    expect(page.locator("#signin-error")).to_contain_text("wrong password")
    page.screenshot(path=shots / "2-refused.png")

    sign_in(page, url=office.url, name=MANAGER, password=MANAGER_PASSWORD)
    loaded(page)
    nav = page.locator("#nav a")
    expect(nav).to_have_text(["Dashboard", "Catalog", "Stock", "Sales", "Reports", "People",
                              "Integrations"])
    # The cookie is HttpOnly: no script on the page can read the session.
    assert page.evaluate("document.cookie") == ""
    page.goto(f"{office.url}/office/#/tokens")
    loaded(page)
    expect(page.locator("#view h1")).to_have_text("Dashboard")
    page.goto(f"{office.url}/office/#/people/staff")
    loaded(page)
    expect(page.locator("#view h1")).to_have_text("Customers")
    page.goto(f"{office.url}/office/#/integrations/webshop")
    loaded(page)
    expect(page.locator("#settings")).to_have_count(0)

    page.click("#sign-out")
    expect(page.locator("#signin")).to_be_visible()
    page.reload()
    expect(page.locator("#signin")).to_be_visible()


def test_an_admin_signs_in_with_a_token_and_sees_every_screen(page: Page, office: OfficeStore,
                                                              shots: Path) -> None:
    sign_in(page, url=office.url, name=ADMIN, password=ADMIN_PASSWORD)
    expect(page.locator("#nav a")).to_have_count(8)
    page.click("#sign-out")
    token = tokens.create_token(office.ctx, role="admin", name="laptop")
    page.click("#signin details summary")
    page.fill("#token-form [name=token]", token)
    page.click("#token-button")
    expect(page.locator("#who")).to_contain_text("laptop · admin")
    expect(page.locator("#nav a", has_text="API tokens")).to_be_visible()
