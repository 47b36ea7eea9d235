"""``Idempotency-Key``: the first answer to a key is kept and given again to every request
that repeats it; the key with another request (method, path, query or body) is refused.

Keys belong to one organisation and hold at most 128 characters. Answers of 5xx are not
kept, so a request that failed on the server's side can be retried with its key.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

MAX_KEY_LENGTH = 128


@dataclass(frozen=True)
class Kept:
    fingerprint: str
    status: int
    body: bytes
    media_type: str


def fingerprint(method: str, path: str, query: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.upper(), path, query):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(body)
    return digest.hexdigest()


class IdempotencyKeys:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[tuple[str, str], Kept] = {}

    def find(self, tenant: str, key: str) -> Kept | None:
        with self._lock:
            return self._kept.get((tenant, key))

    def keep(self, tenant: str, key: str, answer: Kept) -> None:
        if answer.status >= 500:
            return
        with self._lock:
            self._kept.setdefault((tenant, key), answer)
