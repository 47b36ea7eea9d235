"""The error envelope and the one table from error to HTTP status."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from tillflow.api.responses import FastJSONResponse
from tillflow.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    IdempotencyConflict,
    InsufficientStock,
    InvalidInput,
    NotFound,
    RateLimited,
)

log = structlog.get_logger("tillflow.api")


class Unauthorized(DomainError):
    code = "unauthorized"


class PayloadTooLarge(DomainError):
    code = "payload_too_large"


STATUS: dict[type[DomainError], int] = {
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    PayloadTooLarge: 413,
    InvalidInput: 422,
    RateLimited: 429,
    InsufficientStock: 409,
    IdempotencyConflict: 409,
    Conflict: 409,
}
_HTTP_CODES = {401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type"}


def envelope(status: int, code: str, message: str,
             details: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None) -> FastJSONResponse:
    if status == 401:
        headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
    return FastJSONResponse(
        {"error": {"code": code, "message": message, "details": details or {}}},
        status_code=status, headers=headers,
    )


def status_of(error: DomainError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 400


async def _domain_error(_request: Request, exc: Exception) -> FastJSONResponse:
    assert isinstance(exc, DomainError)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    return envelope(status_of(exc), exc.code, exc.message, exc.details, headers)


async def _validation_error(_request: Request, exc: Exception) -> FastJSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"field": ".".join(str(part) for part in error["loc"][1:]) or "body",
         "message": error["msg"]}
        for error in exc.errors()
    ]
    first = problems[0] if problems else {"field": "body", "message": "invalid request"}
    return envelope(422, "validation_error", f"{first['field']}: {first['message']}",
                    {"errors": problems})


async def _http_error(_request: Request, exc: Exception) -> FastJSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    return envelope(exc.status_code, code, str(exc.detail))


async def _unexpected(_request: Request, exc: Exception) -> FastJSONResponse:
    log.exception("unhandled error", error_type=type(exc).__name__)
    return envelope(500, "internal_error", "an unexpected error occurred; it has been logged")


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
