"""Refunds whose answer was lost after the gateway made them: looked up (Stripe: the
PaymentIntent's refunds; Adyen: a TransactionStatusRequest for the reversal), by the
resolver or by the request sent again, and never made twice. PostgreSQL."""

from collections.abc import Iterator
from typing import Any

import pytest
import stripe

from support.api import Api
from support.card_shop import CardShop, card_shop
from support.dropping_proxy import DroppingProxy, dropping_proxy
from tillflow.services.payments import resolver
from tillflow.services.payments.gateways import gateways_of
from tillflow.sync.consumers import ConsumerRunner
from tillflow_simulators.adyen.runner import RunningAdyenSimulator
from tillflow_simulators.adyen.simulator import AdyenSimulator

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)
POI = "V400m-324687828"


@pytest.fixture
def shop(api: Api, localstripe: str) -> Iterator[tuple[CardShop, DroppingProxy]]:
    with dropping_proxy(localstripe) as (running, url), card_shop(api, url) as built:
        yield built, running


def _error(response: Any) -> str:
    assert response.status_code == 409, response.text
    return str(response.json()["error"]["code"])


def _events(api: Api, kind: str) -> list[dict[str, Any]]:
    return [e["data"] for e in api.ok(api.get("/events", limit=500))["events"]
            if e["type"] == kind]


def test_the_resolver_finds_a_lost_refund_and_the_retry_takes_it(
        shop: tuple[CardShop, DroppingProxy], stripe_client: stripe.StripeClient) -> None:
    store, proxy = shop
    api = store.api
    payment_id = api.ok(store.sell(store.card("5.50")), 201)["payments"][0]["payment_id"]
    proxy.drop_next("/v1/refunds")

    lost = api.post(f"/payments/{payment_id}/refunds", {"amount": "2.00"}, role="manager")
    ConsumerRunner(api.ctx, [resolver.PaymentResolver()]).run_once()
    again = api.ok(api.post(f"/payments/{payment_id}/refunds", {"amount": "2.00"},
                            role="manager"), 201)

    assert _error(lost) == "payment_outcome_unknown"
    assert proxy.dropped
    [orphaned] = _events(api, "payment.refund_orphaned")
    [made] = stripe_client.v1.refunds.list().data
    assert (made.id, made.amount) == (again["reference"], 200) == (orphaned["reference"], 200)
    assert (again["payment"]["refunded"], again["payment"]["status"]) == (
        "2.00", "partially_refunded")


def test_a_return_sent_again_after_a_lost_refund_refunds_once(
        shop: tuple[CardShop, DroppingProxy], stripe_client: stripe.StripeClient) -> None:
    store, proxy = shop
    api = store.api
    sale = api.ok(store.sell(store.card("5.50")), 201)
    body = {"lines": [{"sku": store.sku, "quantity": 1}],
            "refunds": [{"method": "card", "amount": "5.50"}]}
    proxy.drop_next("/v1/refunds")

    lost = api.post(f"/sales/{sale['id']}/returns", body, role="manager")
    returned = api.ok(api.post(f"/sales/{sale['id']}/returns", body, role="manager"), 201)

    assert _error(lost) == "payment_outcome_unknown"
    [made] = stripe_client.v1.refunds.list().data
    assert (made.amount, returned["refunds"][0]["reference"]) == (550, made.id)
    assert len(api.ok(api.get(f"/sales/{sale['id']}/returns"))["items"]) == 1
    payment = api.ok(api.get(f"/payments/{sale['payments'][0]['payment_id']}"))
    assert (payment["status"], payment["refunded"]) == ("refunded", "5.50")


def test_a_refund_beyond_what_is_left_is_still_refused_after_a_lost_one(
        shop: tuple[CardShop, DroppingProxy], stripe_client: stripe.StripeClient) -> None:
    store, proxy = shop
    api = store.api
    payment_id = api.ok(store.sell(store.card("5.50")), 201)["payments"][0]["payment_id"]
    proxy.drop_next("/v1/refunds")
    api.post(f"/payments/{payment_id}/refunds", {"amount": "5.00"}, role="manager")

    beyond = api.post(f"/payments/{payment_id}/refunds", {"amount": "1.00"}, role="manager")

    assert _error(beyond) == "conflict"
    assert [r.amount for r in stripe_client.v1.refunds.list().data] == [500]


@pytest.fixture
def adyen(api: Api) -> Iterator[tuple[RunningAdyenSimulator, DroppingProxy]]:
    with RunningAdyenSimulator(AdyenSimulator()) as running, \
            dropping_proxy(running.url) as (proxy, url):
        running.simulator.add_terminal(POI)
        api.location("S1")
        api.product("TEA", "5.00", tax_rate="0.1")
        api.stock("TEA", "S1", 50)
        api.register_with_shift("R1", "S1")
        api.ok(api.post("/connections", {
            "name": "adyen", "platform": "adyen",
            "settings": {"api_base": url, "sale_id": "POS-01"},
            "secrets": {"api_key": running.api_key}}), 201)
        yield running, proxy
        gateways_of(api.ctx).close()


def test_adyen_lost_reversal_is_found_by_transaction_status(
        api: Api, adyen: tuple[RunningAdyenSimulator, DroppingProxy]) -> None:
    simulator, proxy = adyen
    card = {"method": "card", "amount": "5.50", "connection": "adyen", "terminal": POI}
    sale = api.ok(api.post("/sales", {"location": "S1", "register": "R1",
                                      "lines": [{"sku": "TEA", "quantity": 1}],
                                      "payments": [card]},
                           role="cashier", headers={"Idempotency-Key": "k"}), 201)
    payment_id = sale["payments"][0]["payment_id"]
    proxy.drop_next("/sync", body="ReversalRequest")

    lost = api.post(f"/payments/{payment_id}/refunds", {"amount": "2.00"}, role="manager")
    resolver.PaymentSweep(api.ctx).run_once()
    again = api.ok(api.post(f"/payments/{payment_id}/refunds", {"amount": "2.00"},
                            role="manager"), 201)

    assert _error(lost) == "payment_outcome_unknown"
    assert proxy.dropped == ["/sync"]
    reversals = [t for t in simulator.simulator.transactions() if t.category == "Reversal"]
    assert [(str(t.amount), t.poi_transaction_id) for t in reversals] == [
        ("2.00", again["reference"])]
