"""Xero's OpenAPI descriptions, loaded once, and the checks made with them.

The Accounting API spec is read from the package data as Xero publishes it; the in-memory
copy is adjusted so that a validator applies it as Xero's servers behave:

- 23 boolean ``default`` values are written as the strings ``'false'``/``'true'``;
  they become booleans.
- Defaults of read-only properties are dropped: the validator would otherwise fill them
  into a request and then refuse the request for writing a read-only property.
- Every object of the Accounting API refuses properties it does not declare
  (``additionalProperties: false``), so a misspelt element is refused instead of silently
  ignored; ``Element`` (the items of an error's ``Elements``, which Xero fills with whole
  documents) is left open.
- ``security`` is removed: the simulator checks bearer tokens and scopes itself
  (``scopes_for`` keeps what each operation asks for).
"""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from jsonschema.exceptions import ValidationError as JsonSchemaError
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.validation.request.exceptions import (
    InvalidRequestBody,
    MissingRequiredParameter,
    ParameterValidationError,
)
from openapi_core.validation.schemas.exceptions import InvalidSchemaValue
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from werkzeug.datastructures import Headers, ImmutableMultiDict

HOST = "https://api.xero.com"
SPEC = files("tillflow_simulators.xero") / "spec"
METHODS = ("get", "put", "post", "delete", "patch")
OPEN_SCHEMAS = frozenset({"Element"})


@dataclass
class ApiRequest:
    """What openapi-core reads of a request (its ``Request`` protocol)."""

    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: bytes | None = None
    content_type: str = "application/json"
    host_url: str = HOST
    parameters: RequestParameters = field(init=False)

    def __post_init__(self) -> None:
        self.method = self.method.lower()
        pairs = [(key, value) for key, values in self.query.items() for value in values]
        self.parameters = RequestParameters(query=ImmutableMultiDict(pairs),
                                            header=Headers(dict(self.headers)))


@dataclass
class WebhookCall:
    """A webhook Xero sends, as openapi-core reads one (its ``WebhookRequest`` protocol)."""

    name: str
    body: bytes
    method: str = "post"
    content_type: str = "application/json"
    parameters: RequestParameters = field(default_factory=RequestParameters)


@dataclass(frozen=True)
class Problem:
    """One thing the spec refuses: where it is, what is wrong, and which rule said so."""

    location: str  # "body", "query", "header", "path"
    path: tuple[str | int, ...]
    message: str
    rule: str  # the JSON-Schema keyword ("type", "required", ...) or "parameter"


@dataclass(frozen=True)
class SpecSet:
    accounting: OpenAPI
    identity: OpenAPI
    webhooks: OpenAPI
    # (method, path template) -> scopes of which one must be granted
    scopes: Mapping[tuple[str, str], tuple[str, ...]]
    # The Accounting API as prepared: its document, and its component schemas.
    document: Mapping[str, Any]
    schemas: Mapping[str, Any]
    load_seconds: float


def _read_yaml(name: str) -> Any:
    raw = (SPEC / name).read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return yaml.load(raw, Loader=yaml.CSafeLoader)


def _tighten(node: Any, name: str | None = None, *, close: bool = True) -> None:
    if isinstance(node, dict):
        if node.get("type") == "boolean" and node.get("default") in ("false", "true"):
            node["default"] = node["default"] == "true"
        if node.get("readOnly") and "default" in node:
            del node["default"]
        if close and "properties" in node and "additionalProperties" not in node \
                and name not in OPEN_SCHEMAS:
            node["additionalProperties"] = False
        for value in node.values():
            _tighten(value, close=close)
    elif isinstance(node, list):
        for item in node:
            _tighten(item, close=close)


def _take_security(spec: dict[str, Any]) -> dict[tuple[str, str], tuple[str, ...]]:
    scopes: dict[tuple[str, str], tuple[str, ...]] = {}
    for template, item in spec["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            wanted = [scope for requirement in operation.pop("security", [])
                      for scope in requirement.get("OAuth2", [])]
            scopes[(method, template)] = tuple(wanted)
    spec.pop("security", None)
    spec.get("components", {}).pop("securitySchemes", None)
    return scopes


