"""Shopify's GraphQL Admin schema of each API version, built once per process.

A schema is built from the introspection result with graphql-core, marked valid: Shopify's
own schema breaks a rule graphql-core checks (deprecated fields implementing interface
fields that are not), which Shopify's server does not enforce.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from functools import cache
from typing import Any

from graphql import GraphQLSchema, build_client_schema

from tillflow_simulators.shopify.schema.install import schema_folder
from tillflow_simulators.shopify.schema.scalars import install_wire_formats

PREFIX, SUFFIX = "admin_", ".json.gz"

_lock = threading.Lock()
_schemas: dict[str, GraphQLSchema] = {}
_access: dict[str, list[dict[str, Any]]] = {}
load_seconds: dict[str, float] = {}


class UnknownVersion(KeyError):
    """No schema of that API version is in the pinned package."""


@cache
def api_versions() -> tuple[str, ...]:
    """Every version the pinned package ships, oldest first (``unstable`` last)."""
    names = [path.name[len(PREFIX):-len(SUFFIX)]
             for path in schema_folder().glob(f"{PREFIX}*{SUFFIX}")]
    return tuple(sorted(names, key=lambda name: (name == "unstable", name)))


def load_schema(version: str) -> GraphQLSchema:
    with _lock:
        found = _schemas.get(version)
        if found is None:
            found = _build(version)
            _schemas[version] = found
        return found


def access_rules(version: str) -> list[dict[str, Any]]:
    """The access each type and field needs, as the package records it (``offline_scopes``)."""
    load_schema(version)
    return _access[version]


def _build(version: str) -> GraphQLSchema:
    started = time.perf_counter()
    path = schema_folder() / f"{PREFIX}{version}{SUFFIX}"
    if not path.is_file():
        raise UnknownVersion(version)
    document = json.loads(gzip.decompress(path.read_bytes()))
    schema = build_client_schema(document["data"], assume_valid=True)
    install_wire_formats(schema)
    _access[version] = list((document.get("offline_scopes") or {}).get("items") or [])
    load_seconds[version] = time.perf_counter() - started
    return schema
