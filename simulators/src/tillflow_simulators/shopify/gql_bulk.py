"""The GraphQL side of bulk mutations: ``stagedUploadsCreate`` (bulk mutation variables
only), ``bulkOperationRunMutation``, ``bulkOperationCancel`` and the fields that read an
operation (``currentBulkOperation`` in every version, ``bulkOperation(id:)`` where the
version has it)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import timedelta
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    parse,
    validate,
)

from tillflow_simulators.shopify import search
from tillflow_simulators.shopify.bulk import BulkOperation, BulkSession, read_jsonl
from tillflow_simulators.shopify.gql_support import (
    Info,
    NotModelled,
    Resolver,
    context,
    lookup,
    record_connection,
    takes,
    user_error,
)

STORAGE_PATH = "/_storage/staged-uploads"
RESULTS_PATH = "/_storage/bulk-results"
SIGNING_KEY = b"tillflow-simulator-staged-uploads"
# What a bulk mutation may not run: bulk operations themselves and staged uploads.
NOT_IN_BULK = frozenset({"bulkOperationRunMutation", "bulkOperationRunQuery",
                         "bulkOperationCancel", "stagedUploadsCreate"})
UPLOAD_LIFETIME = timedelta(hours=1)


def session(info: Info) -> BulkSession:
    found = context(info).bulk
    if found is None:
        raise NotModelled("Bulk operations outside the simulator's HTTP endpoint")
    return found


def sign(policy: str) -> str:
    return hmac.new(SIGNING_KEY, policy.encode(), hashlib.sha256).hexdigest()


def staged_uploads_create(_: Any, info: Info, input: list[dict[str, Any]]) -> Any:
    bulk = session(info)
    targets = []
    for index, wanted in enumerate(input):
        if wanted["resource"] != "BULK_MUTATION_VARIABLES":
            raise NotModelled(f"Staged uploads of {wanted['resource']}")
        if wanted.get("httpMethod") != "POST":
            raise NotModelled(f"Staged uploads by {wanted.get('httpMethod')} (input {index})")
        key = bulk.operations.reserve()
        expires = bulk.operations.store.now() + UPLOAD_LIFETIME
        policy = base64.b64encode(json.dumps({
            "conditions": [{"key": key}, {"Content-Type": wanted["mimeType"]},
                           {"success_action_status": "201"}, {"acl": "private"}],
            "expiration": expires.isoformat()}).encode()).decode()
        targets.append({"url": f"{bulk.origin}{STORAGE_PATH}/", "resourceUrl": None,
                        "parameters": [
                            {"name": "Content-Type", "value": wanted["mimeType"]},
                            {"name": "success_action_status", "value": "201"},
                            {"name": "acl", "value": "private"},
                            {"name": "key", "value": key},
                            {"name": "x-goog-algorithm", "value": "GOOG4-HMAC-SHA256"},
                            {"name": "policy", "value": policy},
                            {"name": "x-goog-signature", "value": sign(policy)},
                        ]})
    return {"stagedTargets": targets, "userErrors": []}


def _refusal(code: str, message: str, path: list[str] | None) -> dict[str, Any]:
    return {"bulkOperation": None, "userErrors": [user_error(message, path, code)]}


@takes("mutation", "stagedUploadPath", "clientIdentifier", "groupObjects")
def run_mutation(_: Any, info: Info, **args: Any) -> Any:
    bulk = session(info)
    document, problem = _single_mutation(info, args["mutation"])
    if document is None:
        return _refusal("INVALID_MUTATION", problem, ["mutation"])
    content = bulk.operations.uploaded(args["stagedUploadPath"])
    if content is None:
        return _refusal("NO_SUCH_FILE", "The JSONL file could not be found. Try uploading "
                        "the file again.", ["stagedUploadPath"])
    lines = read_jsonl(content)
    if lines is None:
        return _refusal("INVALID_STAGED_UPLOAD_FILE", "Unexpected file structure - "
                        "expected JSONL", ["stagedUploadPath"])
    running = [op for op in bulk.operations.running() if op.type == "MUTATION"]
    limit = bulk.operations.limit(context(info).version)
    if len(running) >= limit:
        if limit == 1:
            return _refusal("OPERATION_IN_PROGRESS", "A bulk mutation operation for this app "
                            f"and shop is already in progress: {running[0].id}.", None)
        return _refusal("LIMIT_REACHED", "Bulk operations limit reached. Please try again "
                        "later.", None)
    operation = bulk.operations.start(
        mutation=args["mutation"], lines=lines,
        run_line=lambda variables: bulk.run_line(document, variables),
        results_url=lambda number: f"{bulk.origin}{RESULTS_PATH}/{number}.jsonl",
        client_identifier=args.get("clientIdentifier"))
    return {"bulkOperation": operation, "userErrors": []}


def _single_mutation(info: Info, text: str) -> tuple[DocumentNode | None, str]:
    """The document of one mutation running one field that may run in bulk, valid
    against the version's schema; otherwise None and why."""
    try:
        document = parse(text)
    except GraphQLError as error:
        return None, f"Failed to parse the mutation - {error.message}"
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or len(document.definitions) != 1:
        return None, "Bulk mutations must contain exactly one operation."
    operation = operations[0]
    if operation.operation != OperationType.MUTATION:
        return None, "Invalid mutation. Only mutations are supported."
    fields = [s for s in operation.selection_set.selections if isinstance(s, FieldNode)]
    if len(fields) != 1 or len(operation.selection_set.selections) != 1:
        return None, "Bulk mutations must run exactly one mutation field."
    if fields[0].name.value in NOT_IN_BULK:
        return None, f"You must use an allowed mutation name, not {fields[0].name.value}."
    errors = validate(info.schema, document)
    if errors:
        return None, f"Invalid mutation - {errors[0].message}"
    return document, ""


