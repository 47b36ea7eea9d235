"""Outgoing webhook deliveries with retries and injectable faults.

A simulator builds each delivery (URL, headers, body bytes) in its platform's exact
format and hands it to a ``WebhookSender``; the sender posts it from the server's event
loop, retries failures with a bounded backoff, and can be told to drop, duplicate or
reorder deliveries so receivers can be tested against at-least-once, unordered delivery.
``submit`` is thread-safe: tests may cause events from their own thread.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

SUCCESS_CODES = range(200, 303)  # 2xx, 301 and 302 count as delivered on most platforms


@dataclass(frozen=True)
class OutgoingWebhook:
    """One delivery, fully formed. ``key`` identifies it in the log (the delivery id)."""

    url: str
    body: bytes
    headers: Mapping[str, str]
    key: str
    label: str = ""
    retry: bool = True
    on_outcome: Callable[[bool], None] | None = None


@dataclass(frozen=True)
class RetryPolicy:
    """Attempts per delivery; ``max_attempts=1`` means no retry at all."""

    max_attempts: int = 5
    first_delay: float = 0.2
    factor: float = 2.0
    max_delay: float = 5.0

    def delay_before(self, attempt: int) -> float:
        """Seconds to wait before ``attempt`` (2 is the first retry)."""
        return min(self.max_delay, self.first_delay * self.factor ** (attempt - 2))


@dataclass
class WebhookFaults:
    """Counters for the next deliveries, and rates applied to every later one."""

    drop: int = 0
    duplicate: int = 0
    reorder: int = 0
    drop_rate: float = 0.0
    duplicate_rate: float = 0.0
    reorder_rate: float = 0.0
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def take(self, kind: str) -> bool:
        """Whether the delivery at hand gets fault ``kind`` (drop, duplicate, reorder)."""
        remaining: int = getattr(self, kind)
        if remaining > 0:
            setattr(self, kind, remaining - 1)
            return True
        rate: float = getattr(self, f"{kind}_rate")
        return rate > 0 and self.rng.random() < rate


@dataclass(frozen=True)
class DeliveryAttempt:
    key: str
    label: str
    url: str
    attempt: int
    status_code: int | None
    error: str | None
    delivered: bool
    at: float


@dataclass
class _Job:
    webhook: OutgoingWebhook
    attempt: int = 1


class WebhookSender:
    """Posts deliveries in submission order; failed ones come back later as retries."""

    def __init__(
        self,
        *,
        retry: RetryPolicy | None = None,
        timeout: float = 5.0,
        reorder_hold: float = 0.5,
    ) -> None:
        self.retry = retry or RetryPolicy()
        self.faults = WebhookFaults()
        self.timeout = timeout
        self.reorder_hold = reorder_hold
        self._pending: deque[_Job] = deque()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._attempts: list[DeliveryAttempt] = []
        self._dropped: list[OutgoingWebhook] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None
        self._busy = 0

    def submit(self, webhook: OutgoingWebhook) -> None:
        self._enqueue(_Job(webhook))

    @property
    def attempts(self) -> list[DeliveryAttempt]:
        with self._lock:
            return list(self._attempts)

    @property
    def dropped(self) -> list[OutgoingWebhook]:
        with self._lock:
            return list(self._dropped)

    def wait_idle(self, *, timeout: float = 10.0) -> bool:
        """Block until nothing is queued, in flight or waiting for a retry."""
        with self._changed:
            return self._changed.wait_for(
                lambda: not self._pending and self._busy == 0, timeout=timeout
            )

    def wait_for_attempts(self, count: int, *, timeout: float = 10.0) -> list[DeliveryAttempt]:
        with self._changed:
            self._changed.wait_for(lambda: len(self._attempts) >= count, timeout=timeout)
            return list(self._attempts)

    async def run(self) -> None:
        """Deliver until cancelled; run this as a task on the server's event loop."""
        self._loop = asyncio.get_running_loop()
        self._wakeup = asyncio.Event()
        held: _Job | None = None
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            while True:
                job = await self._next(hold=held is not None)
                if job is None:
                    if held is not None:
                        await self._deliver(client, held)
                        held = None
                    continue
                if job.attempt == 1 and held is None and self.faults.take("reorder"):
                    held = job
                    continue
                await self._first_or_retry(client, job)
                if held is not None:
                    await self._deliver(client, held)
                    held = None

    async def _next(self, *, hold: bool) -> _Job | None:
        assert self._wakeup is not None
        while True:
            with self._lock:
                if self._pending:
                    self._busy += 1
                    return self._pending.popleft()
                self._wakeup.clear()
            if hold:
                try:
                    await asyncio.wait_for(self._wakeup.wait(), self.reorder_hold)
                except TimeoutError:
                    return None
            else:
                await self._wakeup.wait()

    async def _first_or_retry(self, client: httpx.AsyncClient, job: _Job) -> None:
        if job.attempt == 1 and self.faults.take("drop"):
            with self._changed:
                self._dropped.append(job.webhook)
                self._busy -= 1
                self._changed.notify_all()
            return
        if job.attempt == 1 and self.faults.take("duplicate"):
            with self._lock:
                self._busy += 1
            await self._deliver(client, _Job(job.webhook), notify_outcome=False)
        await self._deliver(client, job)

    async def _deliver(
        self, client: httpx.AsyncClient, job: _Job, *, notify_outcome: bool = True
    ) -> None:
        webhook = job.webhook
        status: int | None = None
        error: str | None = None
        try:
            response = await client.post(
                webhook.url, content=webhook.body, headers=dict(webhook.headers)
            )
            status = response.status_code
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        delivered = status is not None and status in SUCCESS_CODES
        retry_later = not delivered and webhook.retry and job.attempt < self.retry.max_attempts
        attempt = DeliveryAttempt(
            webhook.key,
            webhook.label,
            webhook.url,
            job.attempt,
            status,
            error,
            delivered,
            time.time(),
        )
        with self._changed:
            self._attempts.append(attempt)
            if not retry_later:
                self._busy -= 1
            self._changed.notify_all()
        if retry_later:
            delay = self.retry.delay_before(job.attempt + 1)
            asyncio.get_running_loop().call_later(delay, self._requeue, job)
        elif notify_outcome and webhook.on_outcome is not None:
            webhook.on_outcome(delivered)

    def _requeue(self, job: _Job) -> None:
        self._enqueue(_Job(job.webhook, job.attempt + 1), release=True)

    def _enqueue(self, job: _Job, *, release: bool = False) -> None:
        with self._changed:
            if release:
                self._busy -= 1
            self._pending.append(job)
            loop, wakeup = self._loop, self._wakeup
            self._changed.notify_all()
        if loop is not None and wakeup is not None and not loop.is_closed():
            loop.call_soon_threadsafe(wakeup.set)
