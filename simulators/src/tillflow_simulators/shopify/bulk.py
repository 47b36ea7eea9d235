"""Bulk mutation operations: staged uploads of JSONL variables, each operation run in the
background line by line, and the results JSONL it leaves (shopify.dev, "Bulk import data
with the GraphQL Admin API").

A staged upload reserves a key; the file is then posted as a multipart form to the
simulator's storage address with the parameters ``stagedUploadsCreate`` gave, as to
Shopify's storage. An operation runs its mutation once per line, outside the per-call
cost throttle (Shopify does not rate-limit the lines), but not instantly: lines run at
``lines_per_second``. Shopify publishes no throughput figure; the default of 40 lines a
second is an estimate for a single-variant ``productSet`` and is configurable. The results
file has one line per input line, the mutation's answer with ``__lineNumber`` (from 0).
Up to ``2026-01`` a shop runs one bulk mutation at a time, from then on five.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from tillflow_simulators.shopify.model import Record
from tillflow_simulators.shopify.store import ShopStore

DEFAULT_LINES_PER_SECOND = 40.0
# The size of a bulk mutation's variables file Shopify's storage takes (20 MiB, as
# Shopify states it for bulk mutations; larger uploads get EntityTooLarge).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
CONCURRENCY_VERSION = "2026-01"
RUNNING = ("CREATED", "RUNNING", "CANCELING")
# A staged upload's storage object name, as Shopify's are laid out.
UPLOAD_KEY = "tmp/{shop}/bulk/{token}/bulk_op_vars"

LineRunner = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class BulkSession:
    """What a request's resolvers need of bulk operations: the shop's operations, the
    simulator's own address (where uploads and results live), and how to run a parsed
    mutation document with one line's variables."""

    operations: BulkOperations
    origin: str
    run_line: Callable[[Any, dict[str, Any]], dict[str, Any]]


@dataclass(eq=False)
class BulkOperation(Record):
    kind: ClassVar[str] = "BulkOperation"
    query: str = ""
    type: str = "MUTATION"
    status: str = "CREATED"
    error_code: str | None = None
    object_count: int = 0
    root_object_count: int = 0
    file_size: int | None = None
    url: str | None = None
    partial_data_url: str | None = None
    completed_at: datetime | None = None
    client_identifier: str | None = None
    lines: list[dict[str, Any]] = field(default_factory=list)
    results: list[str] = field(default_factory=list)


INTERNAL_ERROR = {"message": "Internal error. Looks like something went wrong on our end.",
                  "extensions": {"code": "INTERNAL_SERVER_ERROR"}}


@dataclass(frozen=True)
class BulkFaults:
    """What goes wrong in the next operation: it fails (``errorCode``) after
    ``fail_after`` lines, and the ``broken_lines`` answer with Shopify's internal error."""

    fail_after: int | None = None
    error_code: str = "INTERNAL_SERVER_ERROR"
    broken_lines: frozenset[int] = frozenset()


class BulkOperations:
    def __init__(self, store: ShopStore, *,
                 lines_per_second: float = DEFAULT_LINES_PER_SECOND,
                 max_upload_bytes: int = MAX_UPLOAD_BYTES) -> None:
        self.store = store
        self.lines_per_second = lines_per_second
        self.max_upload_bytes = max_upload_bytes
        self.operations: dict[int, BulkOperation] = {}
        self._uploads: dict[str, bytes | None] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.next_faults = BulkFaults()

    # -- staged uploads -----------------------------------------------------------------

    def reserve(self) -> str:
        key = UPLOAD_KEY.format(shop=self.store.primary_location.number,
                                token=uuid.uuid4())
        with self._lock:
            self._uploads[key] = None
        return key

    def receive(self, key: str, content: bytes) -> bool:
        """Store an uploaded file under a reserved key; False for a key never reserved."""
        with self._lock:
            if key not in self._uploads:
                return False
            self._uploads[key] = content
            return True

    def uploaded(self, key: str) -> bytes | None:
        with self._lock:
            return self._uploads.get(key)

    # -- operations ---------------------------------------------------------------------

    def running(self) -> list[BulkOperation]:
        with self._lock:
            return [op for op in self.operations.values() if op.status in RUNNING]

    def limit(self, version: str) -> int:
        return 5 if version == "unstable" or version >= CONCURRENCY_VERSION else 1

    def start(self, *, mutation: str, lines: list[dict[str, Any]], run_line: LineRunner,
              results_url: Callable[[int], str], client_identifier: str | None
              ) -> BulkOperation:
        stamp = self.store.now()
        operation = BulkOperation(number=self.store.next_number(), created_at=stamp,
                                  updated_at=stamp, query=mutation, lines=lines,
                                  client_identifier=client_identifier)
        with self._lock:
            self.operations[operation.number] = operation
            faults, self.next_faults = self.next_faults, BulkFaults()
        worker = threading.Thread(target=self._run, name=f"bulk-{operation.number}",
                                  args=(operation, run_line, results_url, faults),
                                  daemon=True)
        self._threads.append(worker)
        worker.start()
        return operation

    def cancel(self, operation: BulkOperation) -> None:
        with self._lock:
            if operation.status in ("CREATED", "RUNNING"):
                operation.status = "CANCELING"

    def results(self, number: int) -> bytes | None:
        with self._lock:
            operation = self.operations.get(number)
            if operation is None or (operation.url is None and operation.partial_data_url is None):
                return None
            return "".join(f"{line}\n" for line in operation.results).encode()

    def stop(self) -> None:
        self._stop.set()
        for worker in self._threads:
            worker.join(timeout=5)

    def _run(self, operation: BulkOperation, run_line: LineRunner,
             results_url: Callable[[int], str], faults: BulkFaults) -> None:
        operation.status = "RUNNING"
        started = time.monotonic()
        for number, variables in enumerate(operation.lines):
            due = started + number / max(self.lines_per_second, 1e-9)
            if self._stop.wait(max(0.0, due - time.monotonic())):
                return
            if operation.status == "CANCELING":
                self._finish(operation, "CANCELED", results_url, partial=True)
                return
            if faults.fail_after is not None and number >= faults.fail_after:
                operation.error_code = faults.error_code
                self._finish(operation, "FAILED", results_url, partial=True)
                return
            answer = ({"errors": [INTERNAL_ERROR]} if number in faults.broken_lines
                      else run_line(variables))
            operation.results.append(json.dumps({**answer, "__lineNumber": number},
                                                default=str, separators=(",", ":")))
            operation.object_count = operation.root_object_count = number + 1
        self._finish(operation, "COMPLETED", results_url, partial=False)

    def _finish(self, operation: BulkOperation, status: str,
                results_url: Callable[[int], str], *, partial: bool) -> None:
        with self._lock:
            address = results_url(operation.number) if operation.results else None
            if partial:
                operation.partial_data_url = address
            else:
                operation.url = address
            operation.file_size = sum(len(line) + 1 for line in operation.results)
            operation.completed_at = self.store.now() if status == "COMPLETED" else None
            operation.updated_at = self.store.now()
            operation.status = status


def read_jsonl(content: bytes) -> list[dict[str, Any]] | None:
    """Each line's variables, or None when a line is not a JSON object."""
    lines: list[dict[str, Any]] = []
    for raw in content.decode("utf-8", errors="replace").splitlines():
        if not raw.strip():
            continue
        try:
            value = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(value, dict):
            return None
        lines.append(value)
    return lines
