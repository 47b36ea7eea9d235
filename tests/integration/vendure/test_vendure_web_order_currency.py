"""A Vendure order in a currency the store does not book is a dead letter: a store in
euros connected to the peer's dollar channel."""

from __future__ import annotations

import pytest

from support.sync import synced_store
from support.vendure_peer import WEBHOOK_SECRET, Vendure
from support.vendure_shop import checkout, variants
from support.web_orders import dead_letter_for, recorded_rows
from tillflow.domain.money import Currency
from tillflow.domain.store import StoreConfig
from tillflow.services.context import ServiceContext

SETTINGS = """{ activeChannel { defaultCurrencyCode } }"""


@pytest.fixture
def store_config() -> StoreConfig:
    return StoreConfig(currency=Currency.of("EUR"))


def test_an_order_in_another_currency_is_a_dead_letter(
        ctx: ServiceContext, vendure: Vendure) -> None:
    with vendure.admin() as admin:
        shop_currency = admin.execute(SETTINGS)["activeChannel"]["defaultCurrencyCode"]
    assert shop_currency != "EUR"
    with synced_store(ctx) as store:
        vendure.attach(store.url)
        api = store.api
        api.location("S1")
        api.product("VC-EUR-1", "3.00")
        api.stock("VC-EUR-1", "S1", 5)
        api.ok(api.post("/connections", {
            "name": "vendure", "platform": "vendure",
            "settings": {"shop_url": vendure.peer.url, "location": "S1"},
            "secrets": {"api_key": vendure.api_key, "webhook_secret": WEBHOOK_SECRET}}), 201)
        store.work(until=lambda: _variant(vendure) is not None)
        store.settle()
        before = recorded_rows(api, customers=False)
        order_id = checkout(vendure.peer.url, [(str(_variant(vendure)), 1)],
                            email="eu@example.com")
        store.work(until=lambda: dead_letter_for(api, "vendure", order_id) is not None)
        dead = dead_letter_for(api, "vendure", order_id)
        assert dead is not None
        assert f"in {shop_currency}, the store books EUR" in dead["reason"]
        assert recorded_rows(api, customers=False) == before


def _variant(vendure: Vendure) -> str | None:
    with vendure.admin() as admin:
        found = variants(admin, ["VC-EUR-1"]).get("VC-EUR-1")
    return None if found is None else str(found["id"])
