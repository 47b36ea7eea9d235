"""Pieces every resolver module shares: the request context, lookups by global id,
connections over records, user errors, version checks, the ``@idempotent`` directive, and
the refusal of what the simulator does not model.

Requests run against Shopify's whole schema, of which the simulator models a part: a field
it has no value for, an input field it would ignore and a sort key it cannot sort by are
refused with a ``NOT_MODELLED`` error naming them, never answered with made-up values."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from typing import Any, TypeVar

from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    get_directive_values,
    get_named_type,
)
from graphql.utilities.coerce_input_value import coerce_default_value

from tillflow_simulators.shopify import search
from tillflow_simulators.shopify.bulk import BulkSession
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
    bulk: BulkSession | None = None

    @property
    def strict(self) -> bool:
        return version_at_least(self.version, STRICT_CONCURRENCY_VERSION)


Info = GraphQLResolveInfo[RequestContext]


def version_at_least(version: str, minimum: str) -> bool:
    return version == "unstable" or version >= minimum


@lru_cache(maxsize=512)
def snake_case(name: str) -> str:
    return _SNAKE.sub("_", name).lower()


class NotModelled(GraphQLError):
    def __init__(self, what: str) -> None:
        super().__init__(f"{what} is not modelled by the Shopify simulator",
                         extensions={"code": "NOT_MODELLED"})


# What a resolver taking ``**args`` models unless it declares otherwise with ``takes``: a
# connection's paging, search and sorting.
CONNECTION_ARGUMENTS = frozenset({"first", "after", "last", "before", "reverse", "query",
                                  "sortKey"})


def takes(*names: str) -> Callable[[Resolver], Resolver]:
    """Declare the arguments a resolver taking ``**args`` models."""

    def mark(resolve: Resolver) -> Resolver:
        resolve.arguments = frozenset(names)  # type: ignore[attr-defined]
        return resolve

    return mark


_ABSENT = object()


def default_resolver(source: Any, info: GraphQLResolveInfo[Any], **_: Any) -> Any:
    if isinstance(source, Mapping):
        value = source.get(info.field_name, _ABSENT)
    else:
        value = getattr(source, snake_case(info.field_name), _ABSENT)
    if value is _ABSENT:
        raise NotModelled(f"{info.parent_type.name}.{info.field_name}")
    return value


InputShape = Mapping[str, "InputShape | None"]


def refuse_unmodelled(info: Info, argument: str, value: Any, shape: InputShape) -> None:
    """Refuse input fields outside ``shape`` (nested names; None for a leaf) that a request
    sets to something other than their default."""
    owner = info.parent_type.fields[info.field_name]
    _refuse(value, owner.args[argument].type, shape, argument)


def _refuse(value: Any, declared: Any, shape: InputShape | None, path: str) -> None:
    named = get_named_type(declared)
    if shape is None or value is None or not isinstance(named, GraphQLInputObjectType):
        return
    for item in value if isinstance(value, list) else [value]:
        for name, inner in item.items():
            field = named.fields[name]
            if name in shape:
                _refuse(inner, field.type, shape[name], f"{path}.{name}")
            elif inner is not None and inner != coerce_default_value(field):
                raise NotModelled(f"The input field {path}.{name}")


def has_enum_value(info: GraphQLResolveInfo[Any], enum: str, value: str) -> bool:
    """Whether this request's API version has ``value`` in ``enum``."""
    found = info.schema.get_type(enum)
    return isinstance(found, GraphQLEnumType) and value in found.values


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
    return {"field": field_path, "message": message, "code": code}


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
    sort_key = str(args.get("sortKey") or "ID")
    key_of = sort_keys.get(sort_key)
    if key_of is None:
        raise NotModelled(f"Sorting by {sort_key}")
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
                return {**_empty_payload(info),
                        "userErrors": [user_error(message, None, mismatch_code)]}
            payload = resolve(root, info, **args)
            request.idempotency[(mutation, key)] = IdempotentResult(fingerprint, payload)
            return payload

        return guarded

    return decorate


def _empty_payload(info: Info) -> dict[str, Any]:
    payload = get_named_type(info.return_type)
    fields = payload.fields if isinstance(payload, GraphQLObjectType) else {}
    return dict.fromkeys(fields)


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
