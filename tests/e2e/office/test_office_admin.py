"""An admin in the back office, in Chromium: API tokens made (the secret shown once),
listed and revoked; staff added, given a role, a PIN and a password, deactivated; a
register paired; a connection's settings, secrets by name only."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page, expect

from support.office_store import ADMIN, ADMIN_PASSWORD, SHOP, OfficeStore
from support.office_ui import loaded, open_screen, sign_in
from tillflow.services import office_sessions, staff_admin, tokens

# One served store per module: its tests run on one xdist worker.
pytestmark = pytest.mark.xdist_group("office-admin")


def test_an_admin_makes_and_revokes_a_token(page: Page, office: OfficeStore,
                                            shots: Path) -> None:
    sign_in(page, url=office.url, name=ADMIN, password=ADMIN_PASSWORD)
    open_screen(page, "#/tokens")
    page.fill("#token-form [name=name]", "web shop bridge")
    page.select_option("#token-form [name=role]", "integration")
    page.click("#token-form button[type=submit]")
    secret = page.locator("#token-secret").inner_text()
    assert secret.startswith(tokens.TOKEN_PREFIX)
    assert tokens.authenticate(office.ctx, secret) is not None
    page.screenshot(path=shots / "token-created.png", full_page=True)
    page.click("#new-token button")  # done: the secret is gone from the page
    loaded(page)
    expect(page.locator("#token-secret")).to_have_count(0)
    row = page.locator("#tokens-table tbody tr", has_text="web shop bridge")
    expect(row).to_contain_text("integration")
    page.screenshot(path=shots / "tokens.png", full_page=True)

    page.once("dialog", Dialog.accept)
    row.locator("button", has_text="Revoke").click()
    loaded(page)
    expect(page.locator("#tokens-table tbody tr", has_text="web shop bridge")).to_have_count(0)
    assert tokens.authenticate(office.ctx, secret) is None


def test_an_admin_manages_staff_and_pairs_a_register(page: Page, office: OfficeStore,
                                                     shots: Path) -> None:
    sign_in(page, url=office.url, name=ADMIN, password=ADMIN_PASSWORD)
    open_screen(page, "#/people/staff")
    page.fill("#staff-add [name=name]", "Noor")
    page.select_option("#staff-add [name=role]", "cashier")
    page.fill("#staff-add [name=pin]", "12")
    page.click("#staff-add button[type=submit]")
    expect(page.locator("#staff-add [name=pin]")).to_have_attribute("aria-invalid", "true")
    page.fill("#staff-add [name=pin]", "1357")
    page.click("#staff-add button[type=submit]")
    loaded(page)
    row = page.locator("#staff-table tbody tr", has_text="Noor")
    expect(row).to_contain_text("yes")

    row.locator("select").select_option("manager")
    loaded(page)
    row = page.locator("#staff-table tbody tr", has_text="Noor")
    row.locator("button", has_text="Set password").click()
    page.fill("dialog [name=password]", "noor-manages-it-1")
    page.click("dialog button[type=submit]")
    expect(page.locator("dialog .notice")).to_contain_text("Saved")
    signed_in = office_sessions.sign_in_with_password(
        office.ctx, name="Noor", password="noor-manages-it-1", client="127.0.0.1")
    assert signed_in.session.role == "manager"
    page.wait_for_selector("dialog", state="detached")

    page.fill("#pair-form [name=register]", "R2")
    page.click("#pair-form button[type=submit]")
    expect(page.locator("#pairing-token .secret")).to_contain_text("tfr_")
    page.screenshot(path=shots / "staff.png", full_page=True)

    page.locator("#staff-table tbody tr", has_text="Noor").locator(
        "button", has_text="Deactivate").click()
    loaded(page)
    expect(page.locator("#staff-table tbody tr", has_text="Noor")).to_contain_text("no")
    [noor] = [m for m in staff_admin.list_staff(office.ctx) if m.name == "Noor"]
    assert (noor.role, noor.active) == ("manager", False)


def test_an_admin_reads_a_connections_settings(page: Page, office: OfficeStore,
                                               shots: Path) -> None:
    sign_in(page, url=office.url, name=ADMIN, password=ADMIN_PASSWORD)
    open_screen(page, f"#/integrations/{SHOP}")
    expect(page.locator("#settings pre")).to_contain_text("shop_url")
    expect(page.locator("#settings")).to_contain_text("access_token")
    expect(page.locator("#settings")).not_to_contain_text('"t"')
    page.screenshot(path=shots / "integration-settings.png", full_page=True)
