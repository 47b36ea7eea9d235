"""WooCommerce benchmark: lag from a web order in a real WooCommerce 10.0.2 to its sale in
tillflow's ledger, with webhooks and with polling alone.

Web orders are placed one every ``--every`` seconds through the REST API as a storefront
leaves them (paid, processing, stock taken); each one's lag runs from the shop's answer
to the order (the order exists) until tillflow's ``sales`` table holds the sale with the
order's id. Two rounds, each on a fresh shop and a fresh store:

1. **webhooks**: tillflow subscribes the shop's webhooks as it does for any connection;
   WooCommerce queues each delivery in its Action Scheduler, which the peer's queue runner
   works off every half second (a real shop runs it from WP-Cron, about once a minute and
   only while it has visitors). Polling stays on at ``--poll-seconds``.
2. **polling**: the shop's webhooks are deleted after tillflow made them, so only the
   order poll (``TILLFLOW_SYNC_POLL_SECONDS``, here ``--poll-seconds``) brings the orders.

The store runs embedded (SQLite, one in-process worker, as ``tillflow serve`` does); the
WooCommerce peer is the tests' (``tests/peers/woocommerce``, built on first use from
``../shared/peers``).

    .venv/bin/python bench/woocommerce.py [--orders 20] [--every 3] [--poll-seconds 60]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import httpx
import structlog
from fastapi import FastAPI
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the WooCommerce peer's helpers live with the tests
sys.path.insert(0, str(ROOT))

from bench.stock_lag import wait_for  # noqa: E402
from support.woocommerce_peer import WooShop, WooStack, install  # noqa: E402
from tillflow.api.app import create_app  # noqa: E402
from tillflow.connectors import available  # noqa: E402
from tillflow.db.engine import build_engine  # noqa: E402
from tillflow.db.setup import initialise  # noqa: E402
from tillflow.db.tables import sales  # noqa: E402
from tillflow.db.uow import SqlStore, engine_of  # noqa: E402
from tillflow.services import catalog, connections, inventory, locations  # noqa: E402
from tillflow.services.context import SYSTEM, ServiceContext  # noqa: E402
from tillflow.sync.consumers import ConsumerRunner  # noqa: E402
from tillflow.sync.engine import SyncEngine, SyncOptions  # noqa: E402
from tillflow.sync.worker import start_in_background  # noqa: E402
from tillflow_simulators.common.server import BackgroundServer  # noqa: E402

SECRET = "bench-woo-hooks"
SKUS = [f"WB-{n:03d}" for n in range(1, 6)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20)
    parser.add_argument("--every", type=float, default=3.0, help="seconds between orders")
    parser.add_argument("--poll-seconds", type=float, default=60.0)
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    with tempfile.TemporaryDirectory(prefix="tillflow-bench-woo-") as home:
        stack = WooStack(install(), Path(home) / "stack")
        stack.start()
        try:
            for webhooks in (True, False):
                shop = stack.new_shop(f"bench_{'hooks' if webhooks else 'poll'}")
                try:
                    lags = run(Path(home), shop, args, webhooks=webhooks)
                finally:
                    stack.close_shop(shop)
                mode = ("webhooks (queue run every 0.5 s)" if webhooks
                        else f"polling alone (every {args.poll_seconds:g} s)")
                print(f"lag web order -> tillflow sale, {mode}: {summary(lags)}")
        finally:
            stack.stop()


def run(home: Path, shop: WooShop, args: argparse.Namespace, *, webhooks: bool) -> list[float]:
    engine = build_engine(f"sqlite:///{home / f'bench-{shop.database}.db'}")
    ctx = ServiceContext(SqlStore(engine), initialise(engine), connectors=available.registry())
    seed_store(ctx)
    sync = SyncEngine(ctx, ctx.connectors.commerce_factories(),
                      SyncOptions(poll_seconds=args.poll_seconds, reconcile_seconds=0))
    app: FastAPI = create_app(ctx)
    app.state.sync = sync
    try:
        with BackgroundServer(app) as server, shop.client() as api:
            sync.options = replace(sync.options, public_url=server.url)
            runner = ConsumerRunner(ctx, [sync.relay], jobs=sync.jobs)
            thread, stop = start_in_background(runner)
            try:
                connections.create_connection(
                    ctx, name="woo", platform="woocommerce",
                    settings={"shop_url": shop.url, "ca_file": str(shop.certificate),
                              "location": "S1", "push_pos_sales": False},
                    secrets={"consumer_key": shop.consumer_key,
                             "consumer_secret": shop.consumer_secret,
                             "webhook_secret": SECRET})
                started = time.monotonic()
                wait_for(lambda: _stocked(api) and sync.health("woo")["pending"] == 0,
                         timeout=300)
                print(f"initial sync: {len(SKUS)} SKUs in {time.monotonic() - started:.1f} s")
                if not webhooks:
                    _delete_webhooks(api)
                return place_orders(ctx, api, args)
            finally:
                stop.set()
                thread.join(timeout=30)
    finally:
        sync.close()
        engine.dispose()


def seed_store(ctx: ServiceContext) -> None:
    locations.create_location(ctx, code="S1", name="Store", kind="store")
    for n, sku in enumerate(SKUS, start=1):
        catalog.create_product(ctx, catalog.ProductInput(
            sku=sku, name=f"Bench product {n}", price="9.99", tax_rate="0"))
        inventory.adjust(ctx, SYSTEM, sku=sku, location="S1", delta=10_000,
                         reason="opening stock")


def _stocked(api: httpx.Client) -> bool:
    found = api.get("/products", params={"sku": ",".join(SKUS), "per_page": 100}).json()
    return sum(1 for p in found if p.get("stock_quantity") == 10_000) == len(SKUS)


def _delete_webhooks(api: httpx.Client) -> None:
    for hook in api.get("/webhooks", params={"per_page": 100}).json():
        api.delete(f"/webhooks/{hook['id']}", params={"force": "true"}).raise_for_status()


def place_orders(ctx: ServiceContext, api: httpx.Client, args: argparse.Namespace
                 ) -> list[float]:
    """Orders every ``args.every`` seconds; each one's lag is timed by a thread of its own."""
    lags: list[float] = []
    watchers = []
    for n in range(args.orders):
        made = api.post("/orders", json={
            "set_paid": True, "billing": {"email": f"bench{n}@example.com", "country": "US"},
            "line_items": [{"sku": SKUS[n % len(SKUS)], "quantity": 1}]})
        made.raise_for_status()
        placed = time.monotonic()
        watcher = threading.Thread(target=_time, args=(
            lambda order=str(made.json()["id"]): recorded(ctx, order), placed, lags))
        watcher.start()
        watchers.append(watcher)
        time.sleep(args.every)
    for watcher in watchers:
        watcher.join()
    return lags


def _time(done: Callable[[], bool], placed: float, lags: list[float]) -> None:
    wait_for(done, timeout=600, poll=0.05)
    lags.append(time.monotonic() - placed)


def recorded(ctx: ServiceContext, order: str) -> bool:
    with engine_of(ctx.store).connect() as connection:
        return connection.execute(
            select(sales.c.id).where(sales.c.channel == "woocommerce",
                                     sales.c.external_id == order)).first() is not None


def summary(lags: list[float]) -> str:
    ordered = sorted(lags)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"p50 {statistics.median(ordered):.2f} s, p99 {p99:.2f} s, "
            f"max {ordered[-1]:.2f} s (n={len(ordered)})")


if __name__ == "__main__":
    main()
