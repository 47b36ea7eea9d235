"""The back office's files: served at /office/ under the security headers, all of them in
the package, none fetched from another host and no inline script."""

from __future__ import annotations

import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path

from support.api import Api
from tillflow.web import OFFICE

PACKAGE = OFFICE.parents[1]  # src/tillflow
PYPROJECT = PACKAGE.parents[1] / "pyproject.toml"


def _shipped() -> list[Path]:
    return [path for path in OFFICE.rglob("*") if path.is_file()]


def test_every_file_is_served_with_the_security_headers(api: Api) -> None:
    page = api.client.get("/office/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    for path in _shipped():
        name = path.relative_to(OFFICE).as_posix()
        response = api.client.get(f"/office/{name}")
        assert response.status_code == 200, name
        if name.endswith(".js"):
            assert "javascript" in response.headers["content-type"], name
    assert api.client.get("/office", follow_redirects=False).status_code == 307


def test_nothing_comes_from_another_host_and_no_script_is_inline() -> None:
    for path in _shipped():
        text = path.read_text()
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), path
        assert not re.search(r"""import[^;]*from\s+["']https?:""", text), path
    index = (OFFICE / "index.html").read_text()
    assert re.findall(r"<script[^>]*>([^<]+)</script>", index) == []
    assert re.search(r"\son[a-z]+=", index) is None  # no inline event handler


def test_the_package_ships_every_file() -> None:
    patterns = tomllib.loads(PYPROJECT.read_text())["tool"]["setuptools"]["package-data"][
        "tillflow"]
    for path in _shipped():
        name = path.relative_to(PACKAGE).as_posix()
        assert any(fnmatch(name, pattern) and name.count("/") == pattern.count("/")
                   for pattern in patterns), f"{name} is not in the package data"
