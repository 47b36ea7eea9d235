"""The Accounting API at ``/api.xro/2.0``: every call goes through the same steps.

1. the bearer token (401 when expired, unknown or revoked) and the ``xero-tenant-id``
   organisation it is connected to (403);
2. the organisation's and the app's call limits (429);
3. the operation, found among the spec's paths, and the scopes it needs (401);
4. ``Idempotency-Key``: a repeat gets the first answer again;
5. the request against Xero's OpenAPI (see ``openapi.py``), then the resource's rules;
6. the answer, checked against the spec too before it leaves.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from tillflow_simulators.common import jsonnum
from tillflow_simulators.xero import (
    accounts,
    bank_transactions,
    contacts,
    credit_notes,
    invoices,
    items,
    manual_journals,
    organisation,
    payments,
    tax_rates,
)
from tillflow_simulators.xero.calls import Call
from tillflow_simulators.xero.errors import (
    GatewayRefusal,
    NotFound,
    PostDataInvalid,
    QueryParseError,
    XeroError,
    unauthorized,
)
from tillflow_simulators.xero.idempotency import MAX_KEY_LENGTH, Kept, fingerprint
from tillflow_simulators.xero.openapi import (
    ApiRequest,
    Problem,
    answer_problems,
    request_problems,
    specs,
)
from tillflow_simulators.xero.routes import Routes
from tillflow_simulators.xero.state import XeroState
from tillflow_simulators.xero.values import ms_stamp

PREFIX = "/api.xro/2.0"
log = logging.getLogger(__name__)
ROUTES: Routes = {**accounts.ROUTES, **tax_rates.ROUTES, **contacts.ROUTES, **items.ROUTES,
                  **invoices.ROUTES, **credit_notes.ROUTES, **payments.ROUTES,
                  **bank_transactions.ROUTES, **manual_journals.ROUTES,
                  **organisation.ROUTES}
ENVELOPE = ("Id", "Status", "ProviderName", "DateTimeUTC")


class ResponseRefused(AssertionError):
    """An answer the simulator built that Xero's spec refuses (a simulator bug)."""


