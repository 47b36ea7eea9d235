"""The payments port over Adyen's cloud Terminal API (card present).

A payment's reference is ``POIID/ServiceID``, chosen before any call: the ServiceID is
derived from tillflow's payment id, so the reference is stored before the PaymentRequest
leaves and a lost answer is always resolved with a TransactionStatusRequest for it. A
terminal payment is captured when approved; a void of it is a full reversal. A refund
(a referenced reversal) is pending until Adyen's notification settles it.

The Terminal API lists no payments: ``list_payments`` reads Adyen's daily Payment
accounting reports instead (``reports``), when the connection has a report user.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx

from tillflow.connectors.adyen.errors import (
    OutcomeUnknownError as TerminalOutcomeUnknown,
)
from tillflow.connectors.adyen.errors import (
    TerminalBusyError,
    TerminalConfigurationError,
    TerminalUnreachableError,
    TransactionRefusedError,
)
from tillflow.connectors.adyen.nexo import (
    MessageCategory,
    PaymentResponse,
    Result,
    ReversalResponse,
    TransactionIdentification,
)
from tillflow.connectors.adyen.reports import ReportClient, ReportSource
from tillflow.connectors.adyen.service_id import ALPHABET, LENGTH, ServiceIdGenerator
from tillflow.connectors.adyen.terminal_client import (
    DEFAULT_TIMEOUT,
    StatusState,
    TerminalClient,
)
from tillflow.domain.money import Currency
from tillflow.ports.payments import (
    ConfigurationError,
    DeclinedError,
    GatewayPayment,
    GatewayRefund,
    GatewayState,
    GatewayUnreachableError,
    OutcomeUnknownError,
    PaymentOrder,
    RefusedError,
)


def service_id_of(payment_id: str) -> str:
    """The ServiceID of a payment: 10 base-62 characters of a hash of its id."""
    number = int.from_bytes(hashlib.sha256(payment_id.encode()).digest(), "big")
    chars = []
    for _ in range(LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return "".join(chars)


class AdyenGateway:
    def __init__(self, *, base_url: str, api_key: str, sale_id: str,
                 check_terminal: str | None = None, reports: ReportSource | None = None,
                 timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> None:
        self._client = TerminalClient(base_url=base_url, api_key=api_key, sale_id=sale_id,
                                      timeout=timeout)
        self._reports = None if reports is None else ReportClient(reports, timeout=timeout)
        self._ids = ServiceIdGenerator()
        self._check_terminal = check_terminal

    def start(self, order: PaymentOrder, *, idempotency_key: str) -> str:
        if order.terminal is None:
            raise ConfigurationError("an Adyen payment needs a terminal (POIID)")
        return f"{order.terminal}/{service_id_of(order.payment_id)}"

    def authorize(self, reference: str, order: PaymentOrder, *,
                  idempotency_key: str) -> GatewayPayment:
        poi_id, service_id = _split(reference)
        currency = Currency.of(order.currency)
        with _translated():
            answer = self._client.payment(
                poi_id=poi_id, service_id=service_id, transaction_id=order.payment_id,
                amount=currency.from_minor(order.amount), currency=currency.code)
        return _payment(reference, answer, order.amount)

    def lookup(self, reference: str) -> GatewayPayment:
        found = self._status(reference)
        if found is None:
            # The terminal never received it: nothing was or will be taken.
            return GatewayPayment(reference=reference, state=GatewayState.FAILED, amount=0,
                                  decline_code="not_found")
        return found

    def find(self, order: PaymentOrder, *, idempotency_key: str | None = None,
             sent_at: int | None = None) -> GatewayPayment | None:
        """The reference follows from the order (terminal and payment id): ask for it."""
        if order.terminal is None:
            return None
        return self._status(self.start(order, idempotency_key=""))

    def _status(self, reference: str) -> GatewayPayment | None:
        poi_id, service_id = _split(reference)
        with _translated():
            status = self._client.transaction_status(
                poi_id=poi_id, service_id=self._ids.next(), original_service_id=service_id)
        if status.state is StatusState.IN_PROGRESS:
            return GatewayPayment(reference=reference, state=GatewayState.PROCESSING, amount=0)
        if status.state is StatusState.NOT_FOUND or status.payment is None:
            return None
        return _payment(reference, status.payment, None)

    def capture(self, reference: str, *, amount: int, idempotency_key: str) -> GatewayPayment:
        found = self.lookup(reference)
        if found.state is not GatewayState.CAPTURED:
            raise RefusedError(f"payment {reference} is {found.state}")
        return found

    def abort(self, order: PaymentOrder) -> None:
        """Ask the terminal to stop waiting for the order's card (AbortRequest): the payment
        then answers Failure ``Aborted``; a payment already answered is left as it is."""
        poi_id, service_id = _split(self.start(order, idempotency_key=""))
        with _translated():
            self._client.abort(poi_id=poi_id, service_id=self._ids.next(),
                               original_service_id=service_id)

    def cancel(self, reference: str, *, idempotency_key: str) -> GatewayPayment:
        found = self.lookup(reference)
        if found.state is GatewayState.PROCESSING:
            poi_id, service_id = _split(reference)
            with _translated():
                self._client.abort(poi_id=poi_id, service_id=self._ids.next(),
                                   original_service_id=service_id)
            return GatewayPayment(reference=reference, state=GatewayState.CANCELLED, amount=0)
        if found.state is GatewayState.CAPTURED:
            self.refund(reference, amount=found.amount, idempotency_key=idempotency_key)
            return GatewayPayment(reference=reference, state=GatewayState.CANCELLED,
                                  amount=found.amount)
        return found

    def refund(self, reference: str, *, amount: int, idempotency_key: str) -> GatewayRefund:
        """A ReversalRequest whose ServiceID follows from ``idempotency_key``: a lost answer
        is looked up by it (``find_refund``), and the cloud refuses the same ServiceID
        twice, so a repeated refund can never be a second one.

        Adyen answers that it received the refund; the refund is ``pending`` until its
        notification (CANCEL_OR_REFUND, then perhaps REFUND_FAILED) settles it. The key
        travels as the reversal's SaleTransactionID, which those notifications carry as
        merchantReference; the refund's reference is its pspReference."""
        poi_id, service_id = _split(reference)
        with _translated():
            status = self._client.transaction_status(
                poi_id=poi_id, service_id=self._ids.next(), original_service_id=service_id)
        payment = status.payment
        original = _poi_transaction(payment)
        amounts = payment.payment_result.amounts_resp if payment and payment.payment_result \
            else None
        if original is None or amounts is None:
            raise RefusedError(f"payment {reference} was not approved")
        with _translated():
            reversal = self._client.reversal(
                poi_id=poi_id, service_id=service_id_of(idempotency_key),
                poi_transaction=original,
                amount=Currency.of(amounts.currency).from_minor(amount),
                refund_id=idempotency_key)
        return _refund(reference, reversal, amount)

    def find_refund(self, reference: str, *, amount: int,
                    idempotency_key: str) -> GatewayRefund | None:
        poi_id, _ = _split(reference)
        with _translated():
            status = self._client.transaction_status(
                poi_id=poi_id, service_id=self._ids.next(),
                original_service_id=service_id_of(idempotency_key),
                category=MessageCategory.REVERSAL)
        if status.state is StatusState.IN_PROGRESS:
            raise OutcomeUnknownError(f"the refund of {reference} is still in progress")
        if status.state is StatusState.NOT_FOUND or status.reversal is None:
            return None
        return _refund(reference, status.reversal, amount)

    def list_payments(self, *, since: int, until: int) -> list[GatewayPayment]:
        """The payments of each UTC day in [since, until) from Adyen's daily reports."""
        if self._reports is None:
            raise ConfigurationError("the Terminal API lists no payments: set merchant_account "
                                     "and the report user (report_user, report_password)")
        day = datetime.fromtimestamp(since, UTC).date()
        last = datetime.fromtimestamp(until - 1, UTC).date()
        found: list[GatewayPayment] = []
        while day <= last:
            found.extend(self._reports.payments_of(day))
            day += timedelta(days=1)
        return found

    def check(self) -> None:
        if self._check_terminal is None:
            raise ConfigurationError("set check_terminal (a POIID) to check this connection")
        with _translated():
            self._client.transaction_status(poi_id=self._check_terminal,
                                            service_id=self._ids.next(),
                                            original_service_id=self._ids.next())

    def close(self) -> None:
        self._client.close()
        if self._reports is not None:
            self._reports.close()


