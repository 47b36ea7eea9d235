"""Consumers of the events log, each with its own cursor, run by any number of workers.

A consumer handles events one at a time, in order; the cursor moves past an event only
after ``handle`` returned, so delivery is at-least-once and ``handle`` must be idempotent
(keyed by the event's ``seq`` or its document id). A failing event stops that consumer
(it is retried on the next pass, its error kept on the cursor) and no other.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

import structlog

from tillflow.db import outbox
from tillflow.db.uow import connection_of
from tillflow.ports.records import StoredEvent
from tillflow.services.context import ServiceContext
from tillflow.services.events import read_events

log = structlog.get_logger("tillflow.sync")
LEASE = timedelta(seconds=30)


class EventConsumer(Protocol):
    @property
    def name(self) -> str: ...

    def handle(self, ctx: ServiceContext, event: StoredEvent) -> None: ...


class Job(Protocol):
    """Other work a worker does on each pass (queues, polls); returns how much it did."""

    def run_once(self) -> int: ...


@dataclass
class ConsumerRunner:
    """Runs consumers for one worker process; ``owner`` names its leases."""

    ctx: ServiceContext
    consumers: list[EventConsumer]
    batch: int = 100
    owner: str = field(default_factory=lambda: uuid.uuid4().hex)
    jobs: Sequence[Job] = ()
    lease: timedelta = LEASE

    def run_once(self) -> int:
        """One pass over every consumer and job; returns how much work was done."""
        handled = sum(self._drain(consumer) for consumer in self.consumers)
        return handled + sum(self._run(job) for job in self.jobs)

    def _run(self, job: Job) -> int:
        try:
            return job.run_once()
        except Exception as exc:  # one job's failure must not stop the consumers
            log.warning("worker job failed", job=type(job).__name__, error=str(exc))
            return 0

    def release(self) -> None:
        with self.ctx.uow() as uow:
            for consumer in self.consumers:
                outbox.release_consumer(connection_of(uow), name=consumer.name, owner=self.owner)
            uow.commit()

    def _drain(self, consumer: EventConsumer) -> int:
        with self.ctx.uow() as uow:
            position = outbox.claim_consumer(connection_of(uow), name=consumer.name,
                                             owner=self.owner, now=uow.now, lease=self.lease)
            uow.commit()
        if position is None:
            return 0
        handled = 0
        for event in read_events(self.ctx, after=position, limit=self.batch):
            try:
                consumer.handle(self.ctx, event)
            except Exception as exc:  # one consumer's failure must not stop the others
                log.warning("consumer failed", consumer=consumer.name, seq=event.seq,
                            event_type=event.type, error=str(exc))
                self._record_error(consumer, f"seq {event.seq}: {exc}")
                break
            with self.ctx.uow() as uow:
                moved = outbox.advance_consumer(connection_of(uow), name=consumer.name,
                                                owner=self.owner, seq=event.seq, now=uow.now)
                uow.commit()
            if not moved:  # the lease went to another worker; it carries on from here
                break
            handled += 1
        return handled

    def _record_error(self, consumer: EventConsumer, error: str) -> None:
        with self.ctx.uow() as uow:
            outbox.record_consumer_error(connection_of(uow), name=consumer.name, owner=self.owner,
                                         error=error, now=uow.now)
            uow.commit()
