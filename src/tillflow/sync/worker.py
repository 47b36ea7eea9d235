"""The worker loop: run the consumers until told to stop.

``tillflow worker`` runs it as its own process (any number of them on PostgreSQL);
``tillflow serve`` and ``tillflow demo`` on SQLite run it in a background thread.
"""

from __future__ import annotations

import threading

import structlog

from tillflow.sync.consumers import ConsumerRunner

log = structlog.get_logger("tillflow.worker")


def run_until_stopped(runner: ConsumerRunner, stop: threading.Event, *,
                      idle_seconds: float = 0.2) -> None:
    try:
        while not stop.is_set():
            try:
                handled = runner.run_once()
            except Exception as exc:  # the database may be briefly away; keep the loop alive
                log.warning("worker pass failed", error=str(exc))
                handled = 0
            if not handled:
                stop.wait(idle_seconds)
    finally:
        runner.release()


def start_in_background(runner: ConsumerRunner) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=run_until_stopped, args=(runner, stop),
                              name="tillflow-worker", daemon=True)
    thread.start()
    return thread, stop
