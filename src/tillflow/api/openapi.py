"""The error answers in the OpenAPI document: every operation lists the statuses it may
answer with the envelope, the envelope's schema, and the codes of each status.

A route can answer any of these (a missing or bad token, a body too large or malformed, a
resource gone), so they are listed once here and added to every operation, instead of in
each route where one would be forgotten.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict

# status → (when, codes). The codes of docs/api.md; the catch-all ``http_error`` is for a
# status the HTTP layer answers itself.
ERRORS: dict[int, tuple[str, tuple[str, ...]]] = {
    400: ("The body cannot be read (once a webhook's signature holds).",
          ("bad_request", "http_error")),
    401: ("No token, an unknown or revoked one; a webhook not signed for a connection here.",
          ("unauthorized",)),
    403: ("The token's role may not do this, or a manager's approval is missing or spent.",
          ("forbidden", "approval_required", "approval_invalid", "approval_used",
           "approval_expired")),
    404: ("The resource in the URL does not exist.", ("not_found",)),
    409: ("The state forbids it.",
          ("conflict", "insufficient_stock", "idempotency_conflict", "payment_declined",
           "payment_in_progress", "payment_outcome_unknown", "gateway_unavailable")),
    413: ("The body is larger than TILLFLOW_MAX_BODY_BYTES.", ("payload_too_large",)),
    422: ("The request is malformed or refers to something unknown (details.field names "
          "the field), or free text holds a card number.",
          ("validation_error", "card_data_refused")),
}
# Answers only some operations give, by path suffix: their status and codes.
ONLY: dict[int, tuple[str, str, tuple[str, ...]]] = {
    406: ("/receipt", "The receipt cannot be served in a format the Accept header allows.",
          ("http_error",)),
    502: ("/erp/{name}/sync", "The ERP refused or failed the call.", ("erp_error",)),
}


class ErrorBody(BaseModel):
    model_config = ConfigDict(title="Error")
    code: str
    message: str
    details: dict[str, Any]


class ErrorEnvelope(BaseModel):
    """Every error: ``{"error": {"code", "message", "details"}}``."""

    error: ErrorBody


def _answer(when: str, codes: tuple[str, ...]) -> dict[str, Any]:
    listed = ", ".join(f"`{c}`" for c in codes)
    return {"model": ErrorEnvelope, "description": f"{when} Codes: {listed}."}


def document_errors(app: FastAPI) -> None:
    for route in app.routes:
        if not isinstance(route, APIRoute):
            continue
        for status, (when, codes) in ERRORS.items():
            route.responses.setdefault(status, _answer(when, codes))
        for status, (suffix, when, codes) in ONLY.items():
            if route.path.endswith(suffix):
                route.responses.setdefault(status, _answer(when, codes))
