"""``requestid``: a write repeated with the same request id (per company) answers what the
first one answered, and acts no more. Intuit accepts ids of up to 50 characters."""

from __future__ import annotations

import threading
from dataclasses import dataclass

MAX_LENGTH = 50


@dataclass(frozen=True)
class Answered:
    status: int
    body: bytes


class RequestIds:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._answers: dict[tuple[str, str], Answered] = {}

    def find(self, realm_id: str, request_id: str) -> Answered | None:
        with self._lock:
            return self._answers.get((realm_id, request_id))

    def keep(self, realm_id: str, request_id: str, answer: Answered) -> None:
        if answer.status >= 500:
            return
        with self._lock:
            self._answers.setdefault((realm_id, request_id), answer)
