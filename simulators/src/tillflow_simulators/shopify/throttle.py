"""The leaky bucket Shopify meters GraphQL Admin calls with, per app and shop.

Before a query runs the bucket must hold its requested cost; afterwards the difference
between requested and actual cost is given back. The bucket refills continuously at the
restore rate. A standard shop has a 2,000-point bucket restoring 100 points a second
(the values Shopify reports in ``extensions.cost.throttleStatus``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimits:
    maximum_available: float = 2000.0
    restore_rate: float = 100.0
    max_query_cost: int = 1000
    enforced: bool = True

    @classmethod
    def standard(cls) -> RateLimits:
        return cls()

    @classmethod
    def plus(cls) -> RateLimits:
        return cls(maximum_available=20000.0, restore_rate=1000.0)

    @classmethod
    def unlimited(cls) -> RateLimits:
        """Reported like a standard shop, never throttled: for fast functional tests."""
        return cls(enforced=False)


@dataclass(frozen=True)
class ThrottleStatus:
    maximum_available: float
    currently_available: float
    restore_rate: float

    def as_json(self) -> dict[str, float | int]:
        return {
            "maximumAvailable": self.maximum_available,
            "currentlyAvailable": int(self.currently_available),
            "restoreRate": self.restore_rate,
        }


class CostBucket:
    def __init__(
        self, limits: RateLimits, *, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits
        self._monotonic = monotonic
        self._available = limits.maximum_available
        self._stamp = monotonic()
        self._lock = threading.Lock()
        self.spent = 0.0

    def _refill(self) -> None:
        now = self._monotonic()
        elapsed = max(0.0, now - self._stamp)
        self._stamp = now
        self._available = min(
            self.limits.maximum_available, self._available + elapsed * self.limits.restore_rate
        )

    def try_take(self, requested: int) -> bool:
        """Take ``requested`` points if the bucket holds them; False means throttled."""
        with self._lock:
            self._refill()
            if not self.limits.enforced:
                self.spent += requested
                return True
            if requested > self._available:
                return False
            self._available -= requested
            self.spent += requested
            return True

    def refund(self, points: int) -> None:
        with self._lock:
            self._refill()
            self.spent -= points
            if self.limits.enforced:
                self._available = min(self.limits.maximum_available, self._available + points)

    def drain(self, points: float | None = None) -> None:
        """Empty the bucket (or remove ``points``), as a burst from another client would."""
        with self._lock:
            self._refill()
            self._available = 0.0 if points is None else max(0.0, self._available - points)

    def status(self) -> ThrottleStatus:
        with self._lock:
            self._refill()
            return ThrottleStatus(
                maximum_available=self.limits.maximum_available,
                currently_available=self._available,
                restore_rate=self.limits.restore_rate,
            )
