"""Driving the back office the way a manager does."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def sign_in(page: Page, *, url: str, name: str, password: str) -> None:
    page.goto(f"{url}/office/")
    page.fill("#signin-form [name=name]", name)
    page.fill("#signin-form [name=password]", password)
    page.click("#signin-button")
    expect(page.locator("#who")).to_contain_text(name)


def open_screen(page: Page, hash_path: str) -> None:
    """Go to a screen (or draw the current one again) and wait until all of it has loaded."""
    page.evaluate("""(hash) => {
        document.getElementById("view").dataset.screen = "";
        if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
        else location.hash = hash;
    }""", hash_path)
    loaded(page)


def loaded(page: Page) -> None:
    """The screen is drawn (``data-screen`` set) and none of its panels still loads."""
    page.wait_for_function(
        "() => { const v = document.getElementById('view');"
        " return v.dataset.screen && !v.querySelector('[data-pending]'); }")
