"""The data service at ``/v3/company/{realmId}``: every call goes through the same steps.

1. the company, the bearer token and its consent to that company (401/403, Intuit's
   gateway shape);
2. the throttles (429);
3. ``minorversion``: missing or below 75 is served as 75, as Intuit serves it since
   August 2025; anything else is refused (this XSD describes 75);
4. ``requestid`` on writes: a repeat answers what the first answered;
5. the body against Intuit's XSD (see ``schema.py``), then the entity's rules;
6. the answer, checked against the XSD too before it leaves.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from tillflow_simulators.common import jsonnum
from tillflow_simulators.quickbooks import query, rules, schema
from tillflow_simulators.quickbooks.company import ENTITIES, Company, Entity
from tillflow_simulators.quickbooks.errors import (
    REQUIRED,
    UNSUPPORTED,
    UNSUPPORTED_OPERATION,
    Fault,
    QboError,
    authorization_failed,
    error,
    fault,
    json_response,
    throttled,
)
from tillflow_simulators.quickbooks.requestids import MAX_LENGTH, Answered
from tillflow_simulators.quickbooks.state import QboState

SERVED_MINOR_VERSION = 75
log = logging.getLogger(__name__)


class AnswerRefused(AssertionError):
    """An entity the simulator built that Intuit's XSD refuses (a simulator bug)."""


class DataService:
    def __init__(self, state: QboState) -> None:
        self.state = state

    async def handle(self, request: Request) -> Response:
        raw = await request.body()
        now = self.state.clock.now().isoformat(timespec="milliseconds")
        with self.state.lock:
            try:
                return self._handle(request, raw, now)
            except QboError as refusal:
                return refusal.response(now)

    def _handle(self, request: Request, raw: bytes, now: str) -> Response:
        realm = request.path_params["realm"]
        company = self.state.companies.get(realm)
        self.state.identity.bearer(request.headers.get("authorization"), realm)
        if company is None:
            raise authorization_failed()
        if not self.state.meter.allow(realm):
            raise throttled()
        _minor_version(request.query_params.get("minorversion"))
        request_id = request.query_params.get("requestid")
        if request.method == "POST" and request_id is not None:
            return self._once(request, raw, now, company, request_id)
        return self._run(request, raw, now, company)

    def _once(self, request: Request, raw: bytes, now: str, company: Company,
              request_id: str) -> Response:
        if len(request_id) > MAX_LENGTH:
            raise fault(UNSUPPORTED, f"requestid may hold at most {MAX_LENGTH} characters",
                        element="requestid")
        answered = self.state.request_ids.find(company.realm_id, request_id)
        if answered is not None:
            return Response(answered.body, status_code=answered.status,
                            media_type="application/json;charset=UTF-8")
        try:
            response = self._run(request, raw, now, company)
        except QboError as refusal:
            response = refusal.response(now)
        self.state.request_ids.keep(company.realm_id, request_id,
                                    Answered(response.status_code, bytes(response.body)))
        return response

    def _run(self, request: Request, raw: bytes, now: str, company: Company) -> Response:
        parts = [p for p in request.path_params["rest"].split("/") if p]
        with company.lock:
            try:
                body = self._route(request, raw, company, parts)
            except QboError:
                company.take_events()
                raise
            changes = company.take_events()
        self.state.webhooks.announce(company.realm_id, changes)
        return json_response({**body, "time": now})

    def _route(self, request: Request, raw: bytes, company: Company,
               parts: list[str]) -> dict[str, Any]:
        segment = parts[0].lower() if parts else ""
        if segment == "query":
            text = request.query_params.get("query") if request.method == "GET" else \
                raw.decode("utf-8")
            return {"QueryResponse": self._query(company, text or "")}
        name = ENTITIES.get(segment)
        if name is None:
            raise fault(UNSUPPORTED_OPERATION, f"Operation Could not find resource for "
                        f"relative : {request.url.path} of full path: {request.url} is not "
                        "supported.")
        entity_rules = rules.RULES[name]
        if request.method == "GET":
            if len(parts) != 2:
                raise fault(UNSUPPORTED_OPERATION, f"Operation GET {request.url.path} is "
                            "not supported.")
            return {name: self._out(name, rules.find(company, entity_rules, parts[1]))}
        element = _body(raw, name)
        operation = request.query_params.get("operation", "update").lower()
        include = request.query_params.get("include", "").lower()
        if operation == "delete":
            done = rules.delete(company, entity_rules, element)
        elif operation == "void" or (operation == "update" and include == "void"):
            done = rules.void(company, entity_rules, element)
        elif operation == "update" and element.get("Id"):
            done = rules.update(company, entity_rules, element)
        elif operation == "update":
            done = rules.create(company, entity_rules, element)
        else:
            raise fault(UNSUPPORTED_OPERATION, f"Operation {operation} is not supported.")
        return {name: self._out(name, done)}

    def _query(self, company: Company, text: str) -> dict[str, Any]:
        parsed = query.parse(text, ENTITIES | {v.lower(): v for v in ENTITIES.values()})
        result = query.run(parsed, list(company.table(parsed.entity).values()))
        if parsed.entity in result:
            result[parsed.entity] = [self._out(parsed.entity, e) for e in result[parsed.entity]]
        return result

    def _out(self, name: str, entity: Entity) -> Entity:
        shown = {k: v for k, v in entity.items() if not k.startswith("_")}
        if self.state.validate_responses:
            problems = schema.check(name, shown)
            if problems:
                log.error("answer refused by Intuit's XSD: %s", problems)
                raise AnswerRefused(f"answer refused by Intuit's XSD: {problems}")
        return shown


def _minor_version(value: str | None) -> int:
    if value is None:
        return SERVED_MINOR_VERSION
    if not value.isdigit() or int(value) > SERVED_MINOR_VERSION:
        raise fault(UNSUPPORTED, f"minorversion={value} is not a minor version this service "
                    f"supports: it serves minor version {SERVED_MINOR_VERSION}",
                    element="minorversion")
    return SERVED_MINOR_VERSION


def _body(raw: bytes, name: str) -> dict[str, Any]:
    try:
        element = jsonnum.loads(raw) if raw else None
    except ValueError as exc:
        raise fault(UNSUPPORTED, f"Property Name:Unexpected character in JSON ({exc}) "
                    "specified is unsupported or invalid") from exc
    if not isinstance(element, dict):
        raise fault(REQUIRED, f"Required parameter {name} is missing in the request")
    problems = schema.check(name, element)
    if problems:
        raise Fault([_as_error(problem) for problem in problems])
    return element


def _as_error(problem: schema.Problem) -> dict[str, str]:
    if problem.kind == "required":
        return error(REQUIRED, problem.detail, element=problem.element)
    return error(UNSUPPORTED, f"Property Name:{problem.detail} specified is unsupported or "
                 "invalid", element=problem.element)
