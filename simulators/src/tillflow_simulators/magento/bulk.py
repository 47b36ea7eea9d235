"""Asynchronous and bulk requests: accepted at once with a bulk UUID, run later by the
``async.operations.all`` consumer, their outcome read at ``/V1/bulk/{uuid}/status``.

A real store runs them only when its message-queue consumers run; here a consumer thread
runs them as they come (``auto``), or a test runs them when it chooses (``run_pending``).
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tillflow_simulators.magento import jsonout
from tillflow_simulators.magento.errors import MagentoError
from tillflow_simulators.magento.model import Bulk, BulkOperation
from tillflow_simulators.magento.store import MagentoStore

STATUS_COMPLETE = 1
STATUS_NOT_RETRIABLY_FAILED = 3
STATUS_OPEN = 4


@dataclass(frozen=True)
class Job:
    """One operation waiting for the consumer: what to run and with what."""

    bulk_uuid: str
    operation_id: int
    run: Callable[[], Any]


class BulkQueue:
    def __init__(self, store: MagentoStore, *, auto: bool = True) -> None:
        self.store = store
        self.auto = auto
        self._jobs: list[Job] = []
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._busy = False

    def submit(
        self, topic: str, entries: Sequence[tuple[dict[str, Any], Callable[[], Any]]]
    ) -> Bulk:
        """Queue one operation per entry (its arguments, and how to run it)."""
        with self.store.lock:
            bulk = Bulk(
                bulk_uuid=str(uuid.uuid4()),
                description=f"Topic {topic}",
                start_time=self.store.now(),
                user_id=1,
                operations=[
                    BulkOperation(
                        index,
                        topic,
                        json.dumps({"meta_information": jsonout.dumps(args)}),
                        STATUS_OPEN,
                    )
                    for index, (args, _) in enumerate(entries)
                ],
            )
            self.store.bulks[bulk.bulk_uuid] = bulk
        with self._changed:
            self._jobs.extend(Job(bulk.bulk_uuid, i, run) for i, (_, run) in enumerate(entries))
            self._changed.notify_all()
        return bulk

    def run_pending(self) -> int:
        """Run every queued operation now, in order; how many ran."""
        with self._changed:
            jobs, self._jobs = self._jobs, []
        for job in jobs:
            self._run(job)
        with self._changed:
            self._changed.notify_all()
        return len(jobs)

    def wait_idle(self, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: not self._jobs and not self._busy, timeout)

    def start(self) -> None:
        if not self.auto or self._thread is not None:
            return
        self._stopping = False
        self._thread = threading.Thread(target=self._consume, name="magento-consumer", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _consume(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._jobs or self._stopping)
                if self._stopping:
                    return
                job = self._jobs.pop(0)
                self._busy = True
            self._run(job)
            with self._changed:
                self._busy = False
                self._changed.notify_all()

    def _run(self, job: Job) -> None:
        try:
            job.run()
        except MagentoError as error:
            self._finish(job, STATUS_NOT_RETRIABLY_FAILED, _rendered(error), 0)
        else:
            self._finish(job, STATUS_COMPLETE, None, None)

    def _finish(self, job: Job, status: int, message: str | None, code: int | None) -> None:
        with self.store.lock:
            operation = self.store.bulks[job.bulk_uuid].operations[job.operation_id]
            operation.status, operation.result_message, operation.error_code = status, message, code


def data_hash(args: dict[str, Any]) -> str:
    return hashlib.sha256(jsonout.dumps(args).encode()).hexdigest()


def _rendered(error: MagentoError) -> str:
    """The message with its placeholders filled, as the consumer logs it."""
    text = error.message
    parameters = error.parameters
    if isinstance(parameters, dict):
        for name, value in sorted(parameters.items(), key=lambda kv: -len(kv[0])):
            text = text.replace(f"%{name}", str(value))
    elif parameters:
        for index, value in reversed(list(enumerate(parameters, start=1))):
            text = text.replace(f"%{index}", str(value))
    return text
