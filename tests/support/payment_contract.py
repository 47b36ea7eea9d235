"""The one contract every payments adapter passes (the in-memory fake, Stripe, Adyen).

A test module subclasses ``GatewayContract``, provides a ``gateway`` fixture, says how to
build an order that is approved and one that is declined, and declares what its
platform does differently: a terminal payment is captured when approved and only exists
at the gateway once sent; the Terminal API lists no payments; an Adyen refund is pending
until its notification.

Some test servers do not refuse a capture after a cancel or a refund beyond the captured
amount; tillflow's payment state machine refuses those before any call, so the contract
does not ask the gateway to.
"""

from __future__ import annotations

import uuid

import pytest

from tillflow.ports.payments import (
    ConfigurationError,
    DeclinedError,
    GatewayState,
    PaymentGateway,
    PaymentOrder,
    RefusedError,
)


def key() -> str:
    return uuid.uuid4().hex


class GatewayContract:
    captures_on_authorize = False
    exists_before_authorize = True
    lists_payments = True
    # Adyen answers a refund with "received"; its notification settles it later.
    refunds_settle_later = False

    def approving(self, amount: int) -> PaymentOrder:
        return PaymentOrder(payment_id=str(uuid.uuid4()), amount=amount, currency="USD",
                            source="pm_card_visa")

    def declining(self, amount: int) -> PaymentOrder:
        return PaymentOrder(payment_id=str(uuid.uuid4()), amount=amount, currency="USD",
                            source="pm_card_chargeCustomerFail")

    def _held(self, gateway: PaymentGateway, amount: int = 1099) -> str:
        wanted = self.approving(amount)
        reference = gateway.start(wanted, idempotency_key=key())
        state = gateway.authorize(reference, wanted, idempotency_key=key()).state
        assert state is (GatewayState.CAPTURED if self.captures_on_authorize
                         else GatewayState.AUTHORIZED)
        return reference

    def test_start_moves_no_money(self, gateway: PaymentGateway) -> None:
        wanted = self.approving(1099)
        reference = gateway.start(wanted, idempotency_key=key())

        found = gateway.find(wanted)
        if self.exists_before_authorize:
            assert gateway.lookup(reference).state is GatewayState.OPEN
            assert found is not None
            assert (found.reference, found.amount) == (reference, 1099)
        else:
            assert gateway.lookup(reference).state is GatewayState.FAILED
            assert found is None
        assert gateway.find(self.approving(1099)) is None

    def test_authorize_then_capture(self, gateway: PaymentGateway) -> None:
        reference = self._held(gateway)

        captured = gateway.capture(reference, amount=1099, idempotency_key=key())

        assert (captured.state, captured.captured) == (GatewayState.CAPTURED, 1099)
        assert gateway.lookup(reference).state is GatewayState.CAPTURED

    def test_decline_takes_nothing(self, gateway: PaymentGateway) -> None:
        wanted = self.declining(1099)
        reference = gateway.start(wanted, idempotency_key=key())

        with pytest.raises(DeclinedError) as declined:
            gateway.authorize(reference, wanted, idempotency_key=key())

        assert declined.value.code
        assert gateway.lookup(reference).state in (GatewayState.FAILED, GatewayState.OPEN)

    def test_cancel_releases_the_payment(self, gateway: PaymentGateway) -> None:
        reference = self._held(gateway)

        assert gateway.cancel(reference, idempotency_key=key()).state is GatewayState.CANCELLED

    def test_partial_refunds_add_up(self, gateway: PaymentGateway) -> None:
        reference = self._held(gateway)
        gateway.capture(reference, amount=1099, idempotency_key=key())

        first = gateway.refund(reference, amount=300, idempotency_key=key())
        second = gateway.refund(reference, amount=799, idempotency_key=key())

        assert (first.amount, second.amount) == (300, 799)
        settled = (False, True) if self.refunds_settle_later else (True, False)
        assert (first.succeeded, first.pending) == settled
        assert (second.succeeded, second.pending) == settled

    def test_lists_payments_with_their_refunds(self, gateway: PaymentGateway) -> None:
        if not self.lists_payments:
            with pytest.raises(ConfigurationError):
                gateway.list_payments(since=0, until=2**40)
            return
        reference = self._held(gateway, 500)
        gateway.capture(reference, amount=500, idempotency_key=key())
        gateway.refund(reference, amount=200, idempotency_key=key())

        listed = {p.reference: p for p in gateway.list_payments(since=0, until=2**40)}

        assert listed[reference].state is GatewayState.CAPTURED
        assert (listed[reference].captured, listed[reference].refunded) == (500, 200)

    def test_check_proves_the_connection(self, gateway: PaymentGateway) -> None:
        gateway.check()


class TokenGatewayContract(GatewayContract):
    """What card-not-present gateways (a payment created, then confirmed) also do."""

    def test_confirm_after_cancel_is_refused(self, gateway: PaymentGateway) -> None:
        wanted = self.approving(1099)
        reference = gateway.start(wanted, idempotency_key=key())
        gateway.cancel(reference, idempotency_key=key())

        with pytest.raises(RefusedError):
            gateway.authorize(reference, wanted, idempotency_key=key())
