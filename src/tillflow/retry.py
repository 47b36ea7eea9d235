"""The one retry policy of the workers (sync, ERP postings, emails): capped exponential
backoff with jitter.

The wait after attempt n is a random share of ``min(cap, base * 2**(n-1))``, never less
than what the platform asked for (429 ``Retry-After``, Shopify's cost refill time).
After ``max_attempts`` the item is dead-lettered.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RetryPolicy:
    base: float = 1.0
    cap: float = 300.0
    max_attempts: int = 8
    jitter: Callable[[], float] = field(default=random.random)

    def delay(self, attempt: int, *, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1 for the first)."""
        ceiling = min(self.cap, self.base * 2 ** max(0, attempt - 1))
        wait = ceiling * (0.5 + self.jitter() / 2)
        return float(max(wait, retry_after or 0.0))

    def exhausted(self, attempt: int) -> bool:
        return attempt >= self.max_attempts
