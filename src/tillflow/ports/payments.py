"""The payments port: what tillflow asks of a card gateway or terminal.

A payment is made in two steps so that it can always be found again: ``start`` creates
the gateway's record of it (a Stripe PaymentIntent) without moving money and returns its
reference, and ``authorize`` asks for the money. After an unanswered call, ``lookup`` by
that reference (or ``find`` by the order, which carries tillflow's payment id, when the
reference was never stored) tells what happened; nothing is ever sent twice blindly.

Every call that moves money takes an idempotency key the caller created and stored first;
a refund whose answer was lost is found again by it (``find_refund``).
Amounts are integers in the currency's minor unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class GatewayState(StrEnum):
    """What the gateway says about a payment, in tillflow's words."""

    OPEN = "open"  # created, no money asked for yet (or a declined attempt to retry)
    PROCESSING = "processing"  # asked for, not answered yet (terminal still in progress)
    AUTHORIZED = "authorized"
    CAPTURED = "captured"
    CANCELLED = "cancelled"
    FAILED = "failed"


@dataclass(frozen=True)
class PaymentOrder:
    """What to take: ``source`` is a gateway token, ``terminal`` a reader or POI id."""

    payment_id: str
    amount: int
    currency: str
    source: str | None = None
    terminal: str | None = None


@dataclass(frozen=True)
class GatewayPayment:
    reference: str
    state: GatewayState
    amount: int
    captured: int = 0
    refunded: int = 0
    decline_code: str | None = None
    payment_id: str | None = None
    created: int = 0
    # What the gateway kept of the payment (minor units of its currency), once it says;
    # None where it reports none (not settled yet, or settled in another currency).
    fee: int | None = None


@dataclass(frozen=True)
class GatewayRefund:
    """A refund as the gateway answered it: ``succeeded``, ``pending`` (accepted, its
    outcome to come: Adyen settles referenced refunds by notification), else failed."""

    reference: str
    payment_reference: str
    amount: int
    succeeded: bool
    pending: bool = False


class GatewayError(Exception):
    """Root of every gateway failure, classified by what the caller does next."""


class GatewayUnreachableError(GatewayError):
    """Nothing reached the gateway: the same call may be retried as it is."""


class OutcomeUnknownError(GatewayError):
    """The call left and no answer came back: look the payment up before anything else."""


class DeclinedError(GatewayError):
    """The gateway refused the card; nothing was taken."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


class RefusedError(GatewayError):
    """The gateway refused the operation in the payment's state (capture after cancel)."""


class ConfigurationError(GatewayError):
    """Wrong key or endpoint: fix the connection, retrying will not help."""


class PaymentGateway(Protocol):
    def start(self, order: PaymentOrder, *, idempotency_key: str) -> str: ...

    def authorize(self, reference: str, order: PaymentOrder, *,
                  idempotency_key: str) -> GatewayPayment: ...

    def lookup(self, reference: str) -> GatewayPayment: ...

    def find(self, order: PaymentOrder, *, idempotency_key: str | None = None,
             sent_at: int | None = None) -> GatewayPayment | None:
        """The gateway's payment for ``order`` whose creation went unanswered, or None.

        ``idempotency_key`` is the one ``start`` was sent with, at ``sent_at`` (unix
        seconds): a gateway that replays answers to a repeated key uses them."""
        ...

    def capture(self, reference: str, *, amount: int,
                idempotency_key: str) -> GatewayPayment: ...

    def cancel(self, reference: str, *, idempotency_key: str) -> GatewayPayment: ...

    def refund(self, reference: str, *, amount: int,
               idempotency_key: str) -> GatewayRefund: ...

    def find_refund(self, reference: str, *, amount: int,
                    idempotency_key: str) -> GatewayRefund | None:
        """The refund of payment ``reference`` sent with ``idempotency_key``, or None when
        the gateway never made it (so sending it again with the same key is safe)."""
        ...

    def list_payments(self, *, since: int, until: int) -> list[GatewayPayment]: ...

    def check(self) -> None: ...

    def close(self) -> None: ...


# A gateway's word on a refund it settles after accepting it: the first verdict (success
# or not), and a later refusal or reversal of one that had succeeded.
REFUND_SETTLED_BY = frozenset({"CANCEL_OR_REFUND", "REFUND"})
REFUND_FAILED_BY = frozenset({"REFUND_FAILED", "REFUNDED_REVERSED"})


@dataclass(frozen=True)
class GatewayEvent:
    """One verified event of a gateway's webhook delivery.

    ``reference`` is the gateway's id of what it is about; an event about a refund
    (its type in ``REFUND_SETTLED_BY`` or ``REFUND_FAILED_BY``) carries ``refund_key``
    (the idempotency key tillflow sent with the refund) and the gateway's ``success``;
    an event about a payment may carry tillflow's ``payment_id``. ``event_id`` identifies
    the event at the gateway, for deduplication; a refund event's ends with ``:true`` or
    ``:false``, its success."""

    event_id: str
    type: str
    reference: str | None = None
    payment_id: str | None = None
    refund_key: str | None = None
    success: bool | None = None


class WebhookRejected(Exception):
    """Unsigned, signed with another secret, too old, or not the gateway's at all."""


class PaymentWebhooks(Protocol):
    """How a gateway signs and shapes its webhooks."""

    # The body the gateway wants back, when it wants more than a 2xx.
    acknowledgement: str | None

    def read(self, body: bytes, headers: Mapping[str, str],
             secrets: Mapping[str, str]) -> list[GatewayEvent]:
        """The delivery's events, once every one is verified; raises ``WebhookRejected``."""
        ...

    def signed_sample(self, secrets: Mapping[str, str]) -> tuple[bytes, dict[str, str]]:
        """A harmless delivery signed as the gateway would (body and headers), to prove
        the connection's secret and webhook address; raises ``WebhookRejected`` when the
        connection has no secret to sign with."""
        ...
