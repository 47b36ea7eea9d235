"""The payment state machine: every allowed move, and the ones refused."""

from decimal import Decimal

import pytest

from tillflow.domain.errors import Conflict, InvalidInput
from tillflow.domain.payments import Payment, PaymentStatus

S = PaymentStatus


def _payment(status: PaymentStatus = S.PENDING, *, captured: str = "0") -> Payment:
    return Payment(id="p1", amount=Decimal("11.00"), status=status, captured=Decimal(captured))


@pytest.mark.parametrize(("start", "end"), [
    (S.PENDING, S.AUTHORIZED), (S.PENDING, S.FAILED), (S.PENDING, S.CANCELLED),
    (S.PENDING, S.UNKNOWN), (S.UNKNOWN, S.AUTHORIZED), (S.UNKNOWN, S.FAILED),
    (S.AUTHORIZED, S.CANCELLED), (S.AUTHORIZED, S.CAPTURED),
])
def test_allowed_moves(start: PaymentStatus, end: PaymentStatus) -> None:
    assert _payment(start).move(end).status is end


@pytest.mark.parametrize(("start", "end"), [
    (S.CANCELLED, S.CAPTURED), (S.FAILED, S.AUTHORIZED), (S.CAPTURED, S.CANCELLED),
    (S.REFUNDED, S.CAPTURED), (S.CAPTURED, S.AUTHORIZED),
])
def test_refused_moves(start: PaymentStatus, end: PaymentStatus) -> None:
    with pytest.raises(Conflict):
        _payment(start).move(end)


def test_capture_after_cancel_is_refused() -> None:
    with pytest.raises(Conflict):
        _payment(S.AUTHORIZED).move(S.CANCELLED).capture()


def test_capture_more_than_authorized_is_refused() -> None:
    with pytest.raises(InvalidInput):
        _payment(S.AUTHORIZED).capture(Decimal("11.01"))


def test_partial_refunds_add_up_and_one_more_is_refused() -> None:
    captured = _payment(S.AUTHORIZED).capture()

    first = captured.refund(Decimal("2.75"))
    last = first.refund(Decimal("8.25"))

    assert (first.status, first.refundable) == (S.PARTIALLY_REFUNDED, Decimal("8.25"))
    assert (last.status, last.refunded) == (S.REFUNDED, Decimal("11.00"))
    with pytest.raises(Conflict):
        last.refund(Decimal("0.01"))


def test_nothing_is_refunded_before_capture() -> None:
    with pytest.raises(Conflict):
        _payment(S.AUTHORIZED).refund(Decimal(1))
