"""The register's files are served at /register/ and the service worker keeps all of them."""

from __future__ import annotations

import re

from support.api import Api
from tillflow.web import STATIC


def _cached_by_service_worker() -> set[str]:
    source = (STATIC / "sw.js").read_text()
    listed = re.search(r"const FILES = \[(.*?)\];", source, re.DOTALL)
    assert listed is not None
    return set(re.findall(r'"([^"]+)"', listed.group(1)))


def test_every_register_file_is_served_and_kept_for_offline_use(api: Api) -> None:
    cached = _cached_by_service_worker()
    shipped = {str(path.relative_to(STATIC)) for path in STATIC.rglob("*")
               if path.is_file() and path.name != "sw.js"}
    assert shipped <= cached, f"not kept offline: {shipped - cached}"
    for name in cached:
        response = api.client.get(f"/register/{name}")
        assert response.status_code == 200, name
    page = api.client.get("/register/")
    assert 'src="js/main.js"' in page.text
    assert api.client.get("/register", follow_redirects=False).status_code == 307
