"""Delivers signed webhooks to the shop's subscriptions, retrying like Shopify.

A delivery that times out or answers anything but 2xx is sent again, with the same body
and the same webhook and event ids, after each delay of the retry schedule (Shopify:
8 retries spread over 4 hours; shorter schedules keep tests fast). One worker thread sends
them in due order; faults can drop, duplicate or delay single deliveries, or hold them all
and release them in reverse order.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from tillflow_simulators.shopify.faults import FaultPlan
from tillflow_simulators.shopify.signing import encode_body, sign
from tillflow_simulators.shopify.store import ShopStore

# Shopify's eight retries, scaled down a hundredfold so a failing receiver recovers in tests.
FAST_RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4)
SHOPIFY_RETRY_DELAYS = (60.0, 120.0, 300.0, 600.0, 1200.0, 2400.0, 3600.0, 6000.0)


@dataclass(frozen=True)
class DeliveryPolicy:
    retry_delays: tuple[float, ...] = FAST_RETRY_DELAYS
    timeout: float = 5.0


@dataclass(order=True)
class _Pending:
    due: float
    sequence: int
    delivery: Delivery = field(compare=False)


@dataclass
class Delivery:
    webhook_id: str
    event_id: str
    topic: str
    uri: str
    body: bytes
    headers: dict[str, str]
    attempt: int = 0
    duplicate: bool = False


@dataclass(frozen=True)
class DeliveryRecord:
    webhook_id: str
    event_id: str
    topic: str
    uri: str
    attempt: int
    status: int | None
    error: str | None
    duplicate: bool
    outcome: str

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


class WebhookDispatcher:
    def __init__(
        self,
        store: ShopStore,
        faults: FaultPlan,
        *,
        secret: str,
        policy: DeliveryPolicy = DeliveryPolicy(),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.faults = faults
        self.secret = secret
        self.policy = policy
        self._monotonic = monotonic
        self._queue: list[_Pending] = []
        self._held: list[Delivery] = []
        self._holding = False
        self._in_flight = 0
        self._sequence = itertools.count()
        self._condition = threading.Condition()
        self._stopped = False
        self.records: list[DeliveryRecord] = []
        self._thread = threading.Thread(target=self._run, name="shopify-sim-webhooks", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._condition:
            self._stopped = True
            self._condition.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout=self.policy.timeout + 1)

    # -- producing --------------------------------------------------------------------

    def publish(self, topic: str, payload: dict[str, Any]) -> None:
        """Queue ``payload`` for every subscription to ``topic`` (called under the store lock)."""
        enum_topic = topic.upper().replace("/", "_")
        event_id = str(uuid.uuid4())
        triggered_at = self.store.now()
        for subscription in list(self.store.subscriptions.values()):
            if subscription.topic != enum_topic:
                continue
            body = encode_body(_only(payload, subscription.include_fields))
            delivery = Delivery(
                webhook_id=str(uuid.uuid4()),
                event_id=event_id,
                topic=topic,
                uri=subscription.uri,
                body=body,
                headers=self._headers(
                    topic, body, event_id, triggered_at, subscription.version_handle
                ),
            )
            self._submit(delivery)

    def _headers(
        self, topic: str, body: bytes, event_id: str, triggered_at: datetime, version: str
    ) -> dict[str, str]:
        return {
            "Content-Type": "application/json",
            "User-Agent": "Shopify-Captain-Hook",
            "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": sign(body, self.secret),
            "X-Shopify-Shop-Domain": self.store.shop_domain,
            "X-Shopify-API-Version": version,
            "X-Shopify-Event-Id": event_id,
            "X-Shopify-Triggered-At": triggered_at.isoformat().replace("+00:00", "Z"),
        }

    def _submit(self, delivery: Delivery) -> None:
        fate = self.faults.webhook_fate()
        if fate.drop:
            self._record(delivery, status=None, error=None, outcome="dropped")
            return
        copies = [delivery]
        if fate.duplicate:
            copies.append(Delivery(**{**delivery.__dict__, "duplicate": True}))
        with self._condition:
            for copy in copies:
                if self._holding:
                    self._held.append(copy)
                else:
                    self._push(copy, delay=fate.delay)
            self._condition.notify_all()

    def _push(self, delivery: Delivery, *, delay: float) -> None:
        due = self._monotonic() + delay
        heapq.heappush(self._queue, _Pending(due, next(self._sequence), delivery))

    def hold(self) -> None:
        with self._condition:
            self._holding = True

    def release(self, *, reverse: bool = True) -> None:
        """Send the held deliveries now, newest first unless ``reverse`` is False."""
        with self._condition:
            held = list(reversed(self._held)) if reverse else list(self._held)
            self._held.clear()
            self._holding = False
            for delivery in held:
                self._push(delivery, delay=0.0)
            self._condition.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until nothing is queued or being sent (held deliveries do not count)."""
        deadline = self._monotonic() + timeout
        with self._condition:
            while self._queue or self._in_flight:
                remaining = deadline - self._monotonic()
                if remaining <= 0:
                    return False
                self._condition.wait(remaining)
            return True

    # -- sending ----------------------------------------------------------------------

    def _run(self) -> None:
        with httpx.Client(timeout=self.policy.timeout) as client:
            while True:
                delivery = self._next_due()
                if delivery is None:
                    return
                self._send(client, delivery)

    def _next_due(self) -> Delivery | None:
        with self._condition:
            while not self._stopped:
                if self._queue:
                    wait = self._queue[0].due - self._monotonic()
                    if wait <= 0:
                        self._in_flight += 1
                        return heapq.heappop(self._queue).delivery
                    self._condition.wait(wait)
                else:
                    self._condition.wait()
            return None

    def _send(self, client: httpx.Client, delivery: Delivery) -> None:
        headers = {**delivery.headers, "X-Shopify-Webhook-Id": delivery.webhook_id}
        status: int | None = None
        error: str | None = None
        try:
            status = client.post(delivery.uri, content=delivery.body, headers=headers).status_code
        except httpx.HTTPError as exc:
            error = type(exc).__name__
        delivered = status is not None and 200 <= status < 300
        retry = not delivered and delivery.attempt < len(self.policy.retry_delays)
        outcome = "delivered" if delivered else "retrying" if retry else "failed"
        self._record(delivery, status=status, error=error, outcome=outcome)
        with self._condition:
            self._in_flight -= 1
            if retry:
                delay = self.policy.retry_delays[delivery.attempt]
                delivery.attempt += 1
                self._push(delivery, delay=delay)
            self._condition.notify_all()

    def _record(
        self, delivery: Delivery, *, status: int | None, error: str | None, outcome: str
    ) -> None:
        self.records.append(
            DeliveryRecord(
                webhook_id=delivery.webhook_id,
                event_id=delivery.event_id,
                topic=delivery.topic,
                uri=delivery.uri,
                attempt=delivery.attempt,
                status=status,
                error=error,
                duplicate=delivery.duplicate,
                outcome=outcome,
            )
        )


def _only(payload: dict[str, Any], include_fields: list[str]) -> dict[str, Any]:
    if not include_fields:
        return payload
    return {key: value for key, value in payload.items() if key in include_fields}
