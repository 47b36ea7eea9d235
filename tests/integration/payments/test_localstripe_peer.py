"""Facts about localstripe that tillflow's Stripe connector relies on, via the stripe library.

localstripe lacks Terminal readers; `test_stripe_terminal_simulator.py` covers those with
tillflow's own simulator in front of it.
"""

from typing import Literal

import pytest
import stripe


def _intent(
    client: stripe.StripeClient,
    *,
    payment_method: str = "pm_card_visa",
    capture_method: Literal["automatic", "manual"] = "automatic",
    confirm: bool = False,
) -> stripe.PaymentIntent:
    return client.v1.payment_intents.create(
        params={
            "amount": 1099,
            "currency": "eur",
            "payment_method": payment_method,
            "capture_method": capture_method,
            "confirm": confirm,
        }
    )


def test_payment_method_set_at_creation_then_confirm(stripe_client: stripe.StripeClient) -> None:
    intent = _intent(stripe_client, payment_method="pm_card_visa")
    assert intent.status == "requires_confirmation"

    confirmed = stripe_client.v1.payment_intents.confirm(intent.id)

    assert confirmed.status == "succeeded"
    assert confirmed.amount == 1099


def test_manual_capture_holds_then_captures_part(stripe_client: stripe.StripeClient) -> None:
    intent = _intent(
        stripe_client, payment_method="pm_card_visa", capture_method="manual", confirm=True
    )
    assert intent.status == "requires_capture"

    captured = stripe_client.v1.payment_intents.capture(
        intent.id, params={"amount_to_capture": 600}
    )

    assert captured.status == "succeeded"
    charge = stripe_client.v1.payment_intents.retrieve(intent.id).latest_charge
    assert isinstance(charge, stripe.Charge)
    # 2017-era shapes: the uncaptured rest shows as refunded, not as `amount_captured`.
    assert charge.captured is True
    assert charge.amount - charge.amount_refunded == 600


def test_cancel_then_capture_is_refused(stripe_client: stripe.StripeClient) -> None:
    intent = _intent(
        stripe_client, payment_method="pm_card_visa", capture_method="manual", confirm=True
    )

    assert stripe_client.v1.payment_intents.cancel(intent.id).status == "canceled"
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.payment_intents.confirm(intent.id)


def test_decline_is_a_card_error_with_status_402(stripe_client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.CardError) as declined:
        # localstripe declines at charge time only for this test card (4000000000000341).
        _intent(stripe_client, payment_method="pm_card_chargeCustomerFail", confirm=True)

    assert declined.value.http_status == 402
    assert declined.value.code == "card_declined"


def test_full_and_partial_refunds(stripe_client: stripe.StripeClient) -> None:
    partly = _intent(stripe_client, payment_method="pm_card_visa", confirm=True)
    fully = _intent(stripe_client, payment_method="pm_card_visa", confirm=True)

    first = stripe_client.v1.refunds.create(params={"payment_intent": partly.id, "amount": 300})
    second = stripe_client.v1.refunds.create(params={"payment_intent": partly.id, "amount": 799})
    whole = stripe_client.v1.refunds.create(params={"payment_intent": fully.id})

    assert [first.amount, second.amount, whole.amount] == [300, 799, 1099]
    assert {first.status, second.status, whole.status} == {"succeeded"}
    listed = stripe_client.v1.refunds.list()
    assert sorted(refund.amount for refund in listed.data) == [300, 799, 1099]


def test_listing_payment_intents(stripe_client: stripe.StripeClient) -> None:
    created = {_intent(stripe_client, payment_method="pm_card_visa").id for _ in range(3)}

    listed = stripe_client.v1.payment_intents.list(params={"limit": 10})

    assert {intent.id for intent in listed.data} == created
