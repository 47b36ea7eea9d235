"""Sends the simulator's webhooks: HMAC-signed standard notifications and async results.

Deliveries run on one background thread, in order, like Adyen's per-endpoint queue. A
delivery counts as accepted on a 2xx whose body contains ``[accepted]``; otherwise it is
retried after each of `retry_delays` (seconds here, where Adyen waits minutes to hours).
For tests, deliveries can be held and released later (optionally in reverse order) and
each can be sent twice.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from tillflow_simulators.adyen.records import TransactionRecord
from tillflow_simulators.adyen.signing import minor_units, signature

_STOP = object()
# Adyen counts a delivery as accepted when the endpoint answers this.
ACKNOWLEDGEMENT = "[accepted]"


@dataclass
class NotificationSettings:
    url: str | None = None
    hmac_key: str | None = None
    merchant_account: str = "TillflowSimulatorMerchant"
    event_url: str | None = None
    hold: bool = False
    duplicate: bool = False
    retry_delays: tuple[float, ...] = (0.2, 0.5, 1.0)


@dataclass
class Delivery:
    url: str
    body: bytes
    kind: str
    attempts: int = 0
    accepted: bool = False
    statuses: list[int | str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "kind": self.kind,
            "attempts": self.attempts,
            "accepted": self.accepted,
            "statuses": list(self.statuses),
            "body": json.loads(self.body) if self.kind == "notification" else None,
        }


def notification_item(
    record: TransactionRecord,
    *,
    event_code: str,
    success: bool,
    merchant_account: str,
    event_date: datetime,
    reason: str = "",
    merchant_reference: str | None = None,
) -> dict[str, Any]:
    """An unsigned NotificationRequestItem for a payment or a reversal."""
    item: dict[str, Any] = {
        "amount": {
            "currency": record.currency,
            "value": minor_units(record.amount, record.currency),
        },
        "eventCode": event_code,
        "eventDate": event_date.isoformat(),
        "merchantAccountCode": merchant_account,
        "merchantReference": merchant_reference or record.transaction_id,
        "pspReference": record.psp_reference,
        "paymentMethod": "visa",
        "reason": reason,
        "success": "true" if success else "false",
    }
    if record.original_psp_reference:
        item["originalReference"] = record.original_psp_reference
        item["additionalData"] = {"modification.action": "refund"}
    return item


class Notifier:
    """Queues and delivers webhooks from one background thread."""

    def __init__(self, *, settings: NotificationSettings) -> None:
        self.settings = settings
        self.deliveries: list[Delivery] = []
        self._held: list[Delivery] = []
        self._queue: queue.Queue[object] = queue.Queue()
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0
        self._thread = threading.Thread(target=self._run, name="adyen-sim-notifier", daemon=True)
        self._thread.start()

    def notify(self, item: Mapping[str, Any]) -> None:
        """Sign one item and queue it, if a notification URL and key are configured."""
        url, key = self.settings.url, self.settings.hmac_key
        if url is None or key is None:
            return
        signed = dict(item)
        signed["additionalData"] = {**item.get("additionalData", {}),
                                    "hmacSignature": signature(item, key)}
        envelope = {"live": "false", "notificationItems": [{"NotificationRequestItem": signed}]}
        self._submit(Delivery(url=url, body=json.dumps(envelope).encode(), kind="notification"))

    def send_event(self, body: bytes) -> None:
        """Queue an asynchronous Terminal API result for the event notification URL."""
        if self.settings.event_url is not None:
            self._submit(Delivery(url=self.settings.event_url, body=body, kind="event"))

    def release(self, *, reverse: bool = False) -> int:
        """Send the held deliveries, in order or reversed; returns how many."""
        with self._lock:
            held, self._held = self._held, []
        for delivery in reversed(held) if reverse else held:
            self._enqueue(delivery)
        return len(held)

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Block until every queued delivery has finished its attempts."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def stop(self) -> None:
        self._stopped.set()
        self._queue.put(_STOP)
        self._thread.join(timeout=5)

    def _submit(self, delivery: Delivery) -> None:
        copies = [delivery]
        if self.settings.duplicate:
            copies.append(Delivery(url=delivery.url, body=delivery.body, kind=delivery.kind))
        with self._lock:
            self.deliveries.extend(copies)
            if self.settings.hold:
                self._held.extend(copies)
                return
        for copy in copies:
            self._enqueue(copy)

    def _enqueue(self, delivery: Delivery) -> None:
        with self._lock:
            self._pending += 1
        self._queue.put(delivery)

    def _run(self) -> None:
        with httpx.Client(timeout=httpx.Timeout(5.0)) as http:
            while (job := self._queue.get()) is not _STOP:
                assert isinstance(job, Delivery)
                self._deliver(http, job)
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def _deliver(self, http: httpx.Client, delivery: Delivery) -> None:
        for pause in (0.0, *self.settings.retry_delays):
            if pause and self._stopped.wait(pause):
                return
            delivery.attempts += 1
            try:
                reply = http.post(
                    delivery.url,
                    content=delivery.body,
                    headers={"Content-Type": "application/json"},
                )
            except httpx.HTTPError as exc:
                delivery.statuses.append(type(exc).__name__)
                continue
            delivery.statuses.append(reply.status_code)
            if reply.is_success and (delivery.kind == "event" or ACKNOWLEDGEMENT in reply.text):
                delivery.accepted = True
                return
