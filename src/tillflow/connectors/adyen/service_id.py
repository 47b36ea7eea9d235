"""ServiceIDs: 1-10 alphanumeric characters, never reused for a terminal within 48 hours.

Ten characters drawn from 62 give 8e17 values, so random draws from a cryptographic source
do not collide in practice across registers sharing a terminal; the generator also refuses
to hand out a value it has already issued, which covers a poor injected source in tests.
"""

from __future__ import annotations

import secrets
import string
import threading
from collections import deque
from collections.abc import Callable

ALPHABET = string.ascii_uppercase + string.ascii_lowercase + string.digits
LENGTH = 10


def _system_choice(alphabet: str) -> str:
    return secrets.choice(alphabet)


class ServiceIdGenerator:
    """Issues unique ServiceIDs; the choice function is injectable for tests."""

    def __init__(
        self, *, choice: Callable[[str], str] = _system_choice, remember: int = 100_000
    ) -> None:
        self._choice = choice
        self._issued: set[str] = set()
        self._order: deque[str] = deque()
        self._remember = remember
        self._lock = threading.Lock()

    def next(self) -> str:
        """A ServiceID this generator has not issued among its last `remember` values."""
        with self._lock:
            while True:
                candidate = "".join(self._choice(ALPHABET) for _ in range(LENGTH))
                if candidate not in self._issued:
                    self._keep(candidate)
                    return candidate

    def _keep(self, service_id: str) -> None:
        self._issued.add(service_id)
        self._order.append(service_id)
        if len(self._order) > self._remember:
            self._issued.discard(self._order.popleft())
