"""The sync benchmark against the Magento simulator (``bench/sync.py --platform magento``).

1. Initial sync: N SKUs with stock in tillflow pushed into an empty Magento store, the
   catalog through the asynchronous bulk endpoints (products, then their source items),
   then the inventory pass that reads every figure back (source items and salable
   quantity) and finds nothing left to write. Prints the time and the REST calls made.
2. Load: POS sales at a steady rate; for each sale the lag from its commit to the
   ``default`` source showing the new quantity (p50, p99, max).

The store runs embedded (SQLite, one in-process worker, as ``tillflow serve`` does); the
simulator validates every request and answer against Adobe's schema, as in the tests.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bench.stock_lag import Lags, sell_paced, wait_for, watching
from tillflow.connectors import available
from tillflow.db.engine import build_engine
from tillflow.db.setup import initialise
from tillflow.db.uow import SqlStore
from tillflow.services import connections
from tillflow.services.context import ServiceContext
from tillflow.sync.consumers import ConsumerRunner
from tillflow.sync.engine import SyncEngine, SyncOptions
from tillflow.sync.worker import start_in_background
from tillflow_simulators.magento import MagentoSimulator

TOKEN = "benchmagentoaccesstoken000000001"

SeedStore = Callable[[ServiceContext, int], list[str]]


def run(home: Path, seed_store: SeedStore, *, skus: int, per_minute: int,
        minutes: float) -> None:
    engine = build_engine(f"sqlite:///{home / 'bench.db'}")
    ctx = ServiceContext(SqlStore(engine), initialise(engine), connectors=available.registry())
    names = seed_store(ctx, skus)
    sync = SyncEngine(ctx, ctx.connectors.commerce_factories(),
                      SyncOptions(reconcile_seconds=0))
    with MagentoSimulator(access_token=TOKEN) as shop:
        connections.create_connection(
            ctx, name="magento", platform="magento",
            settings={"shop_url": shop.url, "location": "S1", "source": "default"},
            secrets={"access_token": TOKEN})
        runner = ConsumerRunner(ctx, [sync.relay], jobs=sync.jobs)
        started = time.monotonic()
        thread, stop = start_in_background(runner)
        try:
            wait_for(lambda: len(shop.store.products) >= skus
                     and sync.health("magento")["pending"] == 0, timeout=skus * 1.0 + 300,
                     poll=0.2)
            elapsed = time.monotonic() - started
            bulks = list(shop.store.bulks.values())
            print(f"initial sync: {skus} SKUs in {elapsed:.1f} s ({skus / elapsed:.0f} SKUs/s); "
                  f"{len(bulks)} bulk requests of "
                  f"{sum(len(b.operations) for b in bulks)} operations")
            load(ctx, shop, names, per_minute=per_minute, minutes=minutes)
        finally:
            stop.set()
            thread.join(timeout=30)
            sync.close()
        assert shop.violations == [], shop.violations[:3]
    engine.dispose()


def load(ctx: ServiceContext, shop: MagentoSimulator, names: list[str], *, per_minute: int,
         minutes: float) -> None:
    lags = Lags()
    stop = watching(lambda skus: {sku: int(shop.source_quantity(sku) or 0) for sku in skus},
                    lags)
    started = time.monotonic()
    sales = int(per_minute * minutes)
    sell_paced(ctx, names, lags, per_second=per_minute / 60.0, total=sales)
    wait_for(lambda: not lags.pending, timeout=120)
    duration = time.monotonic() - started
    stop()
    ordered = sorted(lags.seconds)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"load: {sales} POS sales in {duration:.1f} s ({sales / duration * 60:.0f} a minute)")
    print(f"lag sale -> Magento source quantity: p50 {p50:.3f} s, p99 {p99:.3f} s, "
          f"max {ordered[-1]:.3f} s")

