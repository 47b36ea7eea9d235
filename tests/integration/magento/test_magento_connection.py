"""Making a Magento connection: the secrets that go together, the settings Magento takes,
and a refusal that names the field and stores nothing."""

from __future__ import annotations

from typing import Any

import pytest

from support.api import Api

URL = "http://127.0.0.1:9"
OAUTH = {"consumer_key": "k" * 32, "consumer_secret": "s" * 32, "access_token": "t" * 32,
         "access_token_secret": "u" * 32}


def _connect(api: Api, settings: dict[str, Any], secrets: dict[str, str]) -> Any:
    return api.post("/connections", {"name": "magento", "platform": "magento",
                                     "settings": {"shop_url": URL, "location": "S1",
                                                  **settings}, "secrets": secrets})


@pytest.mark.parametrize("secrets", [{"access_token": "t" * 32}, OAUTH],
                         ids=["bearer", "oauth"])
def test_a_connection_takes_a_bearer_token_or_the_four_oauth_credentials(
        api: Api, secrets: dict[str, str]) -> None:
    made = api.ok(_connect(api, {"source": "default"}, secrets), 201)
    assert made["settings"]["push_pos_sales"] is False  # Open Source cannot record them
    shown = api.ok(api.get("/connections/magento"))
    assert not set(secrets.values()) & {str(v) for v in shown.values()}


@pytest.mark.parametrize(("settings", "secrets", "field"), [
    ({}, {"access_token": "t", "consumer_key": "k"}, "secrets.consumer_secret"),
    ({}, {k: v for k, v in OAUTH.items() if k != "access_token_secret"},
     "secrets.access_token_secret"),
    ({}, {}, "secrets.consumer_key"),
    ({"push_pos_sales": True}, OAUTH, "settings.push_pos_sales"),
    ({"poll_interval": 0}, OAUTH, "settings.poll_interval"),
    ({"poll_interval": "60"}, OAUTH, "settings.poll_interval"),
    ({"source": ""}, OAUTH, "settings.source"),
    ({"website": 3}, OAUTH, "settings.website"),
    ({"shop_url": "http://shop.example.com"}, OAUTH, "settings.shop_url"),
], ids=["half-oauth", "no-token-secret", "nothing", "till-sales", "poll-too-often",
        "poll-text", "empty-source", "website-number", "plain-http"])
def test_a_bad_connection_is_refused_naming_the_field_and_nothing_is_stored(
        api: Api, settings: dict[str, Any], secrets: dict[str, str], field: str) -> None:
    refused = api.ok(_connect(api, settings, secrets), 422)
    assert refused["error"]["code"] == "validation_error"
    assert refused["error"]["details"]["field"] == field
    api.ok(api.get("/connections/magento"), 404)
