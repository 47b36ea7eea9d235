"""Terminal settings and the transaction log the simulated terminals keep."""

from __future__ import annotations

import random
import string
import threading
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Behaviour(StrEnum):
    """What a terminal does with the next payment."""

    APPROVE = "approve"
    DECLINE = "decline"
    # No answer from the issuer: the request is held for `timeout_after` seconds, then fails.
    TIMEOUT = "timeout"
    # Approved and recorded, but the HTTP connection closes without an answer.
    LOSE_RESPONSE = "lose_response"
    # The cloud cannot reach the terminal: every request is rejected unprocessed.
    OFFLINE = "offline"


class TransactionState(StrEnum):
    IN_PROGRESS = "in_progress"
    APPROVED = "approved"
    DECLINED = "declined"
    ABORTED = "aborted"
    TIMED_OUT = "timed_out"
    # A reversal (refund): received, then settled by its notification.
    REFUND_RECEIVED = "refund_received"
    REFUNDED = "refunded"
    REFUND_FAILED = "refund_failed"


class RefundOutcome(StrEnum):
    """What Adyen's notifications say of a terminal's next referenced refunds."""

    SUCCESS = "success"  # CANCEL_OR_REFUND success=true
    REFUSED = "refused"  # CANCEL_OR_REFUND success=false: Adyen's validations failed
    FAILED = "failed"  # CANCEL_OR_REFUND success=true, then REFUND_FAILED from the scheme


@dataclass
class TerminalSettings:
    behaviour: Behaviour = Behaviour.APPROVE
    # Seconds the shopper takes at the terminal; the terminal is busy meanwhile.
    delay: float = 0.0
    error_condition: str = "Refusal"
    refusal_reason: str = "Refused"
    timeout_after: float = 150.0
    refund_outcome: RefundOutcome = RefundOutcome.SUCCESS
    # Seconds between a refund's acknowledgement and its notification.
    refund_delay: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "behaviour": self.behaviour.value,
            "delay": self.delay,
            "error_condition": self.error_condition,
            "refusal_reason": self.refusal_reason,
            "timeout_after": self.timeout_after,
            "refund_outcome": self.refund_outcome.value,
            "refund_delay": self.refund_delay,
        }


@dataclass
class TransactionRecord:
    """One request that changed money on a terminal: a payment or a reversal."""

    poi_id: str
    sale_id: str
    service_id: str
    category: str
    transaction_id: str
    amount: Decimal
    currency: str
    created_at: datetime
    psp_reference: str
    poi_transaction_id: str
    state: TransactionState = TransactionState.IN_PROGRESS
    refunded: Decimal = Decimal(0)
    original_psp_reference: str | None = None
    response: dict[str, Any] | None = None
    wake: threading.Event = field(default_factory=threading.Event, repr=False)
    aborted: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "poi_id": self.poi_id,
            "sale_id": self.sale_id,
            "service_id": self.service_id,
            "category": self.category,
            "transaction_id": self.transaction_id,
            "amount": str(self.amount),
            "currency": self.currency,
            "created_at": self.created_at.isoformat(),
            "psp_reference": self.psp_reference,
            "poi_transaction_id": self.poi_transaction_id,
            "state": self.state.value,
            "refunded": str(self.refunded),
            "original_psp_reference": self.original_psp_reference,
        }


class ReferenceMaker:
    """pspReferences (16 characters) and POITransactionIDs as Adyen shapes them."""

    _ALPHABET = string.ascii_uppercase + string.digits

    def __init__(self, *, rng: random.Random | None = None) -> None:
        self._rng = rng or random.SystemRandom()
        self._lock = threading.Lock()

    def psp_reference(self) -> str:
        with self._lock:
            return "".join(self._rng.choice(self._ALPHABET) for _ in range(16))

    def poi_transaction_id(self, psp_reference: str, moment: datetime) -> str:
        tender = f"{self._tender_prefix()}{int(moment.timestamp() * 1000)}"
        return f"{tender}.{psp_reference}"

    def _tender_prefix(self) -> str:
        with self._lock:
            return "".join(self._rng.choice(string.ascii_letters) for _ in range(4)) + "001"
