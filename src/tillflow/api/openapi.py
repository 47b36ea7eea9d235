"""The error answers in the OpenAPI document: every operation lists the statuses it may
answer with the envelope, the envelope's schema, and the codes of each status.

A route can answer any of these (a missing or bad token, a body too large or malformed, a
resource gone), so they are listed once here and given to every router as it is included,
instead of in each route where one would be forgotten.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

# status → (when, codes). The codes of docs/api.md; the catch-all ``http_error`` is for a
# status the HTTP layer answers itself.
ERRORS: dict[int, tuple[str, tuple[str, ...]]] = {
    400: ("The body cannot be read (once a webhook's signature holds).",
          ("bad_request", "http_error")),
    401: ("No token, an unknown or revoked one; a webhook not signed for a connection here.",
          ("unauthorized",)),
    403: ("The token's role may not do this, or a manager's approval is missing or spent.",
          ("forbidden", "wrong_pin", "pin_locked", "wrong_password", "office_refused",
           "approval_required", "approval_invalid",
           "approval_used", "approval_expired")),
    404: ("The resource in the URL does not exist.", ("not_found",)),
    409: ("The state forbids it.",
          ("conflict", "insufficient_stock", "idempotency_conflict", "payment_declined",
           "payment_in_progress", "payment_outcome_unknown", "gateway_unavailable")),
    413: ("The body is larger than TILLFLOW_MAX_BODY_BYTES.", ("payload_too_large",)),
    422: ("The request is malformed or refers to something unknown (details.field names "
          "the field), or free text holds a card number.",
          ("validation_error", "card_data_refused")),
    429: ("Too many failed token or PIN checks from this address or for this staff member.",
          ("rate_limited",)),
}
# Answers only some operations give: listed on those routes with ``answer``.
NOT_ACCEPTABLE = 406
BAD_GATEWAY = 502
ONLY: dict[int, tuple[str, tuple[str, ...]]] = {
    NOT_ACCEPTABLE: ("The receipt cannot be served in a format the Accept header allows.",
                     ("http_error",)),
    BAD_GATEWAY: ("The ERP refused or failed the call.", ("erp_error",)),
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


def answer(status: int) -> dict[int | str, dict[str, Any]]:
    """The error answer of a status only some routes give (406, 502)."""
    when, codes = ONLY[status]
    return {status: _answer(when, codes)}


# Given to every router as it is included: each operation lists these answers. A 401
# names the scheme the token goes in (RFC 9110), which the contract test holds it to.
ERROR_ANSWERS: dict[int | str, dict[str, Any]] = {
    status: _answer(when, codes) for status, (when, codes) in ERRORS.items()}
ERROR_ANSWERS[401]["headers"] = {"WWW-Authenticate": {
    "description": "`Bearer`", "required": True, "schema": {"type": "string"}}}
ERROR_ANSWERS[429]["headers"] = {"Retry-After": {
    "description": "Seconds to wait before trying again.", "required": True,
    "schema": {"type": "string"}}}
