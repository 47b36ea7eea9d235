"""Waiting in tests: look at a condition again and again until it holds.

The test goes on when the awaited thing happened (a row, a log line, a counter), never
after a guessed time. A limit only turns a hang into a failure message: either a deadline
for what must happen soon, or, for work whose length depends on how loaded the machine
is, a stall limit that fails only once the work stopped moving.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
Message = str | Callable[[], str]


def wait_until(condition: Callable[[], T | None], *, timeout: float, message: Message,
               interval: float = 0.02) -> T:
    """The first true value ``condition()`` returns; fails with ``message`` when there is
    none within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{_text(message)} (waited {timeout:g} s)")
        time.sleep(interval)  # the pause between two looks


def wait_progressing(condition: Callable[[], object], *, progress: Callable[[], object],
                     stall: float, message: Message, interval: float = 0.1) -> None:
    """Look at ``condition()`` until it holds, for as long as ``progress()`` keeps changing.

    Fails only when ``progress()`` returned the same value for ``stall`` seconds, and names
    that value: a slow machine takes longer, a stuck one says what stopped.
    """
    last = progress()
    moved = time.monotonic()
    while not condition():
        now = progress()
        if now != last:
            last, moved = now, time.monotonic()
        elif time.monotonic() - moved > stall:
            raise AssertionError(f"{_text(message)}: no progress for {stall:g} s, "
                                 f"still at {last}")
        time.sleep(interval)  # the pause between two looks


def _text(message: Message) -> str:
    return message if isinstance(message, str) else message()
