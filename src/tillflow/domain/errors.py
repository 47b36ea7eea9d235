"""The domain's error tree, classified by what the caller does next.

The API translates each class once into a status and a stable code
(``tillflow.api.errors``); nothing else decides that mapping.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Root of every error the domain and services raise on purpose."""

    code = "error"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class InvalidInput(DomainError):
    """The request itself is wrong; retrying it unchanged fails again."""

    code = "validation_error"


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    """The request clashes with the current state (duplicate, wrong status)."""

    code = "conflict"


class InsufficientStock(Conflict):
    code = "insufficient_stock"


class IdempotencyConflict(Conflict):
    code = "idempotency_conflict"


class Forbidden(DomainError):
    code = "forbidden"


class RateLimited(DomainError):
    """Too many failed credential checks from one place or against one person: wait
    ``retry_after`` seconds."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, details={"retry_after_seconds": retry_after})
        self.retry_after = retry_after
