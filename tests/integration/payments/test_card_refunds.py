"""Refunds to the original card through the gateway: partial refunds add up, one more is
refused, big ones need a manager. localstripe on PostgreSQL."""

from collections.abc import Iterator

import pytest
import stripe

from support.api import Api
from support.card_shop import CardShop, card_shop

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)


@pytest.fixture
def shop(api: Api, localstripe: str) -> Iterator[CardShop]:
    with card_shop(api, localstripe, settings={"refund_approval_above": "5.00"}) as built:
        yield built


def _refunded(client: stripe.StripeClient) -> list[int]:
    return sorted(r.amount for r in client.v1.refunds.list().data)


def test_partial_refunds_sum_to_the_total_and_one_more_is_refused(
        shop: CardShop, stripe_client: stripe.StripeClient) -> None:
    api = shop.api
    sale = api.ok(shop.sell(shop.card("11.00"), quantity=2), 201)
    payment_id = sale["payments"][0]["payment_id"]

    returned = api.ok(api.post(f"/sales/{sale['id']}/returns", {
        "lines": [{"sku": shop.sku, "quantity": 1}],
        "refunds": [{"method": "card", "amount": "5.50"}]}, role="manager"), 201)
    api.ok(api.post(f"/payments/{payment_id}/refunds", {"amount": "3.00"}, role="manager"), 201)
    last = api.ok(api.post(f"/payments/{payment_id}/refunds", {"amount": "2.50"},
                           role="manager"), 201)
    one_more = api.post(f"/payments/{payment_id}/refunds", {"amount": "0.01"}, role="manager")

    assert returned["refunds"][0]["method"] == "card"
    assert returned["refunds"][0]["reference"].startswith("re_")
    assert last["payment"]["status"] == "refunded"
    assert last["payment"]["refunded"] == "11.00"
    assert one_more.status_code == 409
    assert _refunded(stripe_client) == [250, 300, 550]


def test_a_cashier_refunds_to_card_within_the_limit(
        shop: CardShop, stripe_client: stripe.StripeClient) -> None:
    sale = shop.api.ok(shop.sell(shop.card("5.50")), 201)

    returned = shop.api.ok(shop.api.post(f"/sales/{sale['id']}/returns", {
        "lines": [{"sku": shop.sku, "quantity": 1}],
        "refunds": [{"method": "card", "amount": "4.00"}, {"method": "cash", "amount": "1.50"}],
    }, role="cashier"), 201)

    assert [r["method"] for r in returned["refunds"]] == ["card", "cash"]
    assert _refunded(stripe_client) == [400]


def test_refund_above_the_limit_needs_a_manager_and_writes_nothing(
        shop: CardShop, stripe_client: stripe.StripeClient) -> None:
    sale = shop.api.ok(shop.sell(shop.card("11.00"), quantity=2), 201)

    refused = shop.api.post(f"/sales/{sale['id']}/returns", {
        "lines": [{"sku": shop.sku, "quantity": 2}],
        "refunds": [{"method": "card", "amount": "11.00"}]}, role="cashier")

    assert refused.status_code == 403
    assert _refunded(stripe_client) == []
    assert shop.api.ok(shop.api.get(f"/sales/{sale['id']}/returns"))["items"] == []


def test_refunds_and_approvers_are_in_the_events_log(shop: CardShop) -> None:
    api = shop.api
    sale = api.ok(shop.sell(shop.card("5.50")), 201)

    api.ok(api.post(f"/payments/{sale['payments'][0]['payment_id']}/refunds",
                    {"amount": "1.00"}, role="manager"), 201)

    events = api.ok(api.get("/events", limit=500))["events"]
    [refund] = [e["data"] for e in events if e["type"] == "payment.partially_refunded"]
    assert (refund["approved_by"], refund["refund_amount"]) == ("test manager", "1.00")


def test_a_cashier_may_not_refund_without_a_receipt(shop: CardShop) -> None:
    sale = shop.api.ok(shop.sell(shop.card("5.50")), 201)

    refused = shop.api.post(f"/payments/{sale['payments'][0]['payment_id']}/refunds",
                            {"amount": "1.00"}, role="cashier")

    assert refused.status_code == 403
