"""Many clients released at the same instant against a running server."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx


def all_at_once(count: int, call: Callable[[httpx.Client, int], httpx.Response],
                base_url: str) -> list[httpx.Response]:
    """``call`` from ``count`` threads, each with its own client, after a common barrier."""
    barrier = threading.Barrier(count)

    def one(n: int) -> httpx.Response:
        with httpx.Client(base_url=base_url, timeout=60) as client:
            barrier.wait()
            return call(client, n)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))
