"""The Magento channel against the simulated store: Magento's answers mapped to what the
sync engine does next, with Magento's own message, and what Open Source cannot do."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from support.waiting import wait_until
from tillflow.connectors.magento.adapter import MagentoChannel
from tillflow.connectors.magento.auth import OAuth1
from tillflow.connectors.magento.client import MagentoClient, NotFound
from tillflow.connectors.magento.factory import magento_channel
from tillflow.ports.commerce import (
    BadWebhook,
    Buyer,
    PosSale,
    ProductData,
    Rejected,
    Retryable,
    StockTarget,
)
from tillflow_simulators.magento import MagentoSimulator


def _oauth(sim: MagentoSimulator) -> dict[str, str]:
    held = sim.integration
    return {"consumer_key": held.consumer_key, "consumer_secret": held.consumer_secret,
            "access_token": held.access_token,
            "access_token_secret": held.access_token_secret}


@pytest.fixture
def channel(magento: MagentoSimulator) -> Iterator[MagentoChannel]:
    """Signed with OAuth 1.0a."""
    made = magento_channel({"shop_url": magento.url}, _oauth(magento))
    yield made
    made.close()


def _product(sku: str) -> ProductData:
    return ProductData(sku=sku, title=sku, price=Decimal("3.50"), barcode=None,
                       status="active", available=2)


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_throttling_and_server_errors_are_retried_with_magentos_message(
        magento: MagentoSimulator, channel: MagentoChannel, status: int) -> None:
    magento.fail_next(status, retry_after=7 if status == 429 else None)
    with pytest.raises(Retryable) as caught:
        channel.stock(["ANY"], "default")
    assert str(status) in str(caught.value)
    assert caught.value.retry_after == (7 if status == 429 else None)


def test_a_refused_input_is_rejected_with_magentos_message_filled_in(
        channel: MagentoChannel) -> None:
    with pytest.raises(Rejected) as caught:
        channel.client.call("POST", "/V1/products", store="all",
                            json_body={"product": {"sku": "CH-NONAME", "price": 1}})
    assert "400" in str(caught.value)
    assert '"name"' in str(caught.value) or "name" in str(caught.value)
    assert "%" not in str(caught.value)


def test_unknown_entities_are_not_found(channel: MagentoChannel) -> None:
    assert channel.order("999999") is None
    assert channel.customer("999999") is None
    assert channel.product("999999") == []
    with pytest.raises(NotFound):
        channel.client.call("GET", "/V1/products/CH-NOWHERE")


def test_a_wrong_signature_or_token_is_rejected_not_retried(magento: MagentoSimulator) -> None:
    signed_badly = magento_channel({"shop_url": magento.url},
                                   {**_oauth(magento), "consumer_secret": "x" * 32})
    with pytest.raises(Rejected, match="signature is invalid"):
        signed_badly.stock(["ANY"], "default")
    signed_badly.close()
    stranger = magento_channel({"shop_url": magento.url}, {"access_token": "nobody"})
    with pytest.raises(Rejected, match="401") as caught:
        stranger.stock(["ANY"], "default")
    assert "standalone Bearer tokens" in str(caught.value)  # the store setting to check
    stranger.close()


def test_the_bearer_token_and_the_oauth_signature_reach_the_same_store(
        magento: MagentoSimulator, channel: MagentoChannel) -> None:
    assert magento.access_token is not None
    bearer = magento_channel({"shop_url": magento.url},
                             {"access_token": magento.access_token})
    made = bearer.upsert_product(_product("CH-BOTH"))
    assert [p.sku for p in channel.product(made.external_id)] == ["CH-BOTH"]
    assert channel.stock(["CH-BOTH"], "default") == {"CH-BOTH": 2}
    bearer.close()


def test_a_source_the_sku_is_not_on_yet_is_assigned_by_the_write(
        magento: MagentoSimulator, channel: MagentoChannel) -> None:
    magento.add_source("shelf-2", "Second shelf")
    channel.upsert_product(_product("CH-SRC"))
    assert channel.stock(["CH-SRC"], "shelf-2") == {"CH-SRC": 0}
    channel.set_stock([StockTarget("CH-SRC", "shelf-2", 4, 0)], idempotency_key="k")
    assert magento.source_quantity("CH-SRC", "shelf-2") == 4
    with pytest.raises(Rejected, match="400"):  # Magento's own refusal, in its words
        channel.set_stock([StockTarget("CH-SRC", "nowhere", 1, None)], idempotency_key="k")
    with pytest.raises(Rejected, match="not in the Magento catalog"):
        channel.set_stock([StockTarget("CH-NONE", "default", 1, None)], idempotency_key="k")


def test_open_source_has_no_webhooks_and_records_no_till_sales(
        channel: MagentoChannel) -> None:
    assert channel.ensure_webhooks("http://127.0.0.1:9/webhooks/m") == []
    with pytest.raises(BadWebhook):
        channel.read_webhook({}, b"{}")
    sale = PosSale(source_id="tillflow-sale-x", number="R1-1", placed_at="2026-01-01T00:00:00Z",
                   currency="USD", total=Decimal(1), lines=())
    with pytest.raises(Rejected, match="push_pos_sales"):
        channel.push_sale(sale)


def test_check_names_a_source_the_website_does_not_sell_from(
        magento: MagentoSimulator) -> None:
    magento.add_source("back-room", "Back room", stock_id=99)
    other = magento_channel({"shop_url": magento.url, "source": "back-room"}, _oauth(magento))
    result = other.check("http://127.0.0.1:9/webhooks/m")
    other.close()
    assert not result.ok
    assert "back-room" in result.problems[0]


def test_a_create_whose_answer_was_lost_is_found_on_the_retry_not_made_twice(
        magento: MagentoSimulator) -> None:
    held = magento.integration
    impatient = MagentoChannel(
        MagentoClient(magento.url, timeout=0.5, auth=OAuth1(
            consumer_key=held.consumer_key, consumer_secret=held.consumer_secret,
            access_token=held.access_token, access_token_secret=held.access_token_secret)),
        source="default", website="base", barcode_attribute=None)
    buyer = Buyer("lost@example.com", None, "Lu", "Lost")
    impatient.upsert_customer(Buyer("warm@example.com", None, "W", "U"), None)  # store facts
    magento.slow_next(1.5, path_prefix="/rest/default/V1/customers", method="POST")
    with pytest.raises(Retryable):
        impatient.upsert_customer(buyer, None)
    wait_until(lambda: "lost@example.com" in _emails(magento), timeout=10,
               message="Magento never made the account whose answer was lost")
    again = impatient.upsert_customer(buyer, None)
    assert not again.created
    assert _emails(magento).count("lost@example.com") == 1
    magento.slow_next(1.5, path_prefix="/rest/all/V1/products", method="POST")
    with pytest.raises(Retryable):
        impatient.upsert_product(_product("CH-LOST"))
    wait_until(lambda: magento.store.product("CH-LOST") is not None, timeout=10,
               message="Magento never made the product whose answer was lost")
    assert not impatient.upsert_product(_product("CH-LOST")).created
    impatient.close()


def _emails(magento: MagentoSimulator) -> list[str]:
    with magento.store.lock:
        return [c.email for c in magento.store.customers.values()]
