"""Waiting in the simulators' tests: look at a condition again and again until it holds.

The test goes on when the awaited thing happened, never after a guessed time; the
deadline only turns a hang into a failure message.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(
    condition: Callable[[], T | None],
    *,
    timeout: float,
    message: str | Callable[[], str],
    interval: float = 0.02,
) -> T:
    """The first true value ``condition()`` returns; fails with ``message`` when there is
    none within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            text = message if isinstance(message, str) else message()
            raise AssertionError(f"{text} (waited {timeout:g} s)")
        time.sleep(interval)  # the pause between two looks
