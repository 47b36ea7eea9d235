"""ERP connection settings are checked before anything is stored: 422, nothing written."""

from __future__ import annotations

from typing import Any

import certifi
import pytest

from support.api import Api

TRYTON = {"url": "http://127.0.0.1:9/tillflow/", "database": "tillflow"}
SECRETS = {"username": "admin", "password": "admin"}


def create(api: Api, platform: str, settings: dict[str, Any]) -> Any:
    secrets = SECRETS if platform == "tryton" else {"username": "admin", "api_key": "k"}
    return api.post("/connections", {"name": "erp", "platform": platform,
                                     "settings": settings, "secrets": secrets})


@pytest.mark.parametrize(("platform", "bad", "field"), [
    ("tryton", {"posting": "hourly"}, "settings.posting"),
    ("tryton", {"url": "ftp://erp/"}, "settings.url"),
    ("tryton", {"accounts": {"profit": "4.1.1"}}, "settings.accounts"),
    ("tryton", {"accounts": {"revenue": ""}}, "settings.accounts"),
    ("tryton", {"accounts": ["4.1.1"]}, "settings.accounts"),
    ("tryton", {"locations": {"S1": 7}}, "settings.locations"),
    ("tryton", {"sales": "order"}, "settings.sales"),
    ("tryton", {"payment_methods": {"card": None}}, "settings.payment_methods"),
    ("tryton", {"poll": ["everything"]}, "settings.poll"),
    ("tryton", {"poll_seconds": -1}, "settings.poll_seconds"),
    ("tryton", {"poll_seconds": True}, "settings.poll_seconds"),
    ("tryton", {"journal": " "}, "settings.journal"),
    ("tryton", {"catalog": "both"}, "settings.catalog"),
    ("odoo", {"catalog": None}, "settings.catalog"),
    ("odoo", {"protocol": "xmlrpc"}, "settings.protocol"),
    ("odoo", {"posting": "day"}, "settings.posting"),
    ("odoo", {"sales": "pos"}, "settings.sales"),
    ("odoo", {"payment_journals": {"cash": ""}}, "settings.payment_journals"),
    ("odoo", {"url": "http://erp.example.com/"}, "settings.url"),
    ("tryton", {"url": "http://10.0.0.5:8000/tillflow/"}, "settings.url"),
    ("odoo", {"url": "https:///tillflow"}, "settings.url"),
    ("odoo", {"ca_file": "/nonexistent/ca.pem"}, "settings.ca_file"),
    ("tryton", {"ca_file": "ca.pem"}, "settings.ca_file"),
])
def test_bad_settings_are_refused_and_nothing_is_stored(
        api: Api, platform: str, bad: dict[str, Any], field: str) -> None:
    refused = create(api, platform, {**TRYTON, **bad})
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert (error["code"], error["details"]["field"]) == ("validation_error", field)
    assert api.get("/connections/erp").status_code == 404


def test_a_bad_change_leaves_the_connection_as_it_was(api: Api) -> None:
    good = {**TRYTON, "posting": "shift", "accounts": {"tender:card": "1.1.8"},
            "locations": {"S1": "STO"}, "sales": "move", "party": "Walk-in customer",
            "payment_methods": {"card": "Card"}, "poll": ["receipts"], "poll_seconds": 0,
            "catalog": "erp"}
    api.ok(create(api, "tryton", good), 201)
    refused = api.patch("/connections/erp", {"settings": {"posting": "weekly"}})
    assert refused.status_code == 422
    assert refused.json()["error"]["details"]["field"] == "settings.posting"
    assert api.ok(api.get("/connections/erp"))["settings"] == good
    api.ok(api.patch("/connections/erp", {"settings": {"posting": "sale"}}))
    assert api.ok(api.get("/connections/erp"))["settings"]["posting"] == "sale"


@pytest.mark.parametrize("platform", ["tryton", "odoo"])
def test_an_erp_is_https_unless_on_loopback_with_a_ca_file_of_its_own(
        api: Api, platform: str) -> None:
    """Plain http crosses no network on loopback; elsewhere the keys would travel in
    clear. A private authority's certificates (here: a PEM bundle) are the connection's."""
    refused = create(api, platform, {**TRYTON, "url": "http://erp.example.com/tillflow/"})
    assert "https://" in refused.json()["error"]["message"]
    secrets = SECRETS if platform == "tryton" else {"username": "admin", "api_key": "k"}
    for name, url in (("erp1", "http://localhost:9/tillflow/"),
                      ("erp2", "https://127.0.0.1:9/tillflow/")):
        made = api.ok(api.post("/connections", {
            "name": name, "platform": platform, "secrets": secrets,
            "settings": {**TRYTON, "url": url, "ca_file": certifi.where()}}), 201)
        assert made["settings"]["ca_file"] == certifi.where()
