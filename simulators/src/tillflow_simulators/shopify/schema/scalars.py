"""The wire formats of Shopify's custom scalars, which an introspection result leaves out.

``DateTime`` is ISO-8601 (served in UTC at second precision), ``Decimal`` and ``Money``
are decimal strings, ``UnsignedInt64`` is a string of digits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from graphql import (
    ConstValueNode,
    GraphQLError,
    GraphQLScalarType,
    GraphQLSchema,
    value_from_ast_untyped,
)


def serialize_datetime(value: Any) -> str:
    if not isinstance(value, datetime):
        raise GraphQLError(f"DateTime cannot represent {value!r}")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(value: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise GraphQLError(f"Invalid DateTime: {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def serialize_decimal(value: Any) -> str:
    return f"{Decimal(value):.2f}"


def parse_decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise GraphQLError(f"Invalid decimal value: {value!r}")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise GraphQLError(f"Invalid decimal value: {value!r}") from exc


def parse_unsigned(value: Any) -> int:
    text = str(value)
    if isinstance(value, bool) or not text.isdigit():
        raise GraphQLError(f"Invalid UnsignedInt64: {value!r}")
    return int(text)


WIRE_FORMATS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "DateTime": (serialize_datetime, parse_datetime),
    "Money": (serialize_decimal, parse_decimal),
    "Decimal": (serialize_decimal, parse_decimal),
    "UnsignedInt64": (str, parse_unsigned),
}


def install_wire_formats(schema: GraphQLSchema) -> None:
    for name, (serialize, parse_value) in WIRE_FORMATS.items():
        scalar = schema.type_map.get(name)
        if not isinstance(scalar, GraphQLScalarType):
            continue
        scalar.coerce_output_value = serialize
        scalar.coerce_input_value = parse_value
        scalar.coerce_input_literal = _literal(parse_value)


def _literal(parse_value: Callable[[Any], Any]) -> Callable[[ConstValueNode], Any]:
    def parse_literal(node: ConstValueNode) -> Any:
        return parse_value(value_from_ast_untyped(node))

    return parse_literal
