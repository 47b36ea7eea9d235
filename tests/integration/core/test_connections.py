"""Connections: validated per platform, secrets sealed and never returned."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from support.api import Api
from support.databases import row_counts
from tillflow.db.uow import engine_of
from tillflow.services.connections import connection_secrets

SECRET = "shpat_0123456789abcdef-very-secret"


def shop(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "shop", "platform": "shopify",
        "settings": {"shop_url": "http://127.0.0.1:9", "location": "S1"},
        "secrets": {"access_token": SECRET, "webhook_secret": "whsec-also-secret"},
    }
    body.update(overrides)
    return body


def test_secrets_go_in_sealed_and_never_come_out(api: Api) -> None:
    created = api.ok(api.post("/connections", shop()), 201)
    assert created == {"name": "shop", "platform": "shopify",
                       "settings": {"shop_url": "http://127.0.0.1:9", "location": "S1"},
                       "secrets": ["access_token", "webhook_secret"], "version": 1}
    for response in (api.get("/connections/shop"), api.get("/connections"),
                     api.get("/events", after=0)):
        assert SECRET not in response.text
    with engine_of(api.ctx.store).connect() as connection:
        stored = connection.execute(text("SELECT secrets FROM connections")).scalar_one()
    assert SECRET not in stored
    assert connection_secrets(api.ctx, "shop")["access_token"] == SECRET


def test_patch_rotates_one_secret_and_keeps_the_rest(api: Api) -> None:
    api.ok(api.post("/connections", shop()), 201)
    patched = api.ok(api.patch("/connections/shop", {"secrets": {"access_token": "new"},
                                                     "settings": {"safety_buffer": 2}}))
    assert patched["version"] == 2
    assert patched["settings"]["safety_buffer"] == 2
    opened = connection_secrets(api.ctx, "shop")
    assert opened == {"access_token": "new", "webhook_secret": "whsec-also-secret"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"platform": "myspace"}, "platform"),
        ({"settings": {}}, "settings.shop_url"),
        ({"settings": {"shop_url": "x", "colour": "red"}}, "settings.colour"),
        ({"settings": {"shop_url": "x", "mode": "prod"}}, "settings.mode"),
        ({"secrets": {}}, "secrets.access_token"),
        ({"secrets": {"access_token": "", "webhook_secret": "x"}}, "secrets.access_token"),
        ({"secrets": {"access_token": "x", "password": "y"}}, "secrets.password"),
        ({"secrets": {"access_token": 5}}, "secrets.access_token"),
        ({"name": "has space"}, "name"),
        ({"settings": {"shop_url": "ftp://shop"}}, "settings.shop_url"),
        ({"settings": {"shop_url": "https://s", "push_pos_sales": "no"}},
         "settings.push_pos_sales"),
        ({"settings": {"shop_url": "https://s", "safety_buffer": -1}}, "settings.safety_buffer"),
        ({"settings": {"shop_url": "https://s", "safety_buffer": "2"}}, "settings.safety_buffer"),
        ({"settings": {"shop_url": "https://s", "stock_master": "erp"}},
         "settings.stock_master"),
        ({"settings": {"shop_url": "https://s", "locations": {"gid://1": 5}}},
         "settings.locations"),
        ({"settings": {"shop_url": "https://s", "api_version": "2025-10"}},
         "settings.api_version"),
    ],
)
def test_bad_connections_are_refused(api: Api, overrides: dict[str, Any], field: str) -> None:
    before = row_counts(engine_of(api.ctx.store))
    response = api.post("/connections", shop(**overrides))
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"]["field"] == field
    assert SECRET not in response.text
    assert row_counts(engine_of(api.ctx.store)) == before


def test_a_bad_setting_in_a_patch_changes_nothing(api: Api) -> None:
    api.ok(api.post("/connections", shop()), 201)
    response = api.patch("/connections/shop", {"settings": {"push_pos_sales": 0}})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"]["field"] == "settings.push_pos_sales"
    assert api.ok(api.get("/connections/shop"))["version"] == 1


def test_duplicates_unknowns_and_roles(api: Api) -> None:
    api.ok(api.post("/connections", shop()), 201)
    assert api.post("/connections", shop()).status_code == 409
    assert api.get("/connections/nope").status_code == 404
    assert api.post("/connections", shop(name="other"), role="manager").status_code == 403
    assert api.get("/connections/shop", role="integration").status_code == 403


def test_a_connection_shows_its_health(api: Api) -> None:
    api.ok(api.post("/connections", shop()), 201)
    api.ok(api.post("/connections", {"name": "stripe", "platform": "stripe",
                                     "secrets": {"api_key": "sk_test_x"}}), 201)
    api.ok(api.post("/connections", {"name": "erp", "platform": "tryton",
                                     "settings": {"url": "http://127.0.0.1:9/db/",
                                                  "database": "db"},
                                     "secrets": {"username": "u", "password": "p"}}), 201)
    gateway = api.ok(api.get("/connections/stripe"))
    assert (gateway["state"], gateway["pending"], gateway["failed"]) == ("ok", 0, 0)
    ledger = api.ok(api.get("/connections/erp"))
    assert (ledger["state"], ledger["pending"], ledger["last_error"]) == ("ok", 0, None)
    shop_view = api.ok(api.get("/connections/shop"))
    assert shop_view["name"] == "shop"
    assert "state" in shop_view
