"""Debian's Chromium driven by Playwright against a served store, one per test module."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page

from support.databases import fresh_sqlite
from support.office_store import OfficeStore, running_office

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "office"


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
    return {**browser_context_args, "viewport": {"width": 1280, "height": 860},
            "accept_downloads": True}


@pytest.fixture(scope="module")
def office(_sqlite_template: Path,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[OfficeStore]:
    folder = tmp_path_factory.mktemp("office")
    with running_office(fresh_sqlite(_sqlite_template, folder)) as running:
        yield running


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    folder = ARTIFACTS / str(request.node.originalname).removeprefix("test_")
    # Only this run's screens: a renamed or dropped screenshot does not linger.
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture(autouse=True)
def no_script_errors(page: Page) -> Iterator[None]:
    """The back office runs under the server's Content-Security-Policy: a script, style or
    connection it blocks, or a script error, fails the test."""
    problems: list[str] = []

    def read(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            problems.append(message.text)

    page.on("console", read)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield
    assert problems == []
