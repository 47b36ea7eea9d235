"""The print worker: sends queued jobs in order, waiting while the printer is not ready."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from tillflow.devices.agent.print_jobs import JobQueue
from tillflow.devices.transports import (
    PrinterStatus,
    PrinterUnavailableError,
    Transport,
    read_status,
    send,
)

Clock = Callable[[], datetime]


class PrintWorker:
    """One thread per printer; ``wake()`` after enqueueing so a job does not wait a poll."""

    def __init__(
        self, *, queue: JobQueue, transport: Transport, clock: Clock, retry_seconds: float = 1.0
    ) -> None:
        self.queue = queue
        self.transport = transport
        self.clock = clock
        self.retry_seconds = retry_seconds
        self.status = PrinterStatus(reachable=False, detail="not checked yet")
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="print-worker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()

    def wake(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            printed = self.print_next()
            if not printed:
                self._wake.wait(self.retry_seconds)
                self._wake.clear()

    def print_next(self) -> bool:
        """Print the oldest pending job if the printer is ready; True if one was printed."""
        job = self.queue.next_pending()
        self.status = read_status(self.transport)
        if job is None or not self.status.ready:
            if job is not None:
                self.queue.mark_failed(job.id, error=_why_not_ready(self.status))
            return False
        try:
            send(self.transport, job.data)
        except PrinterUnavailableError as exc:
            self.queue.mark_failed(job.id, error=str(exc))
            return False
        self.queue.mark_printed(job.id, now=self.clock())
        return True


def _why_not_ready(status: PrinterStatus) -> str:
    if not status.reachable:
        return status.detail or "printer not reachable"
    if status.paper == "out":
        return "printer is out of paper"
    return "printer is offline"
