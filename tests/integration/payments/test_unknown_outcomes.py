"""Gateway answers lost after the gateway acted: resolved by looking up, never by charging
again. Stripe is localstripe (with Stripe's Idempotency-Key replays added by
support.stripe_shapes) behind a proxy that drops chosen responses; PostgreSQL."""

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx2 as httpx
import pytest
import stripe
from sqlalchemy import update

from support.api import Api
from support.card_shop import CardShop, card_shop
from support.dropping_proxy import DroppingProxy, dropping_proxy
from support.stripe_shapes import stripe_shapes
from tillflow.db.tables_payments import payments
from tillflow.db.uow import engine_of
from tillflow.services.payments import resolver
from tillflow.sync.consumers import ConsumerRunner

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)


@pytest.fixture
def shop(api: Api, localstripe: str) -> Iterator[tuple[CardShop, DroppingProxy]]:
    with stripe_shapes(localstripe) as (_, shaped), dropping_proxy(shaped) as (running, url), \
            card_shop(api, url) as built:
        yield built, running


def _charges(client: stripe.StripeClient) -> list[stripe.PaymentIntent]:
    return [i for i in client.v1.payment_intents.list().data
            if i.status in ("succeeded", "requires_capture")]


@pytest.mark.parametrize("lost", ["/confirm", "/v1/payment_intents"])
def test_lost_answer_then_retry_charges_once(shop: tuple[CardShop, DroppingProxy], lost: str,
                                             stripe_client: stripe.StripeClient) -> None:
    store, proxy = shop
    proxy.drop_next(lost)

    first = store.sell(store.card("5.50"), key="till-1")

    assert first.status_code == 409
    assert first.json()["error"]["code"] == "payment_outcome_unknown"
    assert proxy.dropped
    lost = first.json()["error"]["details"]["payment"]
    payment = store.api.ok(store.api.get(f"/payments/{lost}"))
    assert payment["status"] == "unknown"
    retried = store.api.ok(store.sell(store.card("5.50"), key="till-1"), 201)
    assert retried["payments"][0]["status"] == "captured"
    [charge] = _charges(stripe_client)
    assert (charge.id, charge.status) == (retried["payments"][0]["reference"], "succeeded")


def test_resolver_learns_the_outcome_and_the_register_is_told(
        shop: tuple[CardShop, DroppingProxy], stripe_client: stripe.StripeClient) -> None:
    store, proxy = shop
    proxy.drop_next("/confirm")
    lost = store.sell(store.card("5.50"), key="till-2").json()["error"]["details"]["payment"]

    ConsumerRunner(store.api.ctx, [resolver.PaymentResolver()]).run_once()

    assert store.api.ok(store.api.get(f"/payments/{lost}"))["status"] == "authorized"
    events = store.api.ok(store.api.get("/events", limit=500))["events"]
    assert [e["data"]["id"] for e in events if e["type"] == "payment.authorized"] == [lost]
    sale = store.api.ok(store.sell(store.card("5.50"), key="till-2"), 201)
    assert sale["payments"][0]["payment_id"] == lost
    assert len(_charges(stripe_client)) == 1


def test_double_submit_from_two_clients_charges_once(
        shop: tuple[CardShop, DroppingProxy], stripe_client: stripe.StripeClient) -> None:
    store, _ = shop
    answers: list[httpx.Response] = []
    start = threading.Barrier(2)

    def submit() -> None:
        start.wait()
        answers.append(store.sell(store.card("5.50"), key="twice"))

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = store.sell(store.card("5.50"), key="twice")

    assert sorted(a.status_code for a in answers) in ([201, 201], [201, 409]), [
        a.text for a in answers]
    assert final.status_code == 201
    assert {a.json()["id"] for a in [*answers, final] if a.status_code == 201} == {
        final.json()["id"]}
    assert len(_charges(stripe_client)) == 1


def test_capture_after_cancel_is_refused(api: Api, localstripe: str,
                                         stripe_client: stripe.StripeClient) -> None:
    with card_shop(api, localstripe, settings={"capture": "manual"}) as store:
        sale = api.ok(store.sell(store.card("5.50")), 201)
        payment_id = sale["payments"][0]["payment_id"]
        assert sale["payments"][0]["status"] == "authorized"

        voided = api.ok(api.post(f"/payments/{payment_id}/void", role="manager"))
        refused = api.post(f"/payments/{payment_id}/capture", role="manager")

    assert voided["status"] == "cancelled"
    assert refused.status_code == 409
    intent = stripe_client.v1.payment_intents.retrieve(sale["payments"][0]["reference"])
    assert intent.status == "canceled"
    voids = [e for e in api.ok(api.get("/events", limit=500))["events"]
             if e["type"] == "payment.cancelled"]
    assert voids[0]["data"]["approved_by"] == "test manager"


def test_a_cashier_may_not_void(api: Api, localstripe: str) -> None:
    with card_shop(api, localstripe, settings={"capture": "manual"}) as store:
        sale = api.ok(store.sell(store.card("5.50")), 201)

        refused = api.post(f"/payments/{sale['payments'][0]['payment_id']}/void",
                           role="cashier")

    assert refused.status_code == 403


def test_sweep_voids_an_authorization_no_sale_took(
        shop: tuple[CardShop, DroppingProxy], stripe_client: stripe.StripeClient) -> None:
    store, proxy = shop
    proxy.drop_next("/confirm")
    lost = store.sell(store.card("5.50"), key="gone").json()["error"]["details"]["payment"]
    later = datetime.now(UTC) + timedelta(minutes=2)

    resolver.resolve_due(store.api.ctx, now=later)
    held = store.api.ok(store.api.get(f"/payments/{lost}"))["status"]
    resolver.resolve_due(store.api.ctx, now=later + resolver.ORPHAN_AFTER)

    assert held == "authorized"
    assert store.api.ok(store.api.get(f"/payments/{lost}"))["status"] == "cancelled"
    assert _charges(stripe_client) == []


def test_sweep_captures_when_the_capture_answer_was_lost(
        shop: tuple[CardShop, DroppingProxy], stripe_client: stripe.StripeClient) -> None:
    store, proxy = shop
    proxy.drop_next("/capture")

    sale = store.api.ok(store.sell(store.card("5.50")), 201)
    swept = resolver.resolve_due(store.api.ctx, now=datetime.now(UTC) + timedelta(minutes=2))

    assert sale["payments"][0]["status"] == "authorized"
    assert swept == 1
    again = store.api.ok(store.api.get(f"/sales/{sale['id']}"))
    assert again["payments"][0]["status"] == "captured"
    [charge] = _charges(stripe_client)
    assert charge.status == "succeeded"


def test_sweep_ties_a_payment_to_its_sale_when_the_last_commit_was_lost(
        shop: tuple[CardShop, DroppingProxy]) -> None:
    store, _ = shop
    sale = store.api.ok(store.sell(store.card("5.50")), 201)
    payment_id = sale["payments"][0]["payment_id"]
    # What a crash right after recording the sale leaves: the payment as first stored.
    with engine_of(store.api.ctx.store).begin() as connection:
        connection.execute(update(payments).where(payments.c.id == payment_id).values(
            status="pending", captured=0, gateway_ref=None, sale_id=None, shift_id=None))

    resolver.resolve_due(store.api.ctx, now=datetime.now(UTC) + resolver.ORPHAN_AFTER * 2)

    payment = store.api.ok(store.api.get(f"/payments/{payment_id}"))
    assert (payment["status"], payment["sale_id"], payment["reference"]) == (
        "captured", sale["id"], sale["payments"][0]["reference"])
