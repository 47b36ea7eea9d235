"""Card tenders in POST /sales paid through Stripe (localstripe), on PostgreSQL and SQLite."""

from collections.abc import Iterator

import pytest
import stripe

from support.api import Api
from support.card_shop import CardShop, card_shop
from support.databases import row_counts
from tillflow.db.uow import engine_of


@pytest.fixture
def shop(api: Api, localstripe: str) -> Iterator[CardShop]:
    with card_shop(api, localstripe) as built:
        yield built


def test_card_sale_is_captured_at_the_gateway(shop: CardShop,
                                              stripe_client: stripe.StripeClient) -> None:
    sale = shop.api.ok(shop.sell(shop.card("5.50")), 201)

    [payment] = sale["payments"]
    assert (payment["method"], payment["amount"], payment["status"]) == ("card", "5.50",
                                                                          "captured")
    intent = stripe_client.v1.payment_intents.retrieve(payment["reference"])
    assert (intent.status, intent.amount) == ("succeeded", 550)
    again = shop.api.ok(shop.api.get(f"/sales/{sale['id']}"))
    assert again["payments"][0]["status"] == "captured"


def test_split_tender_card_cash_and_second_card(shop: CardShop,
                                                stripe_client: stripe.StripeClient) -> None:
    sale = shop.api.ok(shop.sell(shop.card("4.00"), {"method": "cash", "amount": "10.00"},
                                 shop.card("2.00"), quantity=2), 201)

    assert sale["total"] == "11.00"
    assert [p.get("status") for p in sale["payments"]] == ["captured", None, "captured"]
    assert sale["change_due"] == "5.00"
    amounts = sorted(i.amount for i in stripe_client.v1.payment_intents.list().data)
    assert amounts == [200, 400]


def test_decline_writes_no_sale_and_the_key_takes_another_tender(
        shop: CardShop, stripe_client: stripe.StripeClient) -> None:
    before = row_counts(engine_of(shop.api.ctx.store))

    declined = shop.sell(shop.card("5.50", "pm_card_chargeCustomerFail"), key="k-1")

    assert declined.status_code == 409
    assert declined.json()["error"]["code"] == "payment_declined"
    after = row_counts(engine_of(shop.api.ctx.store))
    # The declined attempt is kept (an audit of what the gateway was asked), nothing else.
    assert {t: n - before[t] for t, n in after.items() if n != before[t]} == {"payments": 1,
                                                                             "events": 1}
    paid = shop.api.ok(shop.sell({"method": "cash", "amount": "5.50"}, key="k-1"), 201)
    assert paid["payments"] == [{"method": "cash", "amount": "5.50", "reference": None}]


def test_second_card_declined_releases_the_first(shop: CardShop,
                                                 stripe_client: stripe.StripeClient) -> None:
    declined = shop.sell(shop.card("3.00"), shop.card("2.50", "pm_card_chargeCustomerFail"))

    assert declined.json()["error"]["code"] == "payment_declined"
    statuses = {i.amount: i.status for i in stripe_client.v1.payment_intents.list().data}
    assert statuses[300] == "canceled"


def test_replay_returns_the_sale_without_charging_again(
        shop: CardShop, stripe_client: stripe.StripeClient) -> None:
    first = shop.api.ok(shop.sell(shop.card("5.50"), key="same"), 201)
    again = shop.sell(shop.card("5.50"), key="same")

    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first["id"]
    assert len(stripe_client.v1.payment_intents.list().data) == 1


def test_a_sale_that_cannot_be_recorded_releases_the_card(
        shop: CardShop, stripe_client: stripe.StripeClient) -> None:
    refused = shop.sell(shop.card("550.00"), quantity=100)

    assert refused.json()["error"]["code"] == "insufficient_stock"
    [intent] = stripe_client.v1.payment_intents.list().data
    assert intent.status == "canceled"


def test_card_data_is_refused(shop: CardShop) -> None:
    refused = shop.sell(shop.card("5.50", "4242424242424242"))

    assert refused.status_code == 422