def _refund(reference: str, reversal: ReversalResponse, amount: int) -> GatewayRefund:
    """A received reversal is pending: its POITransactionID is the refund's pspReference,
    and its outcome comes by notification."""
    made = reversal.poi_data.poi_transaction_id.transaction_id if reversal.poi_data else ""
    return GatewayRefund(reference=made, payment_reference=reference, amount=amount,
                         succeeded=False, pending=reversal.response.result is Result.SUCCESS)


def _split(reference: str) -> tuple[str, str]:
    poi_id, _, service_id = reference.rpartition("/")
    return poi_id, service_id


def _poi_transaction(payment: PaymentResponse | None) -> TransactionIdentification | None:
    if payment is None or payment.response.result is Result.FAILURE or payment.poi_data is None:
        return None
    return payment.poi_data.poi_transaction_id


def _payment(reference: str, answer: PaymentResponse, amount: int | None) -> GatewayPayment:
    if answer.response.result is Result.FAILURE:
        return GatewayPayment(reference=reference, state=GatewayState.FAILED, amount=amount or 0,
                              decline_code=answer.response.error_condition or "Refusal")
    amounts = answer.payment_result.amounts_resp if answer.payment_result else None
    taken = amount if amounts is None else Currency.of(amounts.currency).to_minor(
        Decimal(amounts.authorized_amount))
    return GatewayPayment(reference=reference, state=GatewayState.CAPTURED, amount=taken or 0,
                          captured=taken or 0)


@contextmanager
def _translated() -> Iterator[None]:
    """The Terminal API's errors, in the port's words."""
    try:
        yield
    except TransactionRefusedError as exc:
        code = exc.error_condition or "Refusal"
        if code == "NotAllowed":
            raise RefusedError(f"Adyen refused: {exc}") from exc
        raise DeclinedError(str(exc), code=code) from exc
    except TerminalBusyError as exc:
        raise GatewayUnreachableError(f"terminal busy: {exc}") from exc
    except TerminalOutcomeUnknown as exc:
        raise OutcomeUnknownError(str(exc)) from exc
    except TerminalUnreachableError as exc:
        raise GatewayUnreachableError(str(exc)) from exc
    except TerminalConfigurationError as exc:
        raise ConfigurationError(str(exc)) from exc
