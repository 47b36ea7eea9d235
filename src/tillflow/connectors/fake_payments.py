"""An in-memory payments gateway that behaves like the real adapters (contract-tested).

Declines the same test token localstripe declines, ``pm_card_chargeCustomerFail``, and
keeps every payment and refund so tests can count what was charged.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field, replace

from tillflow.ports.payments import (
    DeclinedError,
    GatewayPayment,
    GatewayRefund,
    GatewayState,
    PaymentOrder,
    RefusedError,
)

DECLINING_SOURCE = "pm_card_chargeCustomerFail"


@dataclass
class FakeGateway:
    payments: dict[str, GatewayPayment] = field(default_factory=dict)
    refunds: list[GatewayRefund] = field(default_factory=list)
    _keys: dict[str, object] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, order: PaymentOrder, *, idempotency_key: str) -> str:
        with self._lock:
            if idempotency_key in self._keys:
                return str(self._keys[idempotency_key])
            reference = f"fake_pi_{next(self._ids)}"
            self.payments[reference] = GatewayPayment(
                reference=reference, state=GatewayState.OPEN, amount=order.amount,
                payment_id=order.payment_id, created=len(self.payments))
            self._keys[idempotency_key] = reference
            return reference

    def authorize(self, reference: str, order: PaymentOrder, *,
                  idempotency_key: str) -> GatewayPayment:
        with self._lock:
            payment = self._get(reference)
            if payment.state is not GatewayState.OPEN:
                if payment.state is GatewayState.AUTHORIZED:
                    return payment
                raise RefusedError(f"payment {reference} is {payment.state}")
            if order.source == DECLINING_SOURCE:
                self.payments[reference] = replace(payment, state=GatewayState.FAILED,
                                                   decline_code="card_declined")
                raise DeclinedError("card declined", code="card_declined")
            authorized = replace(payment, state=GatewayState.AUTHORIZED)
            self.payments[reference] = authorized
            return authorized

    def lookup(self, reference: str) -> GatewayPayment:
        with self._lock:
            return self._get(reference)

    def find(self, order: PaymentOrder, *, idempotency_key: str | None = None,
             sent_at: int | None = None) -> GatewayPayment | None:
        with self._lock:
            found = [p for p in self.payments.values() if p.payment_id == order.payment_id]
        return found[0] if found else None

    def capture(self, reference: str, *, amount: int, idempotency_key: str) -> GatewayPayment:
        with self._lock:
            payment = self._get(reference)
            if payment.state is GatewayState.CAPTURED:
                return payment
            if payment.state is not GatewayState.AUTHORIZED or amount > payment.amount:
                raise RefusedError(f"payment {reference} is {payment.state}")
            captured = replace(payment, state=GatewayState.CAPTURED, captured=amount)
            self.payments[reference] = captured
            return captured

    def cancel(self, reference: str, *, idempotency_key: str) -> GatewayPayment:
        with self._lock:
            payment = self._get(reference)
            if payment.state in (GatewayState.CAPTURED, GatewayState.FAILED):
                raise RefusedError(f"payment {reference} is {payment.state}")
            cancelled = replace(payment, state=GatewayState.CANCELLED)
            self.payments[reference] = cancelled
            return cancelled

    def refund(self, reference: str, *, amount: int, idempotency_key: str) -> GatewayRefund:
        with self._lock:
            known = self._keys.get(idempotency_key)
            if isinstance(known, GatewayRefund):
                return known
            payment = self._get(reference)
            if payment.state is not GatewayState.CAPTURED:
                raise RefusedError(f"payment {reference} is {payment.state}")
            if payment.refunded + amount > payment.captured:
                raise RefusedError("refund exceeds the captured amount")
            self.payments[reference] = replace(payment, refunded=payment.refunded + amount)
            refund = GatewayRefund(reference=f"fake_re_{next(self._ids)}",
                                   payment_reference=reference, amount=amount, succeeded=True)
            self.refunds.append(refund)
            self._keys[idempotency_key] = refund
            return refund

    def find_refund(self, reference: str, *, amount: int,
                    idempotency_key: str) -> GatewayRefund | None:
        with self._lock:
            known = self._keys.get(idempotency_key)
        return known if isinstance(known, GatewayRefund) else None

    def list_payments(self, *, since: int, until: int) -> list[GatewayPayment]:
        with self._lock:
            return list(self.payments.values())

    def check(self) -> None:
        """An in-memory gateway is always reachable."""

    def close(self) -> None:
        """Nothing to release."""

    def _get(self, reference: str) -> GatewayPayment:
        payment = self.payments.get(reference)
        if payment is None:
            raise RefusedError(f"no payment {reference}")
        return payment
