"""Injected API faults (error answers, slow answers) and an optional 429 rate limiter.

Both sit in one ASGI middleware in front of a simulator's API routes. The platform
decides what an error looks like through ``error_response``; the middleware only decides
when one is due. Everything here is safe to change from a test's thread while the
server runs.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass
class FaultRule:
    """Answer the next ``count`` matching requests with ``status`` after ``delay`` seconds.

    With ``status=None`` the request is handled normally after the delay: a client whose
    timeout is shorter sees a timeout although the change was made, the case that makes
    idempotent retries necessary.
    """

    status: int | None = 500
    count: int = 1
    delay: float = 0.0
    path_prefix: str = ""
    method: str | None = None
    retry_after: int | None = None

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.path_prefix) and (
            self.method is None or self.method.upper() == method
        )


class ApiFaults:
    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()

    def add(self, rule: FaultRule) -> None:
        with self._lock:
            self._rules.append(rule)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    @property
    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def take(self, method: str, path: str) -> FaultRule | None:
        with self._lock:
            for rule in self._rules:
                if rule.count > 0 and rule.matches(method, path):
                    rule.count -= 1
                    if rule.count == 0:
                        self._rules.remove(rule)
                    return rule
        return None


class RateLimiter:
    """Token bucket: ``rate`` requests a second on average, bursts up to ``burst``."""

    def __init__(
        self,
        *,
        rate: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._stamp = clock()
        self._lock = threading.Lock()

    def acquire(self) -> int | None:
        """None when the request may proceed, else the whole seconds to wait."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            if self._tokens >= 1:
                self._tokens -= 1
                return None
            return max(1, math.ceil((1 - self._tokens) / self.rate))


ErrorResponder = Callable[[int, int | None], Response]


@dataclass
class ChaosControls:
    faults: ApiFaults = field(default_factory=ApiFaults)
    limiter: RateLimiter | None = None


class ChaosMiddleware:
    """Applies ``controls`` to HTTP requests whose path ``applies_to`` accepts."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        controls: ChaosControls,
        applies_to: Callable[[str], bool],
        error_response: ErrorResponder,
    ) -> None:
        self.app = app
        self.controls = controls
        self.applies_to = applies_to
        self.error_response = error_response

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.applies_to(scope["path"]):
            await self.app(scope, receive, send)
            return
        limiter = self.controls.limiter
        wait = limiter.acquire() if limiter is not None else None
        if wait is not None:
            await self.error_response(429, wait)(scope, receive, send)
            return
        rule = self.controls.faults.take(scope["method"], scope["path"])
        if rule is not None and rule.delay > 0:
            receive = await _buffered(receive)
            await asyncio.sleep(rule.delay)
        if rule is not None and rule.status is not None:
            await self.error_response(rule.status, rule.retry_after)(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def _buffered(receive: Receive) -> Receive:
    """Read the whole request body now, as a PHP server does before running the script,
    so a client that gives up during the delay does not stop the change being made."""
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return replay
