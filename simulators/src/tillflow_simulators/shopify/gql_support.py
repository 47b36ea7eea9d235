"""Pieces every resolver module shares: the request context, lookups by global id,
connections over records, user errors, version checks and the ``@idempotent`` directive."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from typing import Any, TypeVar

from graphql import GraphQLError, GraphQLResolveInfo, get_directive_values

from tillflow_simulators.shopify import search
from tillflow_simulators.shopify.model import Record, parse_gid
from tillflow_simulators.shopify.pagination import PageRequest, connection, sort_value
from tillflow_simulators.shopify.store import ShopStore

Resolver = Callable[..., Any]
RecordT = TypeVar("RecordT", bound=Record)

# From this version on, Shopify rejects the guarded mutations without @idempotent and
# requires changeFromQuantity to be sent (null opts out of the compare-and-set check).
STRICT_CONCURRENCY_VERSION = "2026-04"

_SNAKE = re.compile(r"(?<!^)(?=[A-Z])")


@dataclass
class IdempotentResult:
    fingerprint: str
    payload: Any


@dataclass
class RequestContext:
    store: ShopStore
    version: str
    idempotency: dict[tuple[str, str], IdempotentResult] = field(default_factory=dict)

    @property
    def strict(self) -> bool:
        return version_at_least(self.version, STRICT_CONCURRENCY_VERSION)


Info = GraphQLResolveInfo[RequestContext]


def version_at_least(version: str, minimum: str) -> bool:
    return version == "unstable" or version >= minimum


@lru_cache(maxsize=512)
def snake_case(name: str) -> str:
    return _SNAKE.sub("_", name).lower()


def default_resolver(source: Any, info: GraphQLResolveInfo[Any], **_: Any) -> Any:
    if isinstance(source, Mapping):
        return source.get(info.field_name)
    return getattr(source, snake_case(info.field_name), None)


def context(info: Info) -> RequestContext:
    return info.context


def store_of(info: Info) -> ShopStore:
    return context(info).store


def lookup(records: Mapping[int, RecordT], value: object, kind: str) -> RecordT | None:
    number = parse_gid(value, kind)
    return records.get(number) if number is not None else None


def user_error(
    message: str, field_path: list[str] | None, code: str | None = None
) -> dict[str, Any]:
    error: dict[str, Any] = {"field": field_path, "message": message}
    if code is not None:
        error["code"] = code
    return error


SortKeys = Mapping[str, Callable[[Any], object]]
DEFAULT_SORT_KEYS: SortKeys = {
    "ID": lambda record: record.number,
    "CREATED_AT": lambda record: record.created_at,
    "UPDATED_AT": lambda record: record.updated_at,
}


def record_connection(
    records: Iterable[RecordT],
    args: dict[str, Any],
    *,
    fields: search.Fields | None = None,
    text_fields: tuple[str, ...] = (),
    sort_keys: SortKeys = DEFAULT_SORT_KEYS,
) -> dict[str, Any]:
    """Filter by ``query``, order by ``sortKey`` and page ``records`` as a connection."""
    try:
        terms = search.parse(args.get("query"))
        chosen = [r for r in records if search.matches(r, terms, fields or {}, text_fields)]
    except (search.UnsupportedQuery, ValueError) as exc:
        raise GraphQLError(f"Invalid search query: {args.get('query')}") from exc
    key_of = sort_keys.get(str(args.get("sortKey") or "ID"), DEFAULT_SORT_KEYS["ID"])
    return connection(
        chosen,
        PageRequest.from_args(args),
        key=lambda record: sort_value(key_of(record)),
        number=lambda record: record.number,
    )


def canonical(args: Mapping[str, Any]) -> str:
    return json.dumps(args, sort_keys=True, default=str, separators=(",", ":"))


def idempotent(mutation: str, *, mismatch_code: str | None) -> Callable[[Resolver], Resolver]:
    """Guard a mutation resolver with Shopify's ``@idempotent(key:)`` semantics.

    The same key with the same arguments returns the first result again (resolved from the
    current state, as Shopify builds it) without running the mutation; the same key with
    other arguments gets ``IDEMPOTENCY_KEY_PARAMETER_MISMATCH``.
    """

    def decorate(resolve: Resolver) -> Resolver:
        @wraps(resolve)
        def guarded(root: Any, info: Info, **args: Any) -> Any:
            request = context(info)
            key = idempotency_key(info)
            if key is None:
                if request.strict:
                    raise GraphQLError(
                        f"The @idempotent directive is required for the {mutation} mutation.",
                        extensions={"code": "BAD_REQUEST"},
                    )
                return resolve(root, info, **args)
            fingerprint = canonical(args)
            previous = request.idempotency.get((mutation, key))
            if previous is not None:
                if previous.fingerprint == fingerprint:
                    return previous.payload
                message = (
                    "The same idempotency key cannot be used with different operation parameters."
                )
                return {"userErrors": [user_error(message, None, mismatch_code)]}
            payload = resolve(root, info, **args)
            request.idempotency[(mutation, key)] = IdempotentResult(fingerprint, payload)
            return payload

        return guarded

    return decorate


def idempotency_key(info: Info) -> str | None:
    directive = info.schema.get_directive("idempotent")
    if directive is None:
        return None
    for node in info.field_nodes:
        values = get_directive_values(directive, node, info.variable_values)
        if values is not None:
            key: str = values["key"]
            return key
    return None
