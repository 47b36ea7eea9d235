"""Xero's call limits: per organisation 60 a minute and 5,000 a day, per app 10,000 a
minute, each over a rolling window on the simulator's clock.

Every answer carries what is left (``X-DayLimit-Remaining``, ``X-MinLimit-Remaining``,
``X-AppMinLimit-Remaining``); a call over a limit gets 429 with ``Retry-After`` (whole
seconds until the window lets one more through) and ``X-Rate-Limit-Problem``
(``minute``, ``day`` or ``appminute``), and does not count.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from tillflow_simulators.common.clock import Clock

MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class RateLimits:
    per_minute: int = 60
    per_day: int = 5000
    app_per_minute: int = 10_000
    enforced: bool = True

    @classmethod
    def unlimited(cls) -> RateLimits:
        """Counted and reported as Xero would, never refused: for fast functional tests."""
        return cls(enforced=False)


@dataclass(frozen=True)
class Verdict:
    headers: dict[str, str]
    problem: str | None = None  # None: the call may go ahead
    retry_after: int = 0


class Meter:
    def __init__(self, limits: RateLimits, clock: Clock) -> None:
        self.limits = limits
        self._clock = clock
        self._lock = threading.Lock()
        self._minute: dict[str, deque[datetime]] = defaultdict(deque)
        self._day: dict[str, deque[datetime]] = defaultdict(deque)
        self._app: deque[datetime] = deque()

    def take(self, tenant: str) -> Verdict:
        with self._lock:
            now = self._clock.now()
            windows = ((self._app, MINUTE, self.limits.app_per_minute, "appminute"),
                       (self._minute[tenant], MINUTE, self.limits.per_minute, "minute"),
                       (self._day[tenant], DAY, self.limits.per_day, "day"))
            for calls, span, _, _ in windows:
                while calls and calls[0] <= now - span:
                    calls.popleft()
            if self.limits.enforced:
                for calls, span, limit, problem in windows:
                    if len(calls) >= limit:
                        wait = calls[len(calls) - limit] + span - now
                        return Verdict(self._headers(tenant), problem,
                                       max(1, math.ceil(wait.total_seconds())))
            for calls, _, _, _ in windows:
                calls.append(now)
            return Verdict(self._headers(tenant))

    def _headers(self, tenant: str) -> dict[str, str]:
        return {"X-DayLimit-Remaining": str(max(0, self.limits.per_day - len(self._day[tenant]))),
                "X-MinLimit-Remaining": str(max(0, self.limits.per_minute -
                                                len(self._minute[tenant]))),
                "X-AppMinLimit-Remaining": str(max(0, self.limits.app_per_minute -
                                                   len(self._app)))}

    def exhaust_day(self, tenant: str) -> None:
        """Spend what is left of the organisation's day, as another app sharing it would."""
        with self._lock:
            now = self._clock.now()
            calls = self._day[tenant]
            calls.extend([now] * max(0, self.limits.per_day - len(calls)))
