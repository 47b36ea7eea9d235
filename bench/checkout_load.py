"""Load generation: client processes, each an asyncio loop driving some registers.

Every register is one simulated till with its own keep-alive connection, posting one
3-line cash sale after another (closed loop: the next sale starts when the answer came)
with a fresh Idempotency-Key.
Times are wall-clock epochs so that the processes agree on the phases.
"""

from __future__ import annotations

import asyncio
import random
import signal
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import orjson

from bench.checkout_http import Connection, ProtocolError
from bench.checkout_seed import CASH_TENDERED

LINES_PER_SALE = 3
SALES_PATH = "/api/v1/sales"


@dataclass(frozen=True)
class LoadPlan:
    url: str
    token: str
    location: str
    registers: tuple[str, ...]
    skus: tuple[str, ...]
    start: float
    measure_from: float
    end: float
    seed: int


@dataclass
class LoadReport:
    """What one client process saw. ``window_*`` covers answers received while measuring."""

    window_latencies: list[float] = field(default_factory=list)
    window_statuses: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    window_cpu_seconds: float = 0.0

    def merge(self, other: LoadReport) -> None:
        self.window_latencies.extend(other.window_latencies)
        self.window_statuses.update(other.window_statuses)
        self.statuses.update(other.statuses)
        self.window_cpu_seconds += other.window_cpu_seconds


def ignore_interrupts() -> None:
    """Pool initializer: Ctrl-C is for the parent, which then terminates the clients."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_clients(plan: LoadPlan) -> LoadReport:
    """Entry point of a client process."""
    return asyncio.run(_run(plan))


async def _run(plan: LoadPlan) -> LoadReport:
    report = LoadReport()
    await asyncio.sleep(max(0.0, plan.start - time.time()))
    cpu = asyncio.create_task(_window_cpu(plan))
    rng = random.Random(plan.seed)
    await asyncio.gather(*(
        _till(plan, register, random.Random(rng.random()), report)
        for register in plan.registers
    ))
    report.window_cpu_seconds = await cpu
    return report


async def _window_cpu(plan: LoadPlan) -> float:
    """CPU this process used while measuring: the client must stay light."""
    await asyncio.sleep(max(0.0, plan.measure_from - time.time()))
    before = time.process_time()
    await asyncio.sleep(max(0.0, plan.end - time.time()))
    return time.process_time() - before


async def _till(plan: LoadPlan, register: str, rng: random.Random, report: LoadReport) -> None:
    address = urlsplit(plan.url)
    headers = {"Authorization": f"Bearer {plan.token}", "Content-Type": "application/json"}
    async with Connection(address.hostname or "127.0.0.1", address.port or 80,
                          headers) as connection:
        # No request is cancelled: one cut short could still commit, and the check
        # afterwards counts every sale in the database against the answers received.
        while time.time() < plan.end:
            body = orjson.dumps({
                "location": plan.location,
                "register": register,
                "lines": [{"sku": sku, "quantity": 1}
                          for sku in rng.sample(plan.skus, LINES_PER_SALE)],
                "payments": [{"method": "cash", "amount": CASH_TENDERED}],
            })
            started = time.perf_counter()
            try:
                status, _ = await connection.post(
                    SALES_PATH, body, {"Idempotency-Key": uuid.uuid4().hex})
                outcome = str(status)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                    ProtocolError) as exc:
                outcome = type(exc).__name__
            latency = time.perf_counter() - started
            report.statuses[outcome] += 1
            if plan.measure_from <= time.time() < plan.end:
                report.window_statuses[outcome] += 1
                report.window_latencies.append(latency)
