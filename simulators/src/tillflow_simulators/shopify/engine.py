"""Runs GraphQL Admin requests: parse, validate, cost and throttle, execute, account.

A request is validated, with its variables, against Shopify's own schema of the API version
it was served (Shopify's error shape when invalid) and executed against that schema. Each
response carries ``extensions.cost`` like Shopify's; an over-budget query gets the
``THROTTLED`` error without running, and one costing more than 1,000 points is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    execute_sync,
    parse,
)

from tillflow_simulators.shopify.bulk import BulkOperations, BulkSession
from tillflow_simulators.shopify.cost import query_cost
from tillflow_simulators.shopify.executable import executable_schema
from tillflow_simulators.shopify.gql_support import (
    IdempotentResult,
    RequestContext,
    default_resolver,
)
from tillflow_simulators.shopify.store import ShopStore
from tillflow_simulators.shopify.throttle import CostBucket
from tillflow_simulators.shopify.validation import (
    document_errors,
    operation_variable_errors,
)

RATE_LIMIT_DOCS = "https://shopify.dev/api/usage/rate-limits"
Body = dict[str, Any]


def _cost_extension(requested: int, actual: int | None, bucket: CostBucket) -> Body:
    return {
        "cost": {
            "requestedQueryCost": requested,
            "actualQueryCost": actual,
            "throttleStatus": bucket.status().as_json(),
        }
    }


class GraphQLEngine:
    def __init__(self, store: ShopStore, bucket: CostBucket, bulk: BulkOperations) -> None:
        self.store = store
        self.bucket = bucket
        self.bulk = bulk
        self.idempotency: dict[tuple[str, str], IdempotentResult] = {}

    def run(
        self,
        *,
        query: str,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
        version: str,
        origin: str = "",
    ) -> Body:
        """Run one request; ``origin`` is the address the simulator was reached at, where
        staged uploads and bulk results are served."""
        schema = executable_schema(version)
        try:
            document = parse(query)
        except GraphQLError as error:
            return self._invalid([error.formatted])
        errors = document_errors(schema, document) or operation_variable_errors(
            schema, document, operation_name, variables or {}
        )
        if errors:
            return self._invalid(errors)
        requested = query_cost(schema, document, operation_name=operation_name,
                               variables=variables)
        refusal = self._refusal(requested)
        if refusal is not None:
            return refusal
        result = self._execute(schema, document, variables, operation_name, version,
                               origin=origin)
        actual = (
            requested
            if _is_mutation(document, operation_name)
            else query_cost(
                schema,
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

    def _invalid(self, errors: list[Any]) -> Body:
        return {"errors": errors, "extensions": _cost_extension(0, 0, self.bucket)}

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
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
        version: str,
        *,
        origin: str,
    ) -> ExecutionResult:
        bulk = BulkSession(self.bulk, origin,
                           lambda document, line: self._line(schema, document, line, version))
        request = RequestContext(store=self.store, version=version,
                                 idempotency=self.idempotency, bulk=bulk)
        with self.store.lock:
            return execute_sync(
                schema,
                document,
                context_value=request,
                variable_values=dict(variables) if variables else None,
                operation_name=operation_name,
                field_resolver=default_resolver,
            )

    def _line(self, schema: GraphQLSchema, document: DocumentNode, variables: Body,
              version: str) -> Body:
        """One line of a bulk mutation: its variables checked against the schema, then run
        outside the cost throttle (Shopify does not meter the lines)."""
        errors = operation_variable_errors(schema, document, None, variables)
        if errors:
            return {"errors": errors}
        result = self._execute(schema, document, variables, None, version, origin="")
        return dict(result.formatted)


def _is_mutation(document: DocumentNode, operation_name: str | None) -> bool:
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and (
            operation_name is None or (definition.name and definition.name.value == operation_name)
        ):
            return definition.operation == OperationType.MUTATION
    return False
