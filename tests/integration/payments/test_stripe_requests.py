"""What tillflow asks Stripe when an answer was lost or a day is reconciled, checked
against the request shapes Stripe documents; and what localstripe alone cannot show.

localstripe answers card payments, refunds and paged lists, but ignores Idempotency-Key,
has no Search API and refuses ``created`` filters on PaymentIntents. support.stripe_shapes
adds those three over localstripe's data and records every request, so these tests check
the exact method, path, query and headers of each call.
"""

import time
import uuid
from collections.abc import Iterator

import pytest
import stripe

from support.stripe_shapes import StripeShapes, stripe_shapes
from tillflow.connectors.stripe.gateway import METADATA_KEY, StripeGateway
from tillflow.ports.payments import GatewayState, PaymentOrder

TEST_KEY = "sk_test_tillflow"
DAY = 24 * 3600


@pytest.fixture
def shapes(localstripe: str) -> Iterator[tuple[StripeShapes, str]]:
    with stripe_shapes(localstripe) as running:
        yield running


def _gateway(url: str, *, later: float = 0.0, page_size: int = 100) -> StripeGateway:
    return StripeGateway(api_key=TEST_KEY, api_base=url, page_size=page_size,
                         clock=lambda: time.time() + later)


def _order(amount: int = 550) -> PaymentOrder:
    return PaymentOrder(payment_id=str(uuid.uuid4()), amount=amount, currency="EUR",
                        source="pm_card_visa")


def test_a_lost_creation_is_repeated_with_its_key_and_stripe_replays_it(
        shapes: tuple[StripeShapes, str]) -> None:
    recorder, url = shapes
    gateway, order = _gateway(url), _order()
    reference = gateway.start(order, idempotency_key="sale-k-s")

    found = gateway.find(order, idempotency_key="sale-k-s", sent_at=int(time.time()))
    gateway.close()

    assert found is not None
    assert (found.reference, found.state, found.payment_id) == (
        reference, GatewayState.OPEN, order.payment_id)
    first, again = recorder.seen("POST", "/v1/payment_intents")
    assert first.headers["idempotency-key"] == again.headers["idempotency-key"] == "sale-k-s"
    assert first.form == again.form
    assert again.form[f"metadata[{METADATA_KEY}]"] == [order.payment_id]
    assert recorder.seen("GET", "/v1/payment_intents") == []
    assert recorder.seen("GET", "/v1/payment_intents/search") == []


def test_after_the_replay_window_the_search_api_finds_it_by_metadata(
        shapes: tuple[StripeShapes, str]) -> None:
    recorder, url = shapes
    order, starting = _order(), _gateway(url)
    reference = starting.start(order, idempotency_key="sale-m-s")
    starting.close()
    gateway = _gateway(url, later=DAY + 60)

    found = gateway.find(order, idempotency_key="sale-m-s", sent_at=int(time.time()))
    missing = gateway.find(_order(), idempotency_key="never-sent", sent_at=0)
    gateway.close()

    assert found is not None
    assert found.reference == reference
    assert missing is None
    searched = recorder.seen("GET", "/v1/payment_intents/search")
    assert searched[0].query["query"] == [f"metadata['{METADATA_KEY}']:'{order.payment_id}'"]
    assert len(recorder.seen("POST", "/v1/payment_intents")) == 1
    assert recorder.seen("GET", "/v1/payment_intents") == []


def test_reconciliation_reads_one_created_range_page_by_page(
        shapes: tuple[StripeShapes, str]) -> None:
    recorder, url = shapes
    gateway = _gateway(url, page_size=2)
    made = []
    for amount in (100, 200, 300, 400, 500):
        order = _order(amount)
        reference = gateway.start(order, idempotency_key=f"k{amount}")
        gateway.authorize(reference, order, idempotency_key=f"k{amount}-a")
        made.append(gateway.capture(reference, amount=amount, idempotency_key=f"k{amount}-c"))
    gateway.refund(made[0].reference, amount=40, idempotency_key="r1")
    since, until = int(time.time()) - 600, int(time.time()) + 600

    listed = {p.reference: p for p in gateway.list_payments(since=since, until=until)}
    future = gateway.list_payments(since=until, until=until + DAY)
    gateway.close()

    assert set(listed) == {p.reference for p in made}
    assert (listed[made[0].reference].captured, listed[made[0].reference].refunded) == (100, 40)
    assert listed[made[0].reference].fee == 0  # localstripe's balance transactions keep none
    assert future == []
    pages = recorder.seen("GET", "/v1/payment_intents")[:3]
    for page in pages:
        assert (page.query["created[gte]"], page.query["created[lt]"]) == (
            [str(since)], [str(until)])
        assert page.query["limit"] == ["2"]
        assert page.query["expand[0]"] == ["data.latest_charge.balance_transaction"]
    assert "starting_after" not in pages[0].query
    assert all(len(page.query["starting_after"]) == 1 for page in pages[1:])
    assert len(recorder.seen("GET", "/v1/payment_intents")) == 3 + 1  # + the future day
    assert recorder.seen("GET", "/v1/refunds") == []


def test_localstripe_alone_lacks_search_and_created_ranges(localstripe: str) -> None:
    client = stripe.StripeClient(TEST_KEY, base_addresses={"api": localstripe},
                                 max_network_retries=0)

    with pytest.raises(stripe.InvalidRequestError):
        client.v1.payment_intents.search(params={"query": "metadata['a']:'b'"})
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.payment_intents.list(params={"created": {"gte": 0, "lt": 1}})
