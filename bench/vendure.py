"""Vendure benchmark: lag between a till and a real Vendure 3.7 (with tillflow's plugin).

1. POS sales at a steady rate (default 5 a second) on random SKUs: for each, the lag from
   the sale's commit to Vendure offering the new figure (its available stock, read
   through the Admin API), p50, p99 and max. Till sales are also pushed as paid Vendure
   orders unless ``--no-orders``.
2. Vendure checkouts through the Shop API (add to order, addresses, shipping, the dummy
   payment), one after another: the lag from the payment's answer to the sale and its
   stock movements being in tillflow's ledger (the plugin's webhook is the fast path).

The store runs embedded (SQLite, one in-process worker, as ``tillflow serve`` does); the
Vendure peer is the tests' (``tests/peers/vendure``, installed on first use).

    .venv/bin/python bench/vendure.py [--skus 20] [--per-second 5] [--seconds 30]
                                      [--checkouts 20] [--no-orders]
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import structlog
from fastapi import FastAPI
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the Vendure peer's helpers live with the tests
sys.path.insert(0, str(ROOT))

from bench.stock_lag import Lags, sell_paced, wait_for, watching  # noqa: E402
from support.vendure_peer import VendurePeer, ensure_seed, install  # noqa: E402
from support.vendure_shop import checkout, variants  # noqa: E402
from tillflow.api.app import create_app  # noqa: E402
from tillflow.connectors import available  # noqa: E402
from tillflow.connectors.vendure.adapter import VendureChannel  # noqa: E402
from tillflow.connectors.vendure.factory import vendure_channel  # noqa: E402
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

SECRET = "bench-whsec"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=20)
    parser.add_argument("--per-second", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--checkouts", type=int, default=20)
    parser.add_argument("--no-orders", action="store_true",
                        help="do not push till sales to Vendure as orders")
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    install()
    with tempfile.TemporaryDirectory() as home:
        ensure_seed(Path(home) / "seed")
        run(Path(home), args)


def run(home: Path, args: argparse.Namespace) -> None:
    engine = build_engine(f"sqlite:///{home / 'bench.db'}")
    ctx = ServiceContext(SqlStore(engine), initialise(engine), connectors=available.registry())
    skus = seed_store(ctx, args.skus)
    sync = SyncEngine(ctx, ctx.connectors.commerce_factories(),
                      SyncOptions(reconcile_seconds=0))
    app: FastAPI = create_app(ctx)
    app.state.sync = sync
    with BackgroundServer(app) as server:
        peer = VendurePeer(home / "vendure", webhook_url=f"{server.url}/webhooks/vendure",
                           webhook_secret=SECRET)
        peer.start()
        runner = ConsumerRunner(ctx, [sync.relay], jobs=sync.jobs)
        thread, stop = start_in_background(runner)
        try:
            key = peer.api_key()
            connections.create_connection(
                ctx, name="vendure", platform="vendure",
                settings={"shop_url": peer.url, "location": "S1",
                          "push_pos_sales": not args.no_orders},
                secrets={"api_key": key, "webhook_secret": SECRET})
            shop = vendure_channel({"shop_url": peer.url}, {"api_key": key})
            started = time.monotonic()
            wait_for(lambda: len(shop.stock(skus, shop.primary_location)) == len(skus)
                     and sync.health("vendure")["pending"] == 0, timeout=300)
            print(f"initial sync: {len(skus)} SKUs in {time.monotonic() - started:.1f} s")
            pos_to_vendure(ctx, shop, skus, args)
            vendure_to_ledger(ctx, peer, skus, args.checkouts)
            shop.close()
        finally:
            stop.set()
            thread.join(timeout=30)
            peer.stop()
            sync.close()
    engine.dispose()


def seed_store(ctx: ServiceContext, count: int) -> list[str]:
    locations.create_location(ctx, code="S1", name="Store", kind="store")
    names = [f"VB-{n:04d}" for n in range(1, count + 1)]
    for n, sku in enumerate(names, start=1):
        catalog.create_product(ctx, catalog.ProductInput(
            sku=sku, name=f"Bench product {n}", price="9.99", tax_rate="0"))
        inventory.adjust(ctx, SYSTEM, sku=sku, location="S1", delta=100_000,
                         reason="opening stock")
    return names


def pos_to_vendure(ctx: ServiceContext, shop: VendureChannel, skus: list[str],
                   args: argparse.Namespace) -> None:
    lags = Lags()
    stop = watching(lambda wanted: shop.stock(wanted, shop.primary_location), lags)
    start = time.monotonic()
    total = int(args.per_second * args.seconds)
    selling = sell_paced(ctx, skus, lags, per_second=args.per_second, total=total)
    wait_for(lambda: not lags.pending, timeout=180)
    stop()
    orders = "with" if not args.no_orders else "without"
    print(f"POS sales: {total} in {selling:.1f} s ({total / selling:.1f}/s), {orders} "
          f"Vendure orders for them; Vendure caught up {time.monotonic() - start:.1f} s "
          "after the first")
    print(f"lag POS sale -> Vendure available: {summary(lags.seconds)}")


def vendure_to_ledger(ctx: ServiceContext, peer: VendurePeer, skus: list[str],
                      count: int) -> None:
    with peer.admin() as admin:
        ids = {sku: str(v["id"]) for sku, v in variants(admin, skus).items()}
    rng, lags = random.Random(3), []
    for n in range(count):
        order = checkout(peer.url, [(ids[rng.choice(skus)], 1)], email=f"bench{n}@example.com")
        paid = time.monotonic()
        wait_for(lambda order=order: recorded(ctx, order), timeout=120)  # type: ignore[misc]
        lags.append(time.monotonic() - paid)
    print(f"Vendure checkouts: {count}, one after another")
    print(f"lag Vendure checkout -> tillflow ledger: {summary(lags)}")


def recorded(ctx: ServiceContext, order: str) -> bool:
    with engine_of(ctx.store).connect() as connection:
        return connection.execute(
            select(sales.c.id).where(sales.c.channel == "vendure",
                                     sales.c.external_id == order)).first() is not None


def summary(lags: list[float]) -> str:
    ordered = sorted(lags)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"p50 {statistics.median(ordered):.3f} s, p99 {p99:.3f} s, "
            f"max {ordered[-1]:.3f} s (n={len(ordered)})")


if __name__ == "__main__":
    main()
