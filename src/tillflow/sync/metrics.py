"""Prometheus metrics of the sync: queue depth, lag, dead letters (read from the database
at scrape time, so they are right whichever process runs the workers), deliveries and
rate-budget use (counted by the worker in this process)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from tillflow.ports.commerce import CommerceChannel


class SyncMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._deliveries = Counter(
            "tillflow_sync_deliveries", "Delivery attempts by outcome (done, retry, dead).",
            ["connection", "kind", "outcome"], registry=self.registry)
        self._inbox = Counter(
            "tillflow_sync_webhooks", "Webhooks received by outcome.",
            ["connection", "outcome"], registry=self.registry)
        self._budget = Gauge(
            "tillflow_sync_rate_budget_used_ratio",
            "Share of the platform's rate budget in use after the last call.",
            ["connection"], registry=self.registry)

    def delivered(self, connection: str, kind: str, outcome: str) -> None:
        self._deliveries.labels(connection, kind, outcome).inc()

    def webhook(self, connection: str, outcome: str) -> None:
        self._inbox.labels(connection, outcome).inc()

    def budget(self, connection: str, channel: CommerceChannel) -> None:
        used = channel.budget_used()
        if used is not None:
            self._budget.labels(connection).set(used)

    def watch(self, read: Callable[[], Iterable[tuple[str, float, int, int]]]) -> None:
        """``read`` gives (connection, lag seconds, pending, failed) per connection."""
        self.registry.register(_QueueCollector(read))


class _QueueCollector(Collector):
    def __init__(self, read: Callable[[], Iterable[tuple[str, float, int, int]]]) -> None:
        self._read = read

    def collect(self) -> Iterable[Metric]:
        lag = GaugeMetricFamily("tillflow_sync_lag_seconds",
                                "Age of the oldest pending delivery.", labels=["connection"])
        depth = GaugeMetricFamily("tillflow_sync_queue_depth",
                                  "Pending deliveries and webhooks.", labels=["connection"])
        dead = GaugeMetricFamily("tillflow_sync_dead_letters",
                                 "Deliveries that gave up.", labels=["connection"])
        for name, seconds, pending, failed in self._read():
            lag.add_metric([name], seconds)
            depth.add_metric([name], pending)
            dead.add_metric([name], failed)
        return [lag, depth, dead]

