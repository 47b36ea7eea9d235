"""A client for Adyen's cloud Terminal API (`/sync` and `/async`) over httpx.

Every ServiceID is chosen by the caller, who stores it before the call: after a timeout the
same ServiceID is what a TransactionStatusRequest asks about. Transport failures are
translated in one place (`_translated`) into the `errors` tree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from types import TracebackType
from typing import TypeVar

import httpx
from pydantic import ValidationError

from tillflow.connectors.adyen import wire
from tillflow.connectors.adyen.errors import (
    OutcomeUnknownError,
    TerminalBusyError,
    TerminalConfigurationError,
    TerminalUnreachableError,
    TransactionRefusedError,
)
from tillflow.connectors.adyen.nexo import (
    AbortRequest,
    AmountsReq,
    ErrorCondition,
    MessageCategory,
    MessageClass,
    MessageHeader,
    MessageReference,
    MessageType,
    OriginalPOITransaction,
    PaymentData,
    PaymentRequest,
    PaymentResponse,
    PaymentTransaction,
    Response,
    Result,
    ReversalRequest,
    ReversalResponse,
    SaleData,
    SaleToPOIRequest,
    SaleToPOIResponse,
    TransactionIdentification,
    TransactionStatusRequest,
    TransactionStatusResponse,
    request_envelope,
)

# Cloud payments answer within 150 s; the read timeout must outlast that.
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=160.0, write=10.0, pool=5.0)
_Body = TypeVar("_Body")
_BUSY = {ErrorCondition.BUSY.value, ErrorCondition.IN_PROGRESS.value}


class StatusState(StrEnum):
    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    NOT_FOUND = "not_found"


@dataclass(frozen=True, slots=True)
class TransactionStatus:
    """What a TransactionStatusRequest learned about an earlier request."""

    state: StatusState
    payment: PaymentResponse | None = None
    reversal: ReversalResponse | None = None


def _now() -> datetime:
    return datetime.now(UTC)


class TerminalClient:
    """Sends nexo requests to the cloud Terminal API for one sale system (SaleID)."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        sale_id: str,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._sale_id = sale_id
        self._clock = clock
        self._http = httpx.Client(
            base_url=base_url,
            headers={"X-API-Key": api_key, "Content-Type": "application/json"},
            timeout=timeout,
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> TerminalClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def payment(
        self,
        *,
        poi_id: str,
        service_id: str,
        transaction_id: str,
        amount: Decimal,
        currency: str,
        refund: bool = False,
    ) -> PaymentResponse:
        """Take (or, with `refund`, give back unreferenced) `amount` on the terminal."""
        body = PaymentRequest(
            sale_data=SaleData(
                sale_transaction_id=TransactionIdentification(
                    transaction_id=transaction_id, time_stamp=self._clock()
                )
            ),
            payment_transaction=PaymentTransaction(
                amounts_req=AmountsReq(currency=currency, requested_amount=amount)
            ),
            payment_data=PaymentData(payment_type="Refund") if refund else None,
        )
        header = self._header(MessageCategory.PAYMENT, poi_id, service_id)
        answer = self._exchange(SaleToPOIRequest(message_header=header, payment_request=body))
        payment = _require(answer.payment_response if answer else None, self._unknown(service_id))
        _raise_for_failure(payment.response)
        return payment

    def reversal(
        self,
        *,
        poi_id: str,
        service_id: str,
        poi_transaction: TransactionIdentification,
        amount: Decimal | None = None,
        refund_id: str | None = None,
    ) -> ReversalResponse:
        """Ask for a refund of a payment by its POITransactionID (all of it, or `amount`).

        Success means Adyen received it; its outcome comes later by notification, which
        names the refund by `refund_id` (sent as the reversal's SaleTransactionID)."""
        sale = None if refund_id is None else SaleData(
            sale_transaction_id=TransactionIdentification(transaction_id=refund_id,
                                                          time_stamp=self._clock()))
        body = ReversalRequest(
            original_poi_transaction=OriginalPOITransaction(poi_transaction_id=poi_transaction),
            reversed_amount=amount,
            sale_data=sale,
        )
        header = self._header(MessageCategory.REVERSAL, poi_id, service_id)
        answer = self._exchange(SaleToPOIRequest(message_header=header, reversal_request=body))
        reversal = _require(answer.reversal_response if answer else None, self._unknown(service_id))
        _raise_for_failure(reversal.response)
        return reversal

    def abort(self, *, poi_id: str, service_id: str, original_service_id: str) -> None:
        """Ask the terminal to abandon a payment still in progress (answered with no body)."""
        reference = MessageReference(
            message_category=MessageCategory.PAYMENT,
            sale_id=self._sale_id,
            service_id=original_service_id,
        )
        header = self._header(MessageCategory.ABORT, poi_id, service_id)
        request = SaleToPOIRequest(
            message_header=header, abort_request=AbortRequest(message_reference=reference)
        )
        self._exchange(request)

    def transaction_status(
        self,
        *,
        poi_id: str,
        service_id: str,
        original_service_id: str,
        category: MessageCategory = MessageCategory.PAYMENT,
    ) -> TransactionStatus:
        """Look up the outcome of the request sent with `original_service_id`."""
        body = TransactionStatusRequest(
            message_reference=MessageReference(
                message_category=category,
                sale_id=self._sale_id,
                service_id=original_service_id,
            ),
            receipt_reprint_flag=True,
            document_qualifier=("CashierReceipt", "CustomerReceipt"),
        )
        header = self._header(MessageCategory.TRANSACTION_STATUS, poi_id, service_id)
        request = SaleToPOIRequest(message_header=header, transaction_status_request=body)
        answer = self._exchange(request)
        status = answer.transaction_status_response if answer else None
        return _status_of(_require(status, self._unknown(service_id)))

    def send_async(self, request: SaleToPOIRequest) -> None:
        """Post to `/async`; the result arrives later as an event notification."""
        header = request.message_header
        with self._translated(header.service_id or ""):
            reply = self._http.post("/async", content=wire.dumps(request_envelope(request)))
        _check_status(reply, self._unknown(header.service_id or ""))
        if reply.text.strip() != "ok":
            raise TerminalConfigurationError(f"unexpected /async answer: {reply.text[:80]!r}")

    def _header(self, category: MessageCategory, poi_id: str, service_id: str) -> MessageHeader:
        return MessageHeader(
            message_class=MessageClass.SERVICE,
            message_category=category,
            message_type=MessageType.REQUEST,
            sale_id=self._sale_id,
            poi_id=poi_id,
            service_id=service_id,
        )

    def _exchange(self, request: SaleToPOIRequest) -> SaleToPOIResponse | None:
        service_id = request.message_header.service_id or ""
        with self._translated(service_id):
            reply = self._http.post("/sync", content=wire.dumps(request_envelope(request)))
        _check_status(reply, self._unknown(service_id))
        if not reply.content.strip():
            return None
        return self._parse(reply.content, service_id)

    def _parse(self, raw: bytes, service_id: str) -> SaleToPOIResponse:
        try:
            document = wire.loads(raw)
            if "SaleToPOIRequest" in document:
                _raise_rejection(document["SaleToPOIRequest"])
            return SaleToPOIResponse.model_validate(document["SaleToPOIResponse"])
        except (ValueError, KeyError, TypeError, ValidationError) as exc:
            raise self._unknown(service_id, "unreadable answer from the Terminal API") from exc

    @contextmanager
    def _translated(self, service_id: str) -> Iterator[None]:
        try:
            yield
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise TerminalUnreachableError(f"request not sent: {exc!r}") from exc
        except httpx.TransportError as exc:
            raise self._unknown(service_id, f"no answer after sending: {exc!r}") from exc

    def _unknown(self, service_id: str, why: str = "no usable answer") -> OutcomeUnknownError:
        return OutcomeUnknownError(why, sale_id=self._sale_id, service_id=service_id)


def _check_status(reply: httpx.Response, unknown: OutcomeUnknownError) -> None:
    if reply.status_code in (401, 403):
        raise TerminalConfigurationError("API key refused", status_code=reply.status_code)
    if reply.status_code >= 500:
        raise unknown
    if reply.status_code >= 400:
        raise TerminalConfigurationError(
            f"Terminal API refused the request ({reply.status_code})",
            status_code=reply.status_code,
        )


def _raise_rejection(envelope: dict[str, object]) -> None:
    event = envelope.get("EventNotification")
    details = event.get("EventDetails") if isinstance(event, dict) else None
    raise TerminalUnreachableError(f"the cloud rejected the request: {details}")


def _require(body: _Body | None, unknown: OutcomeUnknownError) -> _Body:
    if body is None:
        raise unknown
    return body


def _raise_for_failure(response: Response) -> None:
    if response.result is not Result.FAILURE:
        return
    condition = response.error_condition or ""
    if condition in _BUSY:
        raise TerminalBusyError(f"terminal busy ({condition})", response=response)
    if condition == ErrorCondition.MESSAGE_FORMAT.value:
        # Nothing was processed: a request the Terminal API cannot read is fixed, not
        # retried (the reason is in AdditionalResponse).
        raise TerminalConfigurationError(
            f"the Terminal API refused the message: {response.additional_response}")
    raise TransactionRefusedError(f"refused: {condition or 'no reason'}", response=response)


def _status_of(status: TransactionStatusResponse) -> TransactionStatus:
    response = status.response
    if response.result is Result.FAILURE:
        if response.error_condition == ErrorCondition.IN_PROGRESS.value:
            return TransactionStatus(state=StatusState.IN_PROGRESS)
        if response.error_condition == ErrorCondition.NOT_FOUND.value:
            return TransactionStatus(state=StatusState.NOT_FOUND)
        raise TransactionRefusedError("transaction status refused", response=response)
    repeated = status.repeated_message_response
    body = repeated.repeated_response_message_body if repeated else None
    return TransactionStatus(
        state=StatusState.COMPLETED,
        payment=body.payment_response if body else None,
        reversal=body.reversal_response if body else None,
    )
