"""A card payment's life: the states it may be in and the moves between them.

pending → authorized → captured → partially_refunded → refunded; pending → failed or
cancelled; and unknown whenever a call left for the gateway and no answer came back.
An unknown payment is only ever resolved by looking it up at the gateway, never by
charging again, so every move out of unknown is a move the gateway reported.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from tillflow.domain.errors import Conflict, InvalidInput

ZERO = Decimal(0)
# 13 to 19 digits, maybe grouped by spaces or dashes: how a card number is written.
class PaymentStatus(StrEnum):
    PENDING = "pending"
    AUTHORIZED = "authorized"
    CAPTURED = "captured"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"


S = PaymentStatus
_MOVES: dict[PaymentStatus, frozenset[PaymentStatus]] = {
    S.PENDING: frozenset({S.AUTHORIZED, S.CAPTURED, S.FAILED, S.CANCELLED, S.UNKNOWN}),
    S.UNKNOWN: frozenset({S.AUTHORIZED, S.CAPTURED, S.FAILED, S.CANCELLED, S.UNKNOWN}),
    S.AUTHORIZED: frozenset({S.CAPTURED, S.CANCELLED, S.UNKNOWN}),
    S.CAPTURED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.PARTIALLY_REFUNDED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.REFUNDED: frozenset(),
    S.FAILED: frozenset(),
    S.CANCELLED: frozenset(),
}
# Money is held (authorized) or taken (captured and after): the sale may rely on it.
HELD = frozenset({S.AUTHORIZED, S.CAPTURED, S.PARTIALLY_REFUNDED, S.REFUNDED})
# Nothing was or will be taken: the register may try another tender.
SETTLED_WITHOUT_MONEY = frozenset({S.FAILED, S.CANCELLED})


class PaymentDeclined(Conflict):
    """The gateway refused the card; nothing was charged and nothing was recorded."""

    code = "payment_declined"


class PaymentOutcomeUnknown(Conflict):
    """A gateway call got no answer; the payment is looked up until its outcome is known.

    The register retries the same request with the same Idempotency-Key: it is answered
    from the looked-up outcome and never charges a second time.
    """

    code = "payment_outcome_unknown"


class PaymentInProgress(Conflict):
    """Another request is paying for the same sale right now."""

    code = "payment_in_progress"


class GatewayUnavailable(Conflict):
    """The gateway could not be reached: nothing left, the request may be retried."""

    code = "gateway_unavailable"


@dataclass(frozen=True)
class Payment:
    id: str
    amount: Decimal
    status: PaymentStatus
    captured: Decimal = ZERO
    refunded: Decimal = ZERO

    def move(self, status: PaymentStatus) -> Payment:
        if status not in _MOVES[self.status]:
            raise Conflict(f"a {self.status} payment cannot become {status}",
                           details={"payment": self.id, "status": str(self.status)})
        return replace(self, status=status)

    def capture(self, amount: Decimal | None = None) -> Payment:
        taken = self.amount if amount is None else amount
        if not ZERO < taken <= self.amount:
            raise InvalidInput(f"capture amount must be between 0 and {self.amount}",
                               details={"field": "amount"})
        return replace(self.move(S.CAPTURED), captured=taken)

    @property
    def refundable(self) -> Decimal:
        return self.captured - self.refunded

    def check_refund(self, amount: Decimal) -> None:
        """Refuse a refund the captured amount does not cover (earlier refunds count)."""
        if self.status not in (S.CAPTURED, S.PARTIALLY_REFUNDED):
            raise Conflict(f"a {self.status} payment cannot be refunded",
                           details={"payment": self.id, "status": str(self.status)})
        if amount <= 0 or amount > self.refundable:
            raise Conflict(f"refund of {amount} exceeds the {self.refundable} left to refund",
                           details={"payment": self.id, "refundable": str(self.refundable)})

    def refund(self, amount: Decimal) -> Payment:
        self.check_refund(amount)
        refunded = self.refunded + amount
        status = S.REFUNDED if refunded == self.captured else S.PARTIALLY_REFUNDED
        return replace(self.move(status), refunded=refunded)
