"""Running a bulk mutation: the JSONL variables staged and uploaded, the operation started
once the shop has no other bulk mutation running, polled until it ends, and its results
file read.

The calls cost like ordinary ones (a few points each) and the lines are not metered, so
a large push costs a handful of calls whatever its size. One operation at a time: a
running one (this connection's earlier try, or another app's) is waited for, and an
``OPERATION_IN_PROGRESS`` or ``LIMIT_REACHED`` refusal is waited out the same way. An
operation that runs past ``wait_seconds`` is canceled and read as far as it got.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tillflow.connectors.shopify import queries
from tillflow.connectors.shopify.client import ShopifyClient, user_errors
from tillflow.ports.commerce import Rejected, Retryable

BUSY = frozenset({"OPERATION_IN_PROGRESS", "LIMIT_REACHED"})
DONE = frozenset({"COMPLETED", "FAILED", "CANCELED", "EXPIRED"})
CANCEL_GRACE = 60.0


@dataclass(frozen=True)
class BulkResult:
    status: str
    error_code: str | None
    lines: list[str]


class BulkMutations:
    def __init__(self, client: ShopifyClient, *, poll_seconds: float = 1.0,
                 wait_seconds: float = 3600.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.poll_seconds = poll_seconds
        self.wait_seconds = wait_seconds
        self._clock = clock

    def run(self, mutation: str, variables: bytes) -> BulkResult:
        deadline = self._clock() + self.wait_seconds
        path = self._stage(variables)
        operation = self._start(mutation, path, deadline)
        final = self._finished(operation, deadline)
        address = final.get("url") or final.get("partialDataUrl")
        lines = self.client.download(str(address)).splitlines() if address else []
        return BulkResult(status=str(final["status"]), error_code=final.get("errorCode"),
                          lines=lines)

    def _stage(self, variables: bytes) -> str:
        result = self.client.execute(queries.STAGED_UPLOAD, {"input": [{
            "resource": "BULK_MUTATION_VARIABLES", "filename": "variables.jsonl",
            "mimeType": "text/jsonl", "httpMethod": "POST"}]})["stagedUploadsCreate"]
        if user_errors(result):
            raise Rejected(f"stagedUploadsCreate: {user_errors(result)[0]['message']}")
        target = result["stagedTargets"][0]
        fields = {p["name"]: p["value"] for p in target["parameters"]}
        self.client.upload(str(target["url"]), fields, variables)
        return str(fields["key"])

    def _start(self, mutation: str, path: str, deadline: float) -> str:
        while True:
            for running in self._running():
                self._finished(running["id"], deadline, cancel=False)
            result = self.client.execute(queries.BULK_RUN, {"mutation": mutation,
                                                            "path": path})
            payload = result["bulkOperationRunMutation"]
            errors = user_errors(payload)
            if not errors:
                return str(payload["bulkOperation"]["id"])
            if errors[0].get("code") not in BUSY:
                raise Rejected(f"bulkOperationRunMutation: {errors[0]['message']}")
            self._pause(deadline, "another bulk mutation is still running")

    def _running(self) -> list[dict[str, Any]]:
        nodes: list[dict[str, Any]] = self.client.execute(
            queries.BULK_RUNNING, expected_cost=5)["bulkOperations"]["nodes"]
        return nodes

    def _finished(self, operation: str, deadline: float, *,
                  cancel: bool = True) -> dict[str, Any]:
        """The operation once it ended; past the deadline it is canceled (when it is
        this run's own) and read as far as it got."""
        canceled = False
        while True:
            node: dict[str, Any] = self.client.execute(
                queries.BULK_OPERATION, {"id": operation}, expected_cost=1)["bulkOperation"]
            if node["status"] in DONE:
                return node
            if self._clock() >= deadline and cancel and not canceled:
                self.client.execute(queries.BULK_CANCEL, {"id": operation})
                canceled, deadline = True, self._clock() + CANCEL_GRACE
                continue
            self._pause(deadline, f"bulk operation {operation} is still {node['status']}")

    def _pause(self, deadline: float, why: str) -> None:
        if self._clock() >= deadline:
            raise Retryable(f"Shopify: {why}")
        self.client.sleep(self.poll_seconds)
