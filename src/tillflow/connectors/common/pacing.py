"""Calls paced under a platform's published rate limits, so a worker waits a little
rather than spending a window on 429s (Intuit asks for a minute's pause after one).

Each limit is ``calls`` within a rolling ``seconds``; ``wait`` sleeps until one more call
fits every window. The limits are the organisation's, so every client of one organisation
in a process shares its pacer (``shared``): a connection's ledger and its catalog, a check.
A window is kept a little longer than the platform's, since the platform counts a call
when it arrives, not when it leaves. Limits longer than a worker should sleep (Xero's
day) are not paced: the platform's 429 and its ``Retry-After`` hold the postings until
the next window.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class Pacer:
    def __init__(self, *limits: tuple[int, float],
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._limits = limits
        self._calls: deque[float] = deque()
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            while (delay := self._delay()) > 0:
                self._sleep(delay)
            self._calls.append(self._clock())

    def _delay(self) -> float:
        now = self._clock()
        longest = max((seconds for _calls, seconds in self._limits), default=0.0)
        while self._calls and self._calls[0] <= now - longest:
            self._calls.popleft()
        delay = 0.0
        for calls, seconds in self._limits:
            recent = [t for t in self._calls if t > now - seconds]
            if len(recent) >= calls:
                delay = max(delay, recent[len(recent) - calls] + seconds - now)
        return delay


_SHARED: dict[str, Pacer] = {}
_SHARED_LOCK = threading.Lock()


def shared(key: str, *limits: tuple[int, float]) -> Pacer:
    """The process's one pacer of organisation ``key`` (its API address and id)."""
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = Pacer(*limits)
        return _SHARED[key]
