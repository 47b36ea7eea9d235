"""Consumers of the events log: ordered, at-least-once, one lease holder at a time."""

from __future__ import annotations

from dataclasses import dataclass, field

from support.api import Api
from tillflow.db.tables import event_consumers
from tillflow.db.uow import connection_of
from tillflow.ports.records import StoredEvent
from tillflow.services.context import ServiceContext
from tillflow.sync.consumers import ConsumerRunner


@dataclass
class Recorder:
    name: str = "recorder"
    fail_on: set[int] = field(default_factory=set)
    seen: list[int] = field(default_factory=list)

    def handle(self, ctx: ServiceContext, event: StoredEvent) -> None:
        if event.seq in self.fail_on:
            self.fail_on.discard(event.seq)
            raise RuntimeError("platform unavailable")
        self.seen.append(event.seq)


def test_events_are_handled_in_order_and_a_failure_is_retried(api: Api) -> None:
    for n in range(5):
        api.location(f"L{n}")  # one event each
    consumer = Recorder(fail_on={3})
    runner = ConsumerRunner(api.ctx, [consumer], batch=10)
    assert runner.run_once() == 2
    with api.ctx.uow(read_only=True) as uow:
        row = connection_of(uow).execute(event_consumers.select()).one()
    assert (row.last_seq, "platform unavailable" in row.last_error) == (2, True)
    assert runner.run_once() == 3
    assert consumer.seen == [1, 2, 3, 4, 5]
    assert runner.run_once() == 0


def test_only_the_lease_holder_advances(api: Api) -> None:
    api.location("L1")
    first, second = Recorder(), Recorder()
    holder = ConsumerRunner(api.ctx, [first])
    other = ConsumerRunner(api.ctx, [second])
    assert holder.run_once() == 1
    api.location("L2")
    assert other.run_once() == 0  # the lease is still the first worker's
    holder.release()
    assert other.run_once() == 1
    assert (first.seen, second.seen) == ([1], [2])


def test_each_consumer_has_its_own_cursor(api: Api) -> None:
    api.location("L1")
    slow, fast = Recorder(name="slow", fail_on={1}), Recorder(name="fast")
    runner = ConsumerRunner(api.ctx, [slow, fast])
    runner.run_once()
    assert (slow.seen, fast.seen) == ([], [1])