def _prepared(name: str, *, close: bool = True
              ) -> tuple[dict[str, Any], dict[tuple[str, str], tuple[str, ...]]]:
    spec = _read_yaml(name)
    for schema_name, schema in spec.get("components", {}).get("schemas", {}).items():
        _tighten(schema, schema_name, close=close)
    _tighten(spec.get("paths", {}), close=close)
    _tighten(spec.get("webhooks", {}), close=close)
    return spec, _take_security(spec) if "paths" in spec else {}


@cache
def specs() -> SpecSet:
    """The three specs, read and prepared once per process."""
    started = time.perf_counter()
    accounting, scopes = _prepared("xero_accounting.yaml.gz")
    identity, _ = _prepared("xero-identity.yaml")
    # The webhook payloads compose schemas with allOf, which closed objects would break;
    # the simulator builds them itself, so their declared fields and types suffice.
    webhooks, _ = _prepared("xero-webhooks.yaml", close=False)
    return SpecSet(
        accounting=OpenAPI.from_dict(accounting),
        identity=OpenAPI.from_dict(identity),
        webhooks=OpenAPI.from_dict(webhooks),
        scopes=scopes,
        document=accounting,
        schemas=accounting["components"]["schemas"],
        load_seconds=time.perf_counter() - started,
    )


def request_problems(api: OpenAPI, request: ApiRequest | WebhookCall) -> list[Problem]:
    return list(_problems(api.iter_request_errors(request)))


def answer_problems(method: str, template: str, status: int, body: Any) -> list[str]:
    """What the spec refuses in an answer the simulator built (a simulator bug)."""
    validator = _answer_validator(method, template, status)
    if validator is None:
        return [f"the spec declares no JSON answer {status} for {method.upper()} {template}"]
    return [f"{'.'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(body)]


@cache
def _answer_validator(method: str, template: str, status: int) -> Any:
    """A validator of one answer's schema, built once: openapi-core resolves references on
    every call, which costs 10 ms and more for a list of invoices."""
    document = specs().document
    responses = document["paths"][template][method]["responses"]
    answer = responses.get(str(status))
    if answer is None:
        return None
    if "$ref" in answer:
        answer = document["components"]["responses"][answer["$ref"].rsplit("/", 1)[-1]]
    schema = answer.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return None
    registry = Registry().with_resource(
        "urn:xero-accounting", Resource.from_contents(document, default_specification=DRAFT4))
    ref = schema["$ref"].replace("#", "urn:xero-accounting#", 1) if "$ref" in schema else None
    return OAS30Validator({"$ref": ref} if ref else schema, registry=registry,
                          format_checker=oas30_format_checker)


def _problems(errors: Iterable[Exception]) -> Iterator[Problem]:
    for error in errors:
        if isinstance(error, InvalidRequestBody):
            yield from _schema_problems("body", error.__cause__)
        elif isinstance(error, MissingRequiredParameter):
            yield Problem("header" if "header" in str(error).lower() else "query",
                          (error.name,), str(error), "required")
        elif isinstance(error, ParameterValidationError):
            yield Problem(error.location, (error.name,), _cause_text(error), "parameter")
        else:
            yield Problem("body", (), str(error), "body")


def _schema_problems(location: str, cause: BaseException | None) -> Iterator[Problem]:
    if not isinstance(cause, InvalidSchemaValue):
        yield Problem(location, (), str(cause), "body")
        return
    for error in cause.schema_errors:
        if isinstance(error, JsonSchemaError):
            yield Problem(location, tuple(error.absolute_path), error.message,
                          str(error.validator))
        else:
            yield Problem(location, (), str(error), "body")


def _cause_text(error: BaseException) -> str:
    cause = error.__cause__
    return f"{error}: {cause!r}" if cause is not None else str(error)
