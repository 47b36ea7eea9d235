"""Card-present sales through a Stripe reader (server-driven flow): tillflow's reader
simulator in front of localstripe. The register sends the same sale again until the
reader has an outcome. PostgreSQL."""

from collections.abc import Iterator

import pytest
import stripe

from support.api import Api
from support.card_shop import TEST_KEY, CardShop, card_shop
from tillflow_simulators.stripe_terminal.server import RunningStripeTerminal

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)


@pytest.fixture
def terminal(localstripe: str) -> Iterator[RunningStripeTerminal]:
    with RunningStripeTerminal(upstream_url=localstripe) as running:
        yield running


@pytest.fixture
def reader(terminal: RunningStripeTerminal) -> tuple[stripe.StripeClient, str]:
    client = stripe.StripeClient(TEST_KEY, base_addresses={"api": terminal.url},
                                 max_network_retries=0)
    created = client.v1.terminal.readers.create(params={
        "registration_code": "simulated-wpe", "label": "Till 1", "location": "tml_1"})
    return client, created.id


@pytest.fixture
def shop(api: Api, terminal: RunningStripeTerminal) -> Iterator[CardShop]:
    with card_shop(api, terminal.url) as built:
        yield built


def _present(reader: tuple[stripe.StripeClient, str], number: str) -> None:
    client, reader_id = reader
    client.v1.test_helpers.terminal.readers.present_payment_method(
        reader_id, params={"card_present": {"number": number}})


def test_tap_then_the_same_request_completes_the_sale(
        shop: CardShop, reader: tuple[stripe.StripeClient, str]) -> None:
    tender = {"method": "card", "amount": "5.50", "connection": "stripe", "terminal": reader[1]}

    waiting = shop.sell(tender, key="tap")
    _present(reader, "4242424242424242")
    sale = shop.api.ok(shop.sell(tender, key="tap"), 201)

    assert waiting.json()["error"]["code"] == "payment_in_progress"
    assert sale["payments"][0]["status"] == "captured"
    intent = reader[0].v1.payment_intents.retrieve(sale["payments"][0]["reference"])
    assert intent.status == "succeeded"


def test_declined_tap_then_cash(shop: CardShop, reader: tuple[stripe.StripeClient, str]) -> None:
    tender = {"method": "card", "amount": "5.50", "connection": "stripe", "terminal": reader[1]}

    shop.sell(tender, key="decline")
    _present(reader, "4000000000000002")
    declined = shop.sell(tender, key="decline")
    cash = shop.sell({"method": "cash", "amount": "5.50"}, key="decline")

    assert declined.json()["error"]["code"] == "payment_declined"
    assert cash.status_code == 201


def test_the_register_cancels_a_tap_it_waits_for(
        shop: CardShop, reader: tuple[stripe.StripeClient, str]) -> None:
    tender = {"method": "card", "amount": "5.50", "connection": "stripe", "terminal": reader[1]}

    waiting = shop.sell(tender, key="cancel")
    cancelled = shop.api.post("/payments/terminals/R1/cancel", role="cashier")
    again = shop.sell(tender, key="cancel")
    cash = shop.sell({"method": "cash", "amount": "5.50"}, key="cancel")

    assert waiting.json()["error"]["code"] == "payment_in_progress"
    assert shop.api.ok(cancelled)["cancel_requested"] is True
    assert again.json()["error"]["code"] == "payment_declined"
    assert again.json()["error"]["details"]["decline_code"] == "cancelled"
    assert cash.status_code == 201
    client, reader_id = reader
    action = client.v1.terminal.readers.retrieve(reader_id).action
    assert action is not None
    assert action.status == "failed"
    intents = client.v1.payment_intents.list().data
    assert [intent.status for intent in intents] == ["canceled"]
