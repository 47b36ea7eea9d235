"""Adobe's Swagger 2.0 schemas of the REST API, one per version and caller role.

The schemas ship gzipped with the simulator (``spec/openapi``). Each is read once per
process; the operations give the parameters and answers the simulator checks, and the
definitions are compiled into JSON Schema (draft 4, which Swagger 2.0 schema objects are)
validators: one for what a caller sends, one for what the simulator answers.
"""

from __future__ import annotations

import copy
import functools
import gzip
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal, cast

import yaml
from jsonschema.protocols import Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tillflow_simulators.magento import typecheck

VERSIONS = ("2.4.6", "2.4.7", "2.4.8", "2.4.9")
DEFAULT_VERSION = "2.4.8"

Role = Literal["admin", "guest"]
Direction = Literal["request", "response"]


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # path, query or body
    type: str | None
    schema: Mapping[str, Any] | None
    required: bool


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # the schema's template, e.g. /V1/orders/{id}
    parameters: tuple[Parameter, ...]
    responses: Mapping[str, Any]

    @property
    def body(self) -> Parameter | None:
        return next((p for p in self.parameters if p.location == "body"), None)

    def success_schema(self) -> Mapping[str, Any] | None:
        answer = self.responses.get("200")
        return None if answer is None else answer.get("schema")


class ApiSchema:
    """One schema document: its operations and its validators."""

    def __init__(self, version: str, role: Role, document: dict[str, Any]) -> None:
        self.version = version
        self.role = role
        self.definitions: dict[str, Any] = document["definitions"]
        self._paths: dict[str, Any] = document["paths"]
        self._registries = {
            direction: _registry(self._uri(direction), self.definitions, direction)
            for direction in ("request", "response")
        }

    def operation(self, method: str, template: str) -> Operation | None:
        found = self._paths.get(template, {}).get(method.lower())
        if found is None:
            return None
        return Operation(
            method=method.upper(),
            path=template,
            parameters=tuple(_parameter(p) for p in found.get("parameters", [])),
            responses=found.get("responses", {}),
        )

    def operations(self) -> Iterator[tuple[str, str]]:
        """Every (METHOD, template) the document describes."""
        for template, methods in self._paths.items():
            for method in methods:
                yield method.upper(), template

    def has(self, method: str, template: str) -> bool:
        return method.lower() in self._paths.get(template, {})

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """Follow a local ``$ref`` to the definition it names."""
        ref = schema.get("$ref")
        if ref is None:
            return schema
        return cast("Mapping[str, Any]", self.definitions[ref.rsplit("/", 1)[-1]])

    def validator(self, schema: Mapping[str, Any], direction: Direction) -> Validator:
        """A validator of ``schema`` whose ``#/definitions/...`` point into this document."""
        cls = typecheck.REQUEST if direction == "request" else typecheck.RESPONSE
        rooted = _rebase(schema, self._uri(direction))
        return cast("Validator", cls(rooted, registry=self._registries[direction]))

    def _uri(self, direction: Direction) -> str:
        return f"urn:magento:{self.role}:{self.version}:{direction}"


@functools.cache
def load(version: str, role: Role) -> ApiSchema:
    if version not in VERSIONS:
        raise ValueError(f"Magento {version} is not described; known: {', '.join(VERSIONS)}")
    path = resources.files("tillflow_simulators.magento") / "spec" / "openapi"
    with (path / f"{role}-schema-{version}.yaml.gz").open("rb") as raw:
        document = yaml.load(gzip.decompress(raw.read()), Loader=_LOADER)  # noqa: S506
    return ApiSchema(version, role, document)


def load_timed(version: str) -> float:
    """Seconds it takes to read both schemas of ``version`` (nothing when already read)."""
    started = time.perf_counter()
    load(version, "admin")
    load(version, "guest")
    return time.perf_counter() - started


# libyaml reads the admin schema in a third of a second, the pure-Python reader in three.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parameter(raw: Mapping[str, Any]) -> Parameter:
    return Parameter(
        name=raw["name"],
        location=raw["in"],
        type=raw.get("type"),
        schema=raw.get("schema"),
        required=bool(raw.get("required")),
    )


def _registry(uri: str, definitions: Mapping[str, Any], direction: Direction) -> Registry[Any]:
    contents = {"definitions": _tightened(definitions, keep_required=direction == "response")}
    registry: Registry[Any] = Registry().with_resource(
        uri, Resource.from_contents(contents, DRAFT4)
    )
    return registry


def _tightened(definitions: Mapping[str, Any], *, keep_required: bool) -> dict[str, Any]:
    """Refuse fields a definition does not declare, as Magento refuses a property its data
    interface has no getter for. ``required`` stays only for answers: Magento's input
    processor does not check it inside entities (each service checks what it needs)."""
    tightened = copy.deepcopy(dict(definitions))
    for definition in tightened.values():
        if definition.get("type") == "object" and "properties" in definition:
            definition["additionalProperties"] = False
        if not keep_required:
            definition.pop("required", None)
    if not keep_required:
        # A custom attribute's value is PHP "mixed" (a multiselect sends a list); the
        # generator wrote it as a string.
        tightened["framework-attribute-interface"]["properties"]["value"] = {}
    return tightened


def _rebase(schema: Mapping[str, Any], uri: str) -> dict[str, Any]:
    return dict(_rebased(schema, uri))


def _rebased(node: Any, uri: str) -> Any:
    if isinstance(node, Mapping):
        return {
            key: (uri + value if key == "$ref" and value.startswith("#") else _rebased(value, uri))
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rebased(item, uri) for item in node]
    return node
