"""Stripe webhooks: verified, deduplicated by event id, applied by re-reading the
PaymentIntent (so order does not matter), and able to arrive before the HTTP answer."""

import json
import time
import uuid
from collections.abc import Iterator

import httpx2 as httpx
import pytest
import stripe

from support.api import Api
from support.card_shop import WEBHOOK_SECRET, CardShop, card_shop
from support.dropping_proxy import DroppingProxy, dropping_proxy
from tillflow.connectors.stripe.webhooks import sign
from tillflow.services.payments import resolver
from tillflow.sync.consumers import ConsumerRunner

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)


@pytest.fixture
def shop(api: Api, localstripe: str) -> Iterator[tuple[CardShop, DroppingProxy]]:
    with dropping_proxy(localstripe) as (running, url), card_shop(api, url) as built:
        yield built, running


def _deliver(store: CardShop, event_type: str, intent_id: str, *, event_id: str | None = None,
             secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> httpx.Response:
    body = json.dumps({"id": event_id or f"evt_{uuid.uuid4().hex}", "type": event_type,
                       "data": {"object": {"id": intent_id, "object": "payment_intent"}}})
    signature = sign(body.encode(), secret, timestamp=timestamp)
    return store.api.client.post(f"/api/v1/payments/webhooks/{store.connection}",
                                 content=body, headers={"Stripe-Signature": signature})


def _resolve(store: CardShop) -> None:
    ConsumerRunner(store.api.ctx, [resolver.PaymentResolver()]).run_once()


def test_webhook_before_the_http_answer(shop: tuple[CardShop, DroppingProxy],
                                        stripe_client: stripe.StripeClient) -> None:
    store, proxy = shop
    proxy.drop_next("/confirm")
    lost = store.sell(store.card("5.50"), key="k").json()["error"]["details"]
    intent = stripe_client.v1.payment_intents.list().data[0]

    delivered = _deliver(store, "payment_intent.amount_capturable_updated", intent.id)
    _resolve(store)

    assert delivered.json() == {"status": "stored"}
    assert store.api.ok(store.api.get(f"/payments/{lost['payment']}"))["status"] == "authorized"
    sale = store.api.ok(store.sell(store.card("5.50"), key="k"), 201)
    assert sale["payments"][0]["reference"] == intent.id
    assert stripe_client.v1.payment_intents.retrieve(intent.id).status == "succeeded"
    assert len(stripe_client.v1.payment_intents.list().data) == 1


def test_duplicate_and_out_of_order_webhooks(shop: tuple[CardShop, DroppingProxy]) -> None:
    store, _ = shop
    sale = store.api.ok(store.sell(store.card("5.50")), 201)
    intent_id = sale["payments"][0]["reference"]

    answers = [_deliver(store, "payment_intent.succeeded", intent_id, event_id="evt_2"),
               _deliver(store, "payment_intent.succeeded", intent_id, event_id="evt_2"),
               _deliver(store, "payment_intent.amount_capturable_updated", intent_id,
                        event_id="evt_1")]
    _resolve(store)

    assert [a.json()["status"] for a in answers] == ["stored", "duplicate", "stored"]
    payment = store.api.ok(store.api.get(f"/payments/{sale['payments'][0]['payment_id']}"))
    assert payment["status"] == "captured"


@pytest.mark.parametrize(("secret", "age"), [("whsec_wrong", 0), (WEBHOOK_SECRET, 301),
                                             (WEBHOOK_SECRET, -301)])
def test_unsigned_or_stale_webhooks_are_refused(shop: tuple[CardShop, DroppingProxy],
                                                secret: str, age: int) -> None:
    store, _ = shop

    refused = _deliver(store, "payment_intent.succeeded", "pi_x", secret=secret,
                       timestamp=int(time.time()) - age)

    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthorized"


def test_answers_do_not_tell_which_connections_exist(
        shop: tuple[CardShop, DroppingProxy]) -> None:
    store, _ = shop
    refused = _deliver(store, "payment_intent.succeeded", "pi_x", secret="whsec_wrong")
    body = b'{"id": "evt_1"}'
    for name in ("nobody", "stripe-2"):
        unknown = store.api.client.post(f"/api/v1/payments/webhooks/{name}", content=body,
                                        headers={"Stripe-Signature": sign(body, "whsec_x")})
        assert (unknown.status_code, unknown.json()) == (401, refused.json())
