"""Driving the browser register the way a cashier does: pair, sign in, scan, pay."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect


def pair_and_sign_in(page: Page, *, url: str, pairing: str, name: str, pin: str,
                     agent_url: str | None = None, agent_token: str | None = None,
                     shots: Path | None = None) -> None:
    """``shots``: a folder to save the pairing and sign-in screens in."""
    page.goto(f"{url}/register/")
    page.fill("#pair-token", pairing)
    if agent_url is not None and agent_token is not None:
        page.click("#pair summary")
        page.fill("#agent-url", agent_url)
        page.fill("#agent-token", agent_token)
    if shots is not None:
        page.screenshot(path=shots / "pair.png")
    page.click("#pair-button")
    page.click(f"#staff-list button[data-name='{name}']")
    for digit in pin:
        page.click(f"#pinpad button:text-is('{digit}')")
    if shots is not None:
        page.screenshot(path=shots / "sign-in.png")
    page.click("#signin-button")
    expect(page.locator("#who")).to_contain_text(name)
    page.wait_for_selector("#sell:not([hidden]), #shift-open:not([hidden])")


def scan(page: Page, code: str) -> None:
    """A keyboard-wedge scanner: the digits in a fast burst, then Enter."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def wait_for_service_worker(page: Page) -> None:
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def pay_exact_cash(page: Page) -> None:
    page.keyboard.press("F9")
    page.locator("#quick-cash button").first.click()
    page.click("#complete-sale")
    expect(page.locator("#done")).to_be_visible()


def ready_to_sell(page: Page, *, opening_float: str = "100.00") -> None:
    """On the selling screen, opening the register's shift first if none is open."""
    page.wait_for_selector("#sell:not([hidden]), #shift-open:not([hidden])")
    if page.locator("#shift-open").is_visible():
        page.fill("#opening-float", opening_float)
        page.click("#open-shift-button")
    expect(page.locator("#sell")).to_be_visible()


def manager_approves(page: Page, *, name: str = "Max", pin: str = "9876") -> None:
    """The manager chosen from the approval dialog's list types their PIN."""
    page.select_option("#dialog-name", name)
    page.fill("#dialog-pin", pin)
    page.click("#dialog-ok")
