"""QuickBooks Online's error answers, in the two shapes Intuit sends.

The data service answers ``{"Fault": {"Error": [{"Message", "Detail", "code",
"element"}], "type": "ValidationFault"}, "time": ...}`` (400 for validation and business
rules). Intuit's gateway answers authentication, authorisation and throttling in its
own lower-case shape: ``{"warnings": null, "intuitObject": null, "fault": {"error":
[{"message": "message=AuthenticationFailed; errorCode=003200; statusCode=401", "detail":
..., "code": "3200", "element": null}], "type": "AUTHENTICATION"}, ..., "time": <ms>}``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from tillflow_simulators.common import jsonnum

UNSUPPORTED = ("Request has invalid or unsupported property", "2010")
REQUIRED = ("Required param missing, need to supply the required value for the API", "2020")
STALE = ("Stale Object Error", "5010")
NOT_FOUND = ("Object Not Found", "610")
INVALID_REFERENCE = ("Invalid Reference Id", "2500")
DUPLICATE_NAME = ("Duplicate Name Exists Error", "6240")
DUPLICATE_NUMBER = ("Duplicate Document Number Error", "6210")
BUSINESS = ("A business validation error has occurred while processing your request", "6000")
QUERY_PARSE = ("Error parsing query", "4000")
QUERY_INVALID = ("Invalid query", "4001")
UNSUPPORTED_OPERATION = ("Unsupported Operation", "500")
AMOUNT = ("Amount calculation incorrect in the request", "6070")
DEPOSITED = ("Deposited Transaction cannot be changed", "6540")


class QboError(Exception):
    status = 400

    def response(self, now: str) -> Response:
        raise NotImplementedError


class Fault(QboError):
    """One or more data-service errors of one fault type."""

    def __init__(self, errors: list[dict[str, str]], *, fault_type: str = "ValidationFault",
                 status: int = 400) -> None:
        super().__init__("; ".join(e["Detail"] for e in errors))
        self.errors = errors
        self.fault_type = fault_type
        self.status = status

    def response(self, now: str) -> Response:
        return json_response({"Fault": {"Error": self.errors, "type": self.fault_type},
                              "time": now}, status=self.status)


def fault(kind: tuple[str, str], detail: str, *, element: str = "") -> Fault:
    return Fault([error(kind, detail, element=element)])


def error(kind: tuple[str, str], detail: str, *, element: str = "") -> dict[str, str]:
    message, code = kind
    return {"Message": message, "Detail": detail, "code": code, "element": element}


class GatewayFault(QboError):
    """What Intuit's gateway answers before the data service sees the request."""

    def __init__(self, status: int, message: str, code: str, *, fault_type: str,
                 detail: str | None = None, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.fault_type = fault_type
        self.detail = detail
        self.headers = dict(headers or {})

    def response(self, now: str) -> Response:
        body: dict[str, Any] = {
            "warnings": None, "intuitObject": None,
            "fault": {"error": [{"message": self.message, "detail": self.detail,
                                 "code": self.code, "element": None}],
                      "type": self.fault_type},
            "report": None, "queryResponse": None, "batchItemResponse": [],
            "attachableResponse": [], "syncErrorResponse": None, "requestId": None,
            "time": int(time.time() * 1000), "status": None, "cdcresponse": []}
        return json_response(body, status=self.status, headers=self.headers)


def authentication_failed(detail: str) -> GatewayFault:
    return GatewayFault(401, "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                        "3200", fault_type="AUTHENTICATION", detail=detail,
                        headers={"WWW-Authenticate":
                                 'Bearer realm="Intuit", error="invalid_token"'})


def authorization_failed() -> GatewayFault:
    return GatewayFault(403, "message=AuthorizationFailed; errorCode=003100; statusCode=403",
                        "3100", fault_type="SERVICE")


def throttled() -> GatewayFault:
    return GatewayFault(429, "message=ThrottleExceeded; errorCode=003001; statusCode=429",
                        "3001", fault_type="SERVICE", detail="The request limit was reached.")


def json_response(body: Any, *, status: int = 200,
                  headers: Mapping[str, str] | None = None) -> Response:
    return Response(jsonnum.dumps(body), status_code=status, headers=dict(headers or {}),
                    media_type="application/json;charset=UTF-8")
