"""Lag from a till sale to a shop showing its new stock figure, for the sync benches.

Sales are made at a steady pace; each one's S1 on-hand figure right after its commit is
queued, and a watcher reading the shop's figures takes an entry off the queue (with its
lag) once the shop shows that figure or lower.
"""

from __future__ import annotations

import random
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tillflow.services import inventory
from tillflow.services.context import SYSTEM, ServiceContext
from tillflow.services.sales import SaleLineRequest, SaleRequest, TenderRequest, record_sale

ShopFigures = Callable[[list[str]], dict[str, int]]


@dataclass
class Lags:
    pending: list[tuple[str, int, float]] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def sell_paced(ctx: ServiceContext, skus: Sequence[str], lags: Lags, *, per_second: float,
               total: int, seed: int = 2) -> float:
    """Make ``total`` one-unit cash sales at S1, ``per_second``; returns the seconds taken."""
    rng, interval, start = random.Random(seed), 1.0 / per_second, time.monotonic()
    for n in range(total):
        delay = start + n * interval - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        sku = rng.choice(skus)
        record_sale(ctx, SYSTEM, SaleRequest(
            location="S1", lines=[SaleLineRequest(sku=sku, quantity=1)],
            payments=[TenderRequest(method="cash", amount="20.00")]))
        committed = time.monotonic()
        levels = inventory.stock_of(ctx, sku)[1]
        on_hand = int(next(level.on_hand for level in levels if level.location == "S1"))
        with lags.lock:
            lags.pending.append((sku, on_hand, committed))
    return time.monotonic() - start


def watching(shop: ShopFigures, lags: Lags) -> Callable[[], None]:
    """Start the watcher; the returned function stops it."""
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            time.sleep(0.01)  # a busy watcher would starve the sales it times
            with lags.lock:
                waiting = list(lags.pending)
            if not waiting:
                continue
            figures = shop(sorted({sku for sku, _, _ in waiting}))
            now = time.monotonic()
            with lags.lock:
                for entry in [e for e in waiting if figures.get(e[0], 1 << 30) <= e[1]]:
                    lags.pending.remove(entry)
                    lags.seconds.append(now - entry[2])

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()

    def stop() -> None:
        done.set()
        watcher.join(timeout=5)

    return stop


def wait_for(condition: Callable[[], bool], *, timeout: float, poll: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            sys.exit("the sync did not finish in time")
        time.sleep(poll)