def cancel(_: Any, info: Info, id: str) -> Any:
    operations = session(info).operations
    found = lookup(operations.operations, id, "BulkOperation")
    if found is None:
        return {"bulkOperation": None,
                "userErrors": [user_error("Bulk operation does not exist", ["id"])]}
    if found.status not in ("CREATED", "RUNNING"):
        message = f"A bulk operation cannot be canceled when it is {found.status.lower()}"
        return {"bulkOperation": found, "userErrors": [user_error(message, ["id"])]}
    operations.cancel(found)
    return {"bulkOperation": found, "userErrors": []}


def current(_: Any, info: Info, type: str = "QUERY") -> BulkOperation | None:
    operations = session(info).operations
    mine = [op for op in operations.operations.values() if op.type == type]
    return max(mine, key=lambda op: op.number, default=None)


OPERATION_FIELDS: search.Fields = {
    "id": lambda op: op.number,
    "status": lambda op: op.status.lower(),
    "operation_type": lambda op: op.type.lower(),
    "created_at": lambda op: op.created_at,
}
# Newest first unless ``reverse``, as Shopify documents for this connection.
OPERATION_SORT = {"CREATED_AT": lambda op: -op.number,
                  "COMPLETED_AT": lambda op: -(op.completed_at or op.created_at).timestamp()}


def resolve_operations(_: Any, info: Info, **args: Any) -> Any:
    return record_connection(session(info).operations.operations.values(),
                             {"sortKey": "CREATED_AT", **args}, fields=OPERATION_FIELDS,
                             sort_keys=OPERATION_SORT)


def by_id(_: Any, info: Info, id: str) -> BulkOperation | None:
    return lookup(session(info).operations.operations, id, "BulkOperation")


RESOLVERS: dict[str, Resolver] = {
    "Mutation.stagedUploadsCreate": staged_uploads_create,
    "Mutation.bulkOperationRunMutation": run_mutation,
    "Mutation.bulkOperationCancel": cancel,
    "Query.currentBulkOperation": current,
    "Query.bulkOperation": by_id,
    "Query.bulkOperations": resolve_operations,
}
