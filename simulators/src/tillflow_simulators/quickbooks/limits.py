"""Intuit's throttles: 500 requests a minute per company and 10 a second per company and
app, each over a rolling window on the simulator's clock. Over either, the gateway answers
429 ``ThrottleExceeded`` (3001) and the request does not count; Intuit advises waiting 60
seconds and sends no ``Retry-After``."""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from tillflow_simulators.common.clock import Clock


@dataclass(frozen=True)
class Throttles:
    per_minute: int = 500
    per_second: int = 10
    enforced: bool = True

    @classmethod
    def unlimited(cls) -> Throttles:
        return cls(enforced=False)


class Meter:
    def __init__(self, throttles: Throttles, clock: Clock) -> None:
        self.throttles = throttles
        self._clock = clock
        self._lock = threading.Lock()
        self._calls: dict[str, deque[datetime]] = defaultdict(deque)

    def allow(self, realm_id: str) -> bool:
        with self._lock:
            now = self._clock.now()
            calls = self._calls[realm_id]
            while calls and calls[0] <= now - timedelta(minutes=1):
                calls.popleft()
            last_second = sum(1 for moment in calls if moment > now - timedelta(seconds=1))
            if self.throttles.enforced and (len(calls) >= self.throttles.per_minute or
                                            last_second >= self.throttles.per_second):
                return False
            calls.append(now)
            return True