def _template_pattern(template: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return re.compile(f"^{pattern}$", re.IGNORECASE)


class Router:
    """Finds the spec's path template a request path belongs to."""

    def __init__(self) -> None:
        templates = {template for _, template in specs().scopes}
        self._patterns = sorted(((_template_pattern(t), t) for t in templates),
                                key=lambda pair: pair[1].count("{"))

    def match(self, path: str) -> tuple[str, dict[str, str]] | None:
        for pattern, template in self._patterns:
            found = pattern.match(path)
            if found:
                return template, found.groupdict()
        return None


class AccountingApi:
    def __init__(self, state: XeroState) -> None:
        self.state = state
        self.router = Router()

    async def handle(self, request: Request) -> Response:
        raw = await request.body()
        with self.state.lock:
            try:
                return self._handle(request, raw)
            except XeroError as error:
                return error.response()

    def _handle(self, request: Request, raw: bytes) -> Response:
        state = self.state
        consent = state.identity.bearer(request.headers.get("authorization"))
        tenant = state.identity.tenant_for(consent, request.headers.get("xero-tenant-id"))
        verdict = state.meter.take(tenant)
        if verdict.problem is not None:
            raise GatewayRefusal(429, "Too Many Requests", "Rate limit exceeded", {
                **verdict.headers, "Retry-After": str(verdict.retry_after),
                "X-Rate-Limit-Problem": verdict.problem})
        response = self._operation(request, raw, tenant, consent.scopes)
        response.headers.update(verdict.headers)
        response.headers["Xero-Correlation-Id"] = str(uuid.uuid4())
        return response

    def _operation(self, request: Request, raw: bytes, tenant: str,
                   scopes: tuple[str, ...]) -> Response:
        method = request.method.lower()
        path = request.url.path[len(PREFIX):]
        found = self.router.match(path)
        if found is None:
            raise NotFound(path)
        template, params = found
        wanted = specs().scopes.get((method, template))
        if wanted is None:
            return PlainTextResponse("Method Not Allowed", status_code=405)
        if wanted and not set(wanted) & set(scopes):
            raise unauthorized("AuthorizationUnsuccessful")
        handler = ROUTES.get((method, template))
        if handler is None:
            return PlainTextResponse(f"{method.upper()} {template} is not modelled by the "
                                     "Xero simulator", status_code=501)
        key = request.headers.get("idempotency-key")
        if key is None or method not in ("put", "post"):
            return self._run(request, raw, tenant, template, params, handler)
        return self._idempotent(request, raw, tenant, (template, params, handler), key)

    def _idempotent(self, request: Request, raw: bytes, tenant: str,
                    operation: tuple[str, dict[str, str], Any], key: str) -> Response:
        if len(key) > MAX_KEY_LENGTH:
            raise GatewayRefusal(400, "Bad Request",
                                 f"Idempotency-Key must be at most {MAX_KEY_LENGTH} characters")
        mark = fingerprint(request.method, request.url.path, request.url.query, raw)
        kept = self.state.keys.find(tenant, key)
        if kept is not None:
            if kept.fingerprint != mark:
                raise GatewayRefusal(409, "Conflict", "The Idempotency-Key has already been "
                                     "used with a different request")
            return Response(kept.body, status_code=kept.status, media_type=kept.media_type)
        response = self._run(request, raw, tenant, *operation)
        self.state.keys.keep(tenant, key, Kept(mark, response.status_code, bytes(response.body),
                                               response.media_type or "application/json"))
        return response

    def _run(self, request: Request, raw: bytes, tenant: str, *operation: Any) -> Response:
        template, params, handler = operation
        books = self.state.organisations[tenant]
        query = dict(parse_qsl(request.url.query, keep_blank_values=True))
        api_request = ApiRequest(request.method, request.url.path,
                                 {k: request.query_params.getlist(k)
                                  for k in request.query_params},
                                 dict(request.headers), raw or None)
        call = Call(books, request.method.lower(), template, params, query,
                    {k.lower(): v for k, v in request.headers.items()}, None)
        call.element_problems = self._check_request(api_request, raw, call)
        with books.lock:
            try:
                status, body = handler(call)
            except XeroError:
                books.take_events()
                raise
            events = books.take_events()
        response = self._answer(template, call.method, status, body)
        self.state.webhooks.announce(tenant, events, books.now())
        return response

    def _check_request(self, api_request: ApiRequest, raw: bytes,
                       call: Call) -> dict[int, list[str]]:
        if raw:
            try:
                call.body = jsonnum.loads(raw)
            except ValueError as exc:
                raise PostDataInvalid(f"JSON for post data was invalid,{exc}") from exc
        per_element: dict[int, list[str]] = {}
        for problem in request_problems(specs().accounting, api_request):
            _classify(problem, per_element)
        return per_element

    def _answer(self, template: str, method: str, status: int,
                body: dict[str, Any] | None) -> Response:
        if body is None:
            return Response(status_code=status)
        self._check_answer(template, method, status, body)
        enveloped = {"Id": str(uuid.uuid4()), "Status": "OK",
                     "ProviderName": self.state.app_name,
                     "DateTimeUTC": ms_stamp(self.state.clock.now()), **body}
        return Response(jsonnum.dumps(enveloped), status_code=status,
                        media_type="application/json; charset=utf-8")

    def _check_answer(self, template: str, method: str, status: int,
                      body: Mapping[str, Any]) -> None:
        if not self.state.validate_responses:
            return
        # Checked as a client reads it: JSON numbers, not the Decimals kept inside.
        problems = answer_problems(method, template, status, json.loads(jsonnum.dumps(body)))
        if problems:
            log.error("answer refused by Xero's spec: %s", problems)
            raise ResponseRefused(f"answer refused by Xero's spec: {problems}")


def _classify(problem: Problem, per_element: dict[int, list[str]]) -> None:
    """Xero reads a body into its types first (failing the whole request), then checks each
    element's business rules (a missing required element is one of those)."""
    if problem.location == "path":
        raise NotFound(problem.message)
    if problem.location in ("query", "header"):
        raise QueryParseError(problem.message)
    where = _json_path(problem.path)
    if problem.rule == "required" and len(problem.path) >= 2 and \
            isinstance(problem.path[1], int):
        missing = problem.message.split("'")[1] if "'" in problem.message else problem.message
        per_element.setdefault(problem.path[1], []).append(f"{missing} is required")
        return
    if problem.rule == "additionalProperties":
        member = problem.message.split("'")[1] if "'" in problem.message else ""
        raise PostDataInvalid(f"JSON for post data was invalid,Could not find member "
                              f"'{member}' on object. Path '{where}'.")
    raise PostDataInvalid(f"JSON for post data was invalid,{problem.message}. Path '{where}'.")


def _json_path(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
