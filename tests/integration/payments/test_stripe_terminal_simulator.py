"""Stripe Terminal's server-driven flow against tillflow's reader simulator fronting localstripe.

localstripe has no Terminal endpoints; the simulator answers those and forwards the rest
(renaming the 2026-10 `allowed_payment_method_types` parameter localstripe does not know).
"""

from collections.abc import Iterator

import pytest
import stripe

from tillflow_simulators.stripe_terminal.server import RunningStripeTerminal


@pytest.fixture
def terminal(localstripe: str) -> Iterator[RunningStripeTerminal]:
    with RunningStripeTerminal(upstream_url=localstripe) as running:
        yield running


@pytest.fixture
def client(terminal: RunningStripeTerminal) -> stripe.StripeClient:
    return stripe.StripeClient(
        "sk_test_tillflow", base_addresses={"api": terminal.url}, max_network_retries=0
    )


def _reader_and_intent(client: stripe.StripeClient) -> tuple[str, str]:
    reader = client.v1.terminal.readers.create(
        params={"registration_code": "simulated-wpe", "label": "Till 1", "location": "tml_1"}
    )
    intent = client.v1.payment_intents.create(
        params={
            "amount": 550,
            "currency": "usd",
            "allowed_payment_method_types": ["card_present"],
            "capture_method": "manual",
        }
    )
    return reader.id, intent.id


def _present(client: stripe.StripeClient, reader_id: str, number: str) -> stripe.terminal.Reader:
    return client.v1.test_helpers.terminal.readers.present_payment_method(
        reader_id, params={"card_present": {"number": number}}
    )


def test_process_present_and_capture(client: stripe.StripeClient) -> None:
    reader_id, intent_id = _reader_and_intent(client)

    started = client.v1.terminal.readers.process_payment_intent(
        reader_id, params={"payment_intent": intent_id}
    )
    assert started.action is not None
    assert started.action.status == "in_progress"
    # Capturing while the action runs would be wrong: the PaymentIntent has no method yet.
    assert client.v1.payment_intents.retrieve(intent_id).status == "requires_payment_method"

    finished = _present(client, reader_id, "4242424242424242")

    assert finished.action is not None
    assert finished.action.status == "succeeded"
    assert client.v1.payment_intents.retrieve(intent_id).status == "requires_capture"
    assert client.v1.payment_intents.capture(intent_id).status == "succeeded"


def test_declined_card_fails_the_action(client: stripe.StripeClient) -> None:
    reader_id, intent_id = _reader_and_intent(client)
    client.v1.terminal.readers.process_payment_intent(
        reader_id, params={"payment_intent": intent_id}
    )

    finished = _present(client, reader_id, "4000000000000002")

    assert finished.action is not None
    assert finished.action.status == "failed"
    assert finished.action.failure_code == "card_declined"
    assert client.v1.payment_intents.retrieve(intent_id).status == "requires_payment_method"


def test_busy_reader_then_cancel_action(client: stripe.StripeClient) -> None:
    reader_id, intent_id = _reader_and_intent(client)
    client.v1.terminal.readers.process_payment_intent(
        reader_id, params={"payment_intent": intent_id}
    )

    with pytest.raises(stripe.InvalidRequestError) as busy:
        client.v1.terminal.readers.process_payment_intent(
            reader_id, params={"payment_intent": intent_id}
        )
    canceled = client.v1.terminal.readers.cancel_action(reader_id)

    assert busy.value.code == "terminal_reader_busy"
    assert canceled.action is not None
    assert canceled.action.status == "failed"
    assert canceled.action.failure_code == "customer_canceled"


def test_reader_timeout_still_starts_the_action(
    client: stripe.StripeClient, terminal: RunningStripeTerminal
) -> None:
    reader_id, intent_id = _reader_and_intent(client)
    terminal.fleet.set_fault(reader_id, "timeout")

    with pytest.raises(stripe.InvalidRequestError) as timed_out:
        client.v1.terminal.readers.process_payment_intent(
            reader_id, params={"payment_intent": intent_id}
        )

    assert timed_out.value.code == "terminal_reader_timeout"
    reader = client.v1.terminal.readers.retrieve(reader_id)
    assert reader.action is not None
    assert reader.action.status == "in_progress"


def test_offline_reader_refuses_before_starting(
    client: stripe.StripeClient, terminal: RunningStripeTerminal
) -> None:
    reader_id, intent_id = _reader_and_intent(client)
    terminal.fleet.set_fault(reader_id, "offline")

    with pytest.raises(stripe.InvalidRequestError) as offline:
        client.v1.terminal.readers.process_payment_intent(
            reader_id, params={"payment_intent": intent_id}
        )

    assert offline.value.code == "terminal_reader_offline"
    assert client.v1.terminal.readers.retrieve(reader_id).action is None
