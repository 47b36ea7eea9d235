"""What the shop clients read alike from HTTP answers, and how they name a failed call."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

import httpx

from tillflow.connectors.common.tls import certificate_problem
from tillflow.ports.commerce import Retryable


def retry_after(headers: Mapping[str, str]) -> float | None:
    """The seconds a 429 or 503 answer's ``Retry-After`` asks for, when it says."""
    raw = headers.get("Retry-After")
    try:
        return None if raw is None else max(0.0, float(raw))
    except ValueError:
        return None


def transport_failure(platform: str, url: str, exc: httpx.TransportError) -> Retryable:
    """A call that got no answer. It is retried (a shop renews an expired certificate, a
    network comes back), but a TLS problem is said in words its owner can act on, since
    it is also what the connection's check reports."""
    problem = certificate_problem(exc, host=urlsplit(url).netloc or url)
    if problem is not None:
        return Retryable(f"{platform}: {problem}")
    if isinstance(exc, httpx.TimeoutException):
        return Retryable(f"{platform} timed out: {type(exc).__name__}")
    return Retryable(f"{platform} unreachable: {type(exc).__name__}")
