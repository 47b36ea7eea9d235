"""Debian's Chromium driven by Playwright, against a demo store served on loopback."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page

from support.databases import fresh_sqlite
from support.register_store import Store, running_store

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "register"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is missing: scripts/setup --dev installs it")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM)}


@pytest.fixture(scope="session")
def base_url() -> str | None:
    return None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1024, "height": 768}}


@pytest.fixture(scope="module")
def store(_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("register")
    with running_store(fresh_sqlite(_sqlite_template, folder), folder) as running:
        yield running


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    folder = ARTIFACTS / str(request.node.name)
    # Only this run's screens: a renamed or dropped screenshot does not linger.
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture(autouse=True)
def no_content_security_policy_violations(page: Page) -> Iterator[None]:
    """The register runs under the server's Content-Security-Policy: a script, style or
    connection it blocks is reported in the console, and fails the test."""
    blocked: list[str] = []

    def read(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            blocked.append(message.text)

    page.on("console", read)
    yield
    assert blocked == []
