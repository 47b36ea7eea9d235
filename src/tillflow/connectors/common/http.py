"""What the shop clients read alike from HTTP answers."""

from __future__ import annotations

from collections.abc import Mapping


def retry_after(headers: Mapping[str, str]) -> float | None:
    """The seconds a 429 or 503 answer's ``Retry-After`` asks for, when it says."""
    raw = headers.get("Retry-After")
    try:
        return None if raw is None else max(0.0, float(raw))
    except ValueError:
        return None
