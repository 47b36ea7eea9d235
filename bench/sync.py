"""Sync benchmark: a till store and the Shopify simulator with Shopify's real rate limits
(or, with ``--platform magento``, the Magento simulator: see ``bench/sync_magento.py``).

1. Initial sync: N SKUs with stock in tillflow, pushed into an empty shop (product,
   variant with SKU, price and barcode, and the stock at the primary location) through
   Shopify's bulk operations (a staged JSONL upload run by ``bulkOperationRunMutation``
   with ``productSet``; the simulator runs 40 lines a second, its default). Prints the
   time and the GraphQL cost spent, beside the estimate for the one-by-one path: its cost
   a SKU, measured on a sample pushed one by one, at the budget's pace (a full bucket of
   2,000 points, then 100 points a second).
2. Load: POS sales at a steady rate (default 1,000 a minute) on random SKUs. For each sale
   it measures the lag from the sale's commit to the shop showing the new figure (p50,
   p99, max) and how much of the rate budget the sync used.

The store runs embedded (SQLite, one in-process worker, as ``tillflow serve`` does).

    .venv/bin/python bench/sync.py [--platform shopify|magento] [--skus 10000]
        [--per-minute 1000] [--minutes 1]
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import cast

import structlog

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import sync_magento
from bench.stock_lag import Lags, sell_paced, wait_for, watching
from tillflow.connectors import available
from tillflow.connectors.shopify.adapter import ShopifyChannel
from tillflow.connectors.shopify.client import ShopifyClient
from tillflow.db.engine import build_engine
from tillflow.db.setup import initialise
from tillflow.db.uow import SqlStore
from tillflow.ports.commerce import ProductData
from tillflow.services import catalog, connections, inventory, locations
from tillflow.services.context import SYSTEM, ServiceContext
from tillflow.sync.consumers import ConsumerRunner
from tillflow.sync.engine import SyncEngine, SyncOptions
from tillflow.sync.worker import start_in_background
from tillflow_simulators.shopify import RateLimits, ShopifySimulator

BUCKET, RESTORE = 2000.0, 100.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--platform", choices=("shopify", "magento"), default="shopify")
    parser.add_argument("--skus", type=int, default=10_000)
    parser.add_argument("--per-minute", type=int, default=1_000)
    parser.add_argument("--minutes", type=float, default=1.0)
    args = parser.parse_args()
    # Figures only: one log line per delivery would swamp them.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    with tempfile.TemporaryDirectory() as home:
        if args.platform == "magento":
            sync_magento.run(Path(home), seed_store, skus=args.skus,
                             per_minute=args.per_minute, minutes=args.minutes)
            return
        run(Path(home), skus=args.skus, per_minute=args.per_minute, minutes=args.minutes)


def run(home: Path, *, skus: int, per_minute: int, minutes: float) -> None:
    engine = build_engine(f"sqlite:///{home / 'bench.db'}")
    ctx = ServiceContext(SqlStore(engine), initialise(engine), connectors=available.registry())
    names = seed_store(ctx, skus)
    sync = SyncEngine(ctx, ctx.connectors.commerce_factories(),
                      SyncOptions(reconcile_seconds=0))
    with ShopifySimulator(rate_limits=RateLimits.standard(), webhook_secret="bench") as shop:
        connections.create_connection(
            ctx, name="shop", platform="shopify",
            # The figure is the stock lag: at 1,000 sales a minute, an order per sale would
            # cost more than a standard shop's whole rate budget (docs/sync.md, Limits).
            settings={"shop_url": shop.url, "location": "S1", "push_pos_sales": False},
            secrets={"access_token": shop.access_token, "webhook_secret": "bench"})
        runner = ConsumerRunner(ctx, [sync.relay], jobs=sync.jobs)
        started = time.monotonic()
        thread, stop = start_in_background(runner)
        try:
            wait_for(lambda: len(shop.shop.store.products) >= skus
                     and sync.health("shop")["pending"] == 0, timeout=skus * 1.0 + 120,
                     poll=0.2)
            elapsed = time.monotonic() - started
            channel = cast(ShopifyChannel, sync.channels.channel(sync.channels.shop("shop")))
            spent = channel.client.meter.spent
            report_initial(skus, elapsed, spent, channel.client.meter.throttled,
                           operations=len(shop.shop.bulk.operations))
            report_one_by_one(skus)
            load(ctx, shop, channel, names, per_minute=per_minute, minutes=minutes)
        finally:
            stop.set()
            thread.join(timeout=30)
            sync.close()
    engine.dispose()


def seed_store(ctx: ServiceContext, count: int) -> list[str]:
    locations.create_location(ctx, code="S1", name="Store", kind="store")
    names = [f"B-{n:06d}" for n in range(1, count + 1)]
    rng = random.Random(1)
    for n, sku in enumerate(names, start=1):
        catalog.create_product(ctx, catalog.ProductInput(
            sku=sku, name=f"Bench product {n}", price="9.99", tax_rate="0"))
        inventory.adjust(ctx, SYSTEM, sku=sku, location="S1", delta=rng.randint(500, 900),
                         reason="opening stock")
    return names


def report_initial(skus: int, elapsed: float, spent: float, throttled: int, *,
                   operations: int) -> None:
    print(f"initial sync through bulk operations: {skus} SKUs in {elapsed:.1f} s "
          f"({elapsed / 60:.1f} min); {operations} bulk operation(s); GraphQL cost "
          f"{spent:.0f} points ({spent / skus:.2f} a SKU); throttled answers {throttled}")


def report_one_by_one(skus: int, *, sample: int = 200) -> None:
    """What the one-by-one path costs a SKU (product, variant with its stock), measured on
    ``sample`` products, and the time the cost budget would take for ``skus``."""
    with ShopifySimulator() as shop:
        channel = ShopifyChannel(ShopifyClient(shop.url, shop.access_token),
                                 webhook_secret=None)
        for n in range(sample):
            channel.upsert_product(ProductData(
                sku=f"S-{n:06d}", title=f"Sample {n}", price=Decimal("9.99"), barcode=None,
                status="active", available=500))
        per_sku = channel.client.meter.spent / sample
        channel.close()
    seconds = max(0.0, skus * per_sku - BUCKET) / RESTORE
    print(f"one by one (estimate): {per_sku:.1f} points a SKU, measured on {sample}; "
          f"{skus} SKUs take {seconds:.0f} s ({seconds / 60:.1f} min) at the standard "
          f"shop's limits")


def load(ctx: ServiceContext, shop: ShopifySimulator, channel: ShopifyChannel,
         names: list[str], *, per_minute: int, minutes: float) -> None:
    lags = Lags()
    stop = watching(lambda skus: {sku: shop.available(sku) for sku in skus}, lags)
    spent_before, started = channel.client.meter.spent, time.monotonic()
    sales = int(per_minute * minutes)
    sell_paced(ctx, names, lags, per_second=per_minute / 60.0, total=sales)
    wait_for(lambda: not lags.pending, timeout=60)
    duration = time.monotonic() - started
    stop()
    spent = channel.client.meter.spent - spent_before
    ordered = sorted(lags.seconds)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"load: {sales} POS sales in {duration:.1f} s ({sales / duration * 60:.0f} a minute)")
    print(f"lag sale -> shop stock: p50 {p50:.3f} s, p99 {p99:.3f} s, max {ordered[-1]:.3f} s")
    print(f"rate budget: {spent:.0f} points, {spent / duration:.1f} points/s = "
          f"{spent / duration / RESTORE:.0%} of the restore rate; "
          f"throttled answers {channel.client.meter.throttled}")


if __name__ == "__main__":
    main()
