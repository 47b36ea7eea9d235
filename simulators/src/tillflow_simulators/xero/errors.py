"""Xero's error answers, each in the shape the real service sends.

- Accounting validation: 400 ``{"ErrorNumber": 10, "Type": "ValidationException",
  "Message": "A validation exception occurred", "Elements": [...]}``, each element the
  document sent with its ``ValidationErrors: [{"Message": ...}]``.
- A body Xero cannot read into its types: 400 ``PostDataInvalidException`` (14).
- A ``where``/``order`` it cannot parse: 400 ``QueryParseException`` (16).
- The gateway's refusals (401 token, 403 tenant or scope, 429 limits) in the
  problem-details shape ``{"Type": null, "Title", "Status", "Detail", "Instance",
  "Extensions": {}}``.
- An id that matches nothing: 404 with the plain text Xero sends.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from starlette.responses import PlainTextResponse, Response

from tillflow_simulators.common import jsonnum

NOT_FOUND_TEXT = "The resource you're looking for cannot be found"


class XeroError(Exception):
    """Raised anywhere in a request; ``response()`` is what Xero answers."""

    status = 400

    def body(self) -> Mapping[str, Any]:
        raise NotImplementedError

    def response(self) -> Response:
        return json_response(self.body(), status=self.status)


class ValidationException(XeroError):
    def __init__(self, elements: list[dict[str, Any]], *, message: str = "") -> None:
        super().__init__(message or "A validation exception occurred")
        self.elements = elements

    def body(self) -> Mapping[str, Any]:
        return {"ErrorNumber": 10, "Type": "ValidationException",
                "Message": "A validation exception occurred", "Elements": self.elements}


class PostDataInvalid(XeroError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> Mapping[str, Any]:
        return {"ErrorNumber": 14, "Type": "PostDataInvalidException", "Message": self.message}


class QueryParseError(XeroError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> Mapping[str, Any]:
        return {"ErrorNumber": 16, "Type": "QueryParseException", "Message": self.message}


class NotFound(XeroError):
    status = 404

    def response(self) -> Response:
        return PlainTextResponse(NOT_FOUND_TEXT, status_code=404)


class GatewayRefusal(XeroError):
    """The identity gateway's answers: problem details, with headers when it sends some."""

    def __init__(self, status: int, title: str, detail: str,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.headers = dict(headers or {})

    def body(self) -> Mapping[str, Any]:
        return {"Type": None, "Title": self.title, "Status": self.status,
                "Detail": self.detail, "Instance": str(uuid.uuid4()), "Extensions": {}}

    def response(self) -> Response:
        return json_response(self.body(), status=self.status, headers=self.headers)


def unauthorized(detail: str = "AuthenticationUnsuccessful") -> GatewayRefusal:
    return GatewayRefusal(401, "Unauthorized", detail,
                          {"WWW-Authenticate": 'Bearer error="invalid_token"'})


def forbidden(detail: str = "AuthenticationUnsuccessful") -> GatewayRefusal:
    return GatewayRefusal(403, "Forbidden", detail)


def json_response(body: Any, *, status: int = 200,
                  headers: Mapping[str, str] | None = None) -> Response:
    return Response(jsonnum.dumps(body), status_code=status, headers=dict(headers or {}),
                    media_type="application/json; charset=utf-8")
