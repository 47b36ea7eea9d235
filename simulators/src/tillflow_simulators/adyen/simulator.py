"""The simulated terminals: what each nexo request does, independent of HTTP."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from tillflow.connectors.adyen.nexo import (
    AbortRequest,
    MessageCategory,
    ReversalRequest,
    SaleToPOIRequest,
    SaleToPOIResponse,
    TransactionStatusRequest,
)
from tillflow_simulators.adyen import replies
from tillflow_simulators.adyen.notifier import NotificationSettings, Notifier, notification_item
from tillflow_simulators.adyen.records import (
    Behaviour,
    ReferenceMaker,
    TerminalSettings,
    TransactionRecord,
    TransactionState,
)


@dataclass(frozen=True, slots=True)
class Reply:
    """What the HTTP layer sends: a JSON document, an empty 200, or nothing at all."""

    document: dict[str, Any] | None = None
    drop_connection: bool = False


def _now() -> datetime:
    return datetime.now(UTC)


class AdyenSimulator:
    """Terminals by POIID, their transaction log and the webhooks they cause."""

    def __init__(
        self,
        *,
        notifications: NotificationSettings | None = None,
        clock: Callable[[], datetime] = _now,
        references: ReferenceMaker | None = None,
    ) -> None:
        self.notifier = Notifier(settings=notifications or NotificationSettings())
        self._clock = clock
        self._refs = references or ReferenceMaker()
        self._lock = threading.Lock()
        self._terminals: dict[str, TerminalSettings] = {}
        self._log: list[TransactionRecord] = []
        self._by_service: dict[tuple[str, str, str], TransactionRecord] = {}
        self._seen: set[tuple[str, str]] = set()
        self._running: dict[str, TransactionRecord] = {}
        self._stopping = threading.Event()

    def add_terminal(self, poi_id: str, **settings: Any) -> TerminalSettings:
        """Register a terminal (or change one) with `TerminalSettings` fields."""
        with self._lock:
            current = self._terminals.get(poi_id, TerminalSettings())
            merged = {**current.as_dict(), **settings}
            merged["behaviour"] = Behaviour(merged["behaviour"])
            self._terminals[poi_id] = TerminalSettings(**merged)
            return self._terminals[poi_id]

    def terminals(self) -> dict[str, TerminalSettings]:
        with self._lock:
            return dict(self._terminals)

    def transactions(self) -> list[TransactionRecord]:
        """The log, oldest first, for reconciliation tests."""
        with self._lock:
            return list(self._log)

    def reset(self) -> None:
        with self._lock:
            self._log.clear()
            self._by_service.clear()
            self._seen.clear()

    def stop(self) -> None:
        """Wake every held request so the server can shut down, and stop webhooks."""
        self._stopping.set()
        with self._lock:
            for record in self._running.values():
                record.wake.set()
        self.notifier.stop()

    def handle(self, request: SaleToPOIRequest) -> Reply:
        """Process one request for the cloud's `/sync` endpoint."""
        header = request.message_header
        settings = self.terminals().get(header.poi_id)
        if settings is None or settings.behaviour is Behaviour.OFFLINE:
            message = "Did not receive a response from the POI."
            return Reply(replies.reject(request, message, self._clock()))
        if not self._claim_service_id(header.poi_id, header.service_id or ""):
            answer = replies.failure(request, "MessageFormat", "message=ServiceID+already+used")
            return Reply(replies.envelope(answer))
        if request.payment_request is not None:
            return self._payment(request, settings)
        if request.transaction_status_request is not None:
            status = self._status(request, request.transaction_status_request)
            return Reply(replies.envelope(status))
        if request.reversal_request is not None:
            return Reply(replies.envelope(self._reversal(request, request.reversal_request)))
        if request.abort_request is not None:
            self._abort(request, request.abort_request)
            return Reply()
        unsupported = replies.failure(request, "MessageFormat", "message=Unsupported+request")
        return Reply(replies.envelope(unsupported))

    def _claim_service_id(self, poi_id: str, service_id: str) -> bool:
        with self._lock:
            if (poi_id, service_id) in self._seen:
                return False
            self._seen.add((poi_id, service_id))
            return True

    def _payment(self, request: SaleToPOIRequest, settings: TerminalSettings) -> Reply:
        record = self._start_payment(request)
        if record is None:
            busy = replies.failure(request, "Busy", urlencode({"message": replies.BUSY_MESSAGE}))
            return Reply(replies.envelope(busy))
        try:
            answer = self._run_payment(request, record, settings)
        finally:
            with self._lock:
                self._running.pop(record.poi_id, None)
        if answer is None:
            return Reply()
        self._finish(record, answer)
        return Reply(
            replies.envelope(answer),
            drop_connection=settings.behaviour is Behaviour.LOSE_RESPONSE,
        )

    def _start_payment(self, request: SaleToPOIRequest) -> TransactionRecord | None:
        header, body = request.message_header, request.payment_request
        assert body is not None
        moment = self._clock()
        psp = self._refs.psp_reference()
        amounts = body.payment_transaction.amounts_req
        record = TransactionRecord(
            poi_id=header.poi_id,
            sale_id=header.sale_id,
            service_id=header.service_id or "",
            category=MessageCategory.PAYMENT.value,
            transaction_id=body.sale_data.sale_transaction_id.transaction_id,
            amount=amounts.requested_amount,
            currency=amounts.currency,
            created_at=moment,
            psp_reference=psp,
            poi_transaction_id=self._refs.poi_transaction_id(psp, moment),
        )
        with self._lock:
            if header.poi_id in self._running:
                return None
            self._running[header.poi_id] = record
            self._log.append(record)
            self._by_service[(record.poi_id, record.sale_id, record.service_id)] = record
        return record

    def _run_payment(
        self, request: SaleToPOIRequest, record: TransactionRecord, settings: TerminalSettings
    ) -> SaleToPOIResponse | None:
        hold = settings.timeout_after if settings.behaviour is Behaviour.TIMEOUT else settings.delay
        if hold > 0:
            record.wake.wait(hold)
        if self._stopping.is_set():
            return None
        if record.aborted:
            record.state = TransactionState.ABORTED
            return replies.refused_payment(request, record, condition="Aborted", reason="Cancelled")
        if settings.behaviour is Behaviour.TIMEOUT:
            record.state = TransactionState.TIMED_OUT
            return replies.refused_payment(
                request, record, condition="Communication timeout", reason="Acquirer Error"
            )
        if settings.behaviour is Behaviour.DECLINE:
            record.state = TransactionState.DECLINED
            return replies.refused_payment(
                request,
                record,
                condition=settings.error_condition,
                reason=settings.refusal_reason,
            )
        record.state = TransactionState.APPROVED
        return replies.approved_payment(request, record)

    def _finish(self, record: TransactionRecord, answer: SaleToPOIResponse) -> None:
        with self._lock:
            record.response = answer
        if record.state in (TransactionState.APPROVED, TransactionState.DECLINED):
            approved = record.state is TransactionState.APPROVED
            self.notifier.notify(
                notification_item(
                    record,
                    event_code="AUTHORISATION",
                    success=approved,
                    merchant_account=self.notifier.settings.merchant_account,
                    event_date=self._clock(),
                    reason="123456" if approved else "Refused",
                )
            )

    def _status(
        self, request: SaleToPOIRequest, body: TransactionStatusRequest
    ) -> SaleToPOIResponse:
        header = request.message_header
        reference = body.message_reference
        with self._lock:
            if reference is None or reference.service_id is None:
                on_terminal = [r for r in self._log if r.poi_id == header.poi_id]
                record = on_terminal[-1] if on_terminal else None
            else:
                key = (header.poi_id, reference.sale_id or header.sale_id, reference.service_id)
                record = self._by_service.get(key)
            answer = record.response if record else None
        if record is None:
            return replies.failure(request, "NotFound", "message=Transaction+not+found")
        if answer is None:
            return replies.failure(request, "InProgress", "message=Transaction+in+progress")
        return replies.status_found(request, answer)

    def _reversal(self, request: SaleToPOIRequest, body: ReversalRequest) -> SaleToPOIResponse:
        wanted = body.original_poi_transaction.poi_transaction_id.transaction_id
        header = request.message_header
        with self._lock:
            payments = (r for r in self._log if r.category == MessageCategory.PAYMENT.value)
            original = next((r for r in payments if r.poi_transaction_id == wanted), None)
            if original is None or original.state is not TransactionState.APPROVED:
                return replies.failure(request, "NotAllowed", "message=Original+not+reversible")
            remaining = original.amount - original.refunded
            amount = remaining if body.reversed_amount is None else body.reversed_amount
            if amount <= 0 or amount > remaining:
                return replies.failure(request, "NotAllowed", "message=Amount+exceeds+remaining")
            original.refunded += amount
            moment = self._clock()
            psp = self._refs.psp_reference()
            record = TransactionRecord(
                poi_id=header.poi_id,
                sale_id=header.sale_id,
                service_id=header.service_id or "",
                category=MessageCategory.REVERSAL.value,
                transaction_id=original.transaction_id,
                amount=amount,
                currency=original.currency,
                created_at=moment,
                psp_reference=psp,
                poi_transaction_id=self._refs.poi_transaction_id(psp, moment),
                state=TransactionState.APPROVED,
                original_psp_reference=original.psp_reference,
            )
            record.response = replies.reversed_payment(request, record)
            self._log.append(record)
            self._by_service[(record.poi_id, record.sale_id, record.service_id)] = record
        self.notifier.notify(
            notification_item(
                record,
                event_code="CANCEL_OR_REFUND",
                success=True,
                merchant_account=self.notifier.settings.merchant_account,
                event_date=moment,
            )
        )
        return record.response

    def _abort(self, request: SaleToPOIRequest, body: AbortRequest) -> None:
        reference = body.message_reference
        with self._lock:
            running = self._running.get(request.message_header.poi_id)
            if running is not None and running.service_id == reference.service_id:
                running.aborted = True
                running.wake.set()
