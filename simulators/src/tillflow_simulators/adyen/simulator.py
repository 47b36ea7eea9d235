"""The simulated terminals: what each nexo request does, independent of HTTP.

Requests arrive as JSON already checked against Adyen's official models (``server``),
so required fields are there; what the models cannot say (ServiceID reuse, a busy
terminal, the amount left to refund) is decided here.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from tillflow_simulators.adyen import replies
from tillflow_simulators.adyen.messages import at
from tillflow_simulators.adyen.notifier import NotificationSettings, Notifier, notification_item
from tillflow_simulators.adyen.records import (
    Behaviour,
    ReferenceMaker,
    RefundOutcome,
    TerminalSettings,
    TransactionRecord,
    TransactionState,
)
from tillflow_simulators.adyen.reports import FeeSchedule

# Adyen: 1 to 10 alphanumeric characters.
_SERVICE_ID = re.compile(r"[A-Za-z0-9]{1,10}")


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
        # What the account pays per settled payment, as its reports show (settable).
        self.fees = FeeSchedule()
        self._clock = clock
        self._refs = references or ReferenceMaker()
        self._lock = threading.Lock()
        self._terminals: dict[str, TerminalSettings] = {}
        self._log: list[TransactionRecord] = []
        self._by_service: dict[tuple[str, str, str], TransactionRecord] = {}
        self._seen: set[tuple[str, str]] = set()
        self._running: dict[str, TransactionRecord] = {}
        self._timers: list[threading.Timer] = []
        self._stopping = threading.Event()

    def add_terminal(self, poi_id: str, **settings: Any) -> TerminalSettings:
        """Register a terminal (or change one) with `TerminalSettings` fields."""
        with self._lock:
            current = self._terminals.get(poi_id, TerminalSettings())
            merged = {**current.as_dict(), **settings}
            merged["behaviour"] = Behaviour(merged["behaviour"])
            merged["refund_outcome"] = RefundOutcome(merged["refund_outcome"])
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
            for timer in self._timers:
                timer.cancel()
        self.notifier.stop()

    def new_poi(self) -> dict[str, Any]:
        """POIData for an answer that records no transaction (a refused request)."""
        moment = self._clock()
        psp = self._refs.psp_reference()
        return replies.poi_data(self._refs.poi_transaction_id(psp, moment), moment)

    def handle(self, request: dict[str, Any], raw: bytes = b"") -> Reply:
        """Process one request (``{"SaleToPOIRequest": ...}``) for ``/sync``."""
        header = request["SaleToPOIRequest"]["MessageHeader"]
        poi_id, service_id = header["POIID"], str(header.get("ServiceID", ""))
        settings = self.terminals().get(poi_id)
        if settings is None or settings.behaviour is Behaviour.OFFLINE:
            message = "Did not receive a response from the POI."
            return Reply(replies.reject(raw, request, message, self._clock()))
        if not _SERVICE_ID.fullmatch(service_id):
            problem = "At SaleToPOIRequest.MessageHeader, field ServiceID: Invalid value"
            return Reply(replies.format_error(request, problem, poi=self.new_poi()))
        if not self._claim_service_id(poi_id, service_id):
            return Reply(replies.failure(request, "MessageFormat",
                                         "message=ServiceID+already+used", poi=self.new_poi()))
        body = request["SaleToPOIRequest"]
        if "PaymentRequest" in body:
            return self._payment(request, settings)
        if "TransactionStatusRequest" in body:
            return Reply(self._status(request))
        if "ReversalRequest" in body:
            return Reply(self._reversal(request, settings))
        if "AbortRequest" in body:
            self._abort(poi_id, body["AbortRequest"])
            return Reply()
        return Reply(replies.failure(request, "UnavailableService",
                                     "message=Unavailable+Device+Service", poi=self.new_poi()))

    def _claim_service_id(self, poi_id: str, service_id: str) -> bool:
        with self._lock:
            if (poi_id, service_id) in self._seen:
                return False
            self._seen.add((poi_id, service_id))
            return True

    def _payment(self, request: dict[str, Any], settings: TerminalSettings) -> Reply:
        record = self._start_payment(request)
        if record is None:
            busy = urlencode({"message": replies.BUSY_MESSAGE})
            return Reply(replies.failure(request, "Busy", busy, poi=self.new_poi()))
        try:
            answer = self._run_payment(request, record, settings)
        finally:
            with self._lock:
                self._running.pop(record.poi_id, None)
        if answer is None:
            return Reply()
        self._finish(record, answer)
        return Reply(answer, drop_connection=settings.behaviour is Behaviour.LOSE_RESPONSE)

    def _start_payment(self, request: dict[str, Any]) -> TransactionRecord | None:
        header = request["SaleToPOIRequest"]["MessageHeader"]
        body = request["SaleToPOIRequest"]["PaymentRequest"]
        moment = self._clock()
        psp = self._refs.psp_reference()
        amounts = body["PaymentTransaction"]["AmountsReq"]
        record = TransactionRecord(
            poi_id=header["POIID"],
            sale_id=header.get("SaleID", ""),
            service_id=header["ServiceID"],
            category="Payment",
            transaction_id=body["SaleData"]["SaleTransactionID"]["TransactionID"],
            amount=Decimal(amounts.get("RequestedAmount", 0)),
            currency=amounts["Currency"],
            created_at=moment,
            psp_reference=psp,
            poi_transaction_id=self._refs.poi_transaction_id(psp, moment),
        )
        with self._lock:
            if record.poi_id in self._running:
                return None
            self._running[record.poi_id] = record
            self._log.append(record)
            self._by_service[(record.poi_id, record.sale_id, record.service_id)] = record
        return record

    def _run_payment(self, request: dict[str, Any], record: TransactionRecord,
                     settings: TerminalSettings) -> dict[str, Any] | None:
        hold = settings.timeout_after if settings.behaviour is Behaviour.TIMEOUT else settings.delay
        if hold > 0:
            record.wake.wait(hold)
        if self._stopping.is_set():
            return None
        if record.aborted:
            record.state = TransactionState.ABORTED
            return replies.refused_payment(request, record, condition="Aborted",
                                           reason="Cancelled")
        if settings.behaviour is Behaviour.TIMEOUT:
            # Nobody presented a card in time: the terminal gives up and cancels.
            record.state = TransactionState.TIMED_OUT
            return replies.refused_payment(request, record, condition="Cancel",
                                           reason="Transaction timed out")
        if settings.behaviour is Behaviour.DECLINE:
            record.state = TransactionState.DECLINED
            return replies.refused_payment(request, record, condition=settings.error_condition,
                                           reason=settings.refusal_reason)
        record.state = TransactionState.APPROVED
        return replies.approved_payment(request, record,
                                        merchant_account=self.notifier.settings.merchant_account)

    def _finish(self, record: TransactionRecord, answer: dict[str, Any]) -> None:
        with self._lock:
            record.response = answer
        if record.state in (TransactionState.APPROVED, TransactionState.DECLINED):
            approved = record.state is TransactionState.APPROVED
            self.notifier.notify(notification_item(
                record, event_code="AUTHORISATION", success=approved,
                merchant_account=self.notifier.settings.merchant_account,
                event_date=self._clock(), reason="123456" if approved else "Refused"))

    def _status(self, request: dict[str, Any]) -> dict[str, Any]:
        header = request["SaleToPOIRequest"]["MessageHeader"]
        reference = at(request, "SaleToPOIRequest", "TransactionStatusRequest",
                       "MessageReference") or {}
        with self._lock:
            if "ServiceID" not in reference:
                on_terminal = [r for r in self._log if r.poi_id == header["POIID"]]
                record = on_terminal[-1] if on_terminal else None
            else:
                key = (header["POIID"], reference.get("SaleID", header.get("SaleID", "")),
                       reference["ServiceID"])
                record = self._by_service.get(key)
            answer = record.response if record else None
        if record is None:
            return replies.failure(request, "NotFound", "message=Transaction+not+found",
                                   poi=self.new_poi())
        if answer is None:
            return replies.failure(request, "InProgress", "message=Transaction+in+progress",
                                   poi=self.new_poi())
        return replies.status_found(request, answer)

    def _reversal(self, request: dict[str, Any], settings: TerminalSettings) -> dict[str, Any]:
        header = request["SaleToPOIRequest"]["MessageHeader"]
        body = request["SaleToPOIRequest"]["ReversalRequest"]
        wanted = at(body, "OriginalPOITransaction", "POITransactionID", "TransactionID")
        with self._lock:
            payments = (r for r in self._log if r.category == "Payment")
            original = next((r for r in payments if r.poi_transaction_id == wanted), None)
            if original is None or original.state is not TransactionState.APPROVED:
                return replies.failure(request, "NotAllowed", "message=Original+not+reversible",
                                       poi=self.new_poi())
            remaining = original.amount - original.refunded
            asked = body.get("ReversedAmount")
            amount = remaining if asked is None else Decimal(asked)
            if amount <= 0 or amount > remaining:
                return replies.failure(request, "NotAllowed", "message=Amount+exceeds+remaining",
                                       poi=self.new_poi())
            original.refunded += amount
            moment = self._clock()
            psp = self._refs.psp_reference()
            record = TransactionRecord(
                poi_id=header["POIID"], sale_id=header.get("SaleID", ""),
                service_id=header["ServiceID"], category="Reversal",
                transaction_id=at(body, "SaleData", "SaleTransactionID", "TransactionID")
                or original.transaction_id,
                amount=amount, currency=original.currency, created_at=moment,
                psp_reference=psp, poi_transaction_id=psp,
                state=TransactionState.REFUND_RECEIVED,
                original_psp_reference=original.psp_reference,
            )
            record.response = replies.reversal_received(request, record)
            self._log.append(record)
            self._by_service[(record.poi_id, record.sale_id, record.service_id)] = record
        self._settle_later(record, original, settings)
        return record.response

    def _settle_later(self, record: TransactionRecord, original: TransactionRecord,
                      settings: TerminalSettings) -> None:
        """Adyen settles a referenced refund after answering it: CANCEL_OR_REFUND, and
        REFUND_FAILED when the card scheme refuses it later."""
        timer = threading.Timer(settings.refund_delay, self._settle,
                                args=(record, original, settings.refund_outcome))
        timer.daemon = True
        with self._lock:
            self._timers.append(timer)
        timer.start()

    def _settle(self, record: TransactionRecord, original: TransactionRecord,
                outcome: RefundOutcome) -> None:
        accepted = outcome is not RefundOutcome.REFUSED
        with self._lock:
            record.state = TransactionState.REFUNDED if outcome is RefundOutcome.SUCCESS \
                else TransactionState.REFUND_FAILED
            if record.state is TransactionState.REFUND_FAILED:
                original.refunded -= record.amount
        account = self.notifier.settings.merchant_account
        self.notifier.notify(notification_item(
            record, event_code="CANCEL_OR_REFUND", success=accepted, merchant_account=account,
            event_date=self._clock(), reason="" if accepted else "Refund not allowed"))
        if outcome is RefundOutcome.FAILED:
            self.notifier.notify(notification_item(
                record, event_code="REFUND_FAILED", success=True, merchant_account=account,
                event_date=self._clock(), reason="Refund rejected by the card scheme"))

    def _abort(self, poi_id: str, body: dict[str, Any]) -> None:
        service_id = at(body, "MessageReference", "ServiceID")
        with self._lock:
            running = self._running.get(poi_id)
            if running is not None and running.service_id == service_id:
                running.aborted = True
                running.wake.set()
