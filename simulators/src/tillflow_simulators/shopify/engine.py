"""Runs GraphQL Admin requests: parse, validate, cost and throttle, execute, account.

Each response carries ``extensions.cost`` like Shopify's; an over-budget query gets the
``THROTTLED`` error without running, and one costing more than 1,000 points is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from graphql import (
    ConstValueNode,
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLScalarType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    build_schema,
    execute_sync,
    parse,
    validate,
    value_from_ast_untyped,
)

from tillflow_simulators.shopify import gql_catalog, gql_inventory, gql_orders, gql_shop
from tillflow_simulators.shopify.cost import query_cost
from tillflow_simulators.shopify.gql_support import (
    IdempotentResult,
    RequestContext,
    default_resolver,
)
from tillflow_simulators.shopify.sdl import SDL
from tillflow_simulators.shopify.store import ShopStore
from tillflow_simulators.shopify.throttle import CostBucket

RATE_LIMIT_DOCS = "https://shopify.dev/api/usage/rate-limits"
Body = dict[str, Any]


def _serialize_datetime(value: Any) -> str:
    if not isinstance(value, datetime):
        raise GraphQLError(f"DateTime cannot represent {value!r}")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_datetime(value: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise GraphQLError(f"Invalid DateTime: {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _serialize_decimal(value: Any) -> str:
    return f"{Decimal(value):.2f}"


def _parse_decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise GraphQLError(f"Invalid decimal value: {value!r}")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise GraphQLError(f"Invalid decimal value: {value!r}") from exc


def _literal(parse_value: Any) -> Any:
    def parse_literal(node: ConstValueNode) -> Any:
        return parse_value(value_from_ast_untyped(node))

    return parse_literal


@lru_cache(maxsize=1)
def build_shopify_schema() -> GraphQLSchema:
    """The schema with Shopify's scalars and every resolver attached (stateless, so shared)."""
    schema = build_schema(SDL)
    scalars: dict[str, tuple[Any, Any]] = {
        "DateTime": (_serialize_datetime, _parse_datetime),
        "Money": (_serialize_decimal, _parse_decimal),
        "Decimal": (_serialize_decimal, _parse_decimal),
        "UnsignedInt64": (str, int),
    }
    for name, (serialize, parse_value) in scalars.items():
        scalar = schema.type_map[name]
        assert isinstance(scalar, GraphQLScalarType)
        scalar.coerce_output_value = serialize
        scalar.coerce_input_value = parse_value
        scalar.coerce_input_literal = _literal(parse_value)
    resolvers = {
        **gql_catalog.RESOLVERS,
        **gql_inventory.RESOLVERS,
        **gql_orders.RESOLVERS,
        **gql_shop.RESOLVERS,
    }
    for path, resolve in resolvers.items():
        type_name, field_name = path.split(".")
        owner = schema.get_type(type_name)
        owner.fields[field_name].resolve = resolve  # type: ignore[union-attr]
    return schema


def _cost_extension(requested: int, actual: int | None, bucket: CostBucket) -> Body:
    return {
        "cost": {
            "requestedQueryCost": requested,
            "actualQueryCost": actual,
            "throttleStatus": bucket.status().as_json(),
        }
    }


class GraphQLEngine:
    def __init__(self, store: ShopStore, bucket: CostBucket) -> None:
        self.store = store
        self.bucket = bucket
        self.schema = build_shopify_schema()
        self.idempotency: dict[tuple[str, str], IdempotentResult] = {}

    def run(
        self,
        *,
        query: str,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
        version: str,
    ) -> Body:
        try:
            document = parse(query)
        except GraphQLError as error:
            return {"errors": [error.formatted], "extensions": _cost_extension(0, 0, self.bucket)}
        errors = validate(self.schema, document)
        if errors:
            return {
                "errors": [e.formatted for e in errors],
                "extensions": _cost_extension(0, 0, self.bucket),
            }
        requested = query_cost(
            self.schema, document, operation_name=operation_name, variables=variables
        )
        refusal = self._refusal(requested)
        if refusal is not None:
            return refusal
        result = self._execute(document, variables, operation_name, version)
        actual = (
            requested
            if _is_mutation(document, operation_name)
            else query_cost(
                self.schema,
                document,
                operation_name=operation_name,
                variables=variables,
                data=result.data or {},
            )
        )
        self.bucket.refund(requested - actual)
        body: Body = dict(result.formatted)
        body["extensions"] = _cost_extension(requested, actual, self.bucket)
        return body

    def _refusal(self, requested: int) -> Body | None:
        maximum = self.bucket.limits.max_query_cost
        if requested > maximum:
            message = (
                f"Query cost is {requested}, which exceeds the single query max cost limit "
                f"({maximum}).\n\nSee {RATE_LIMIT_DOCS} for more information on how the cost "
                "of a query is calculated.\n\nTo query larger amounts of data with fewer "
                "limits, bulk operations should be used instead."
            )
            error = {
                "message": message,
                "extensions": {
                    "code": "MAX_COST_EXCEEDED",
                    "cost": requested,
                    "maxCost": maximum,
                    "documentation": RATE_LIMIT_DOCS,
                },
            }
            return {"errors": [error], "extensions": _cost_extension(requested, None, self.bucket)}
        if not self.bucket.try_take(requested):
            error = {
                "message": "Throttled",
                "extensions": {"code": "THROTTLED", "documentation": RATE_LIMIT_DOCS},
            }
            return {"errors": [error], "extensions": _cost_extension(requested, None, self.bucket)}
        return None

    def _execute(
        self,
        document: DocumentNode,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
        version: str,
    ) -> ExecutionResult:
        request = RequestContext(store=self.store, version=version, idempotency=self.idempotency)
        with self.store.lock:
            return execute_sync(
                self.schema,
                document,
                context_value=request,
                variable_values=dict(variables) if variables else None,
                operation_name=operation_name,
                field_resolver=default_resolver,
            )


def _is_mutation(document: DocumentNode, operation_name: str | None) -> bool:
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and (
            operation_name is None or (definition.name and definition.name.value == operation_name)
        ):
            return definition.operation == OperationType.MUTATION
    return False
