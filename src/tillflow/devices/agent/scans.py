"""Fan-out of scanner events to every connected server-sent-events stream."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator
from typing import Any

from tillflow.domain.barcodes import BarcodeError, RcnRule, parse_scan

KEEPALIVE_SECONDS = 15.0


def scan_event(code: str, rules: tuple[RcnRule, ...]) -> dict[str, Any]:
    """What a subscriber receives: the raw code and what it parses to, or why it does not."""
    try:
        result = parse_scan(code, rules)
    except BarcodeError as exc:
        return {"code": code, "error": str(exc)}
    return {
        "code": code,
        "lookup_gtin14": result.lookup_gtin14,
        "quantity": None if result.quantity is None else str(result.quantity),
        "unit_price": None if result.unit_price is None else str(result.unit_price),
        "amount": None if result.amount is None else str(result.amount),
    }


class ScanHub:
    """Scanner threads publish; each stream reads its own asyncio queue on its loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[tuple[asyncio.AbstractEventLoop, asyncio.Queue[str]]] = []
        self._seq = 0

    def publish(self, event: dict[str, Any]) -> None:
        with self._lock:
            self._seq += 1
            message = f"id: {self._seq}\nevent: scan\ndata: {json.dumps(event)}\n\n"
            subscribers = list(self._subscribers)
        for loop, queue in subscribers:
            loop.call_soon_threadsafe(queue.put_nowait, message)

    @property
    def subscribers(self) -> int:
        with self._lock:
            return len(self._subscribers)

    async def stream(self) -> AsyncIterator[str]:
        queue: asyncio.Queue[str] = asyncio.Queue()
        entry = (asyncio.get_running_loop(), queue)
        with self._lock:
            self._subscribers.append(entry)
        try:
            yield ": connected\n\n"
            while True:
                try:
                    yield await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield ": keep-alive\n\n"
        finally:
            with self._lock:
                self._subscribers.remove(entry)
