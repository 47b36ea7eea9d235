"""Web-order benchmark: the lag from a shop's order to its sale in tillflow, on the
Shopify and WooCommerce simulators.

For each shop, orders are placed one after another as a shopper would (two lines, a
discount code or coupon, shipping, the shop's 8 % tax, a card payment), and for each the
lag from the shop's answer to the sale (at the shop's figures) being in tillflow's
ledger is measured: the webhook is the fast path, polling every
``TILLFLOW_SYNC_POLL_SECONDS`` the safety net. Prints p50, p99 and max.

The store runs embedded (SQLite, one in-process worker, as ``tillflow serve`` does); the
shops send their webhooks to it over loopback HTTP.

    .venv/bin/python bench/web_orders.py [--orders 100] [--shop shopify|woocommerce|both]
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import structlog
from fastapi import FastAPI
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stock_lag import wait_for
from bench.vendure import summary
from tillflow.api.app import create_app
from tillflow.connectors import available
from tillflow.db.engine import build_engine
from tillflow.db.setup import initialise
from tillflow.db.tables import sales
from tillflow.db.uow import SqlStore, engine_of
from tillflow.services import catalog, connections, inventory, locations
from tillflow.services.context import SYSTEM, ServiceContext
from tillflow.sync.consumers import ConsumerRunner
from tillflow.sync.engine import SyncEngine, SyncOptions
from tillflow.sync.worker import start_in_background
from tillflow_simulators.common.server import BackgroundServer
from tillflow_simulators.shopify import ShopifySimulator
from tillflow_simulators.woocommerce import WooCommerceSimulator
from tillflow_simulators.woocommerce.errors import WooError
from tillflow_simulators.woocommerce.state import ShopSettings

SECRET = "bench-whsec"
SKUS = [f"WB-{n:03d}" for n in range(1, 21)]
Place = Callable[[random.Random, int], str]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100)
    parser.add_argument("--shop", choices=("shopify", "woocommerce", "both"), default="both")
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    for platform in ("shopify", "woocommerce"):
        if args.shop in (platform, "both"):
            with tempfile.TemporaryDirectory() as home:
                run(Path(home), platform, args.orders)


def run(home: Path, platform: str, count: int) -> None:
    engine = build_engine(f"sqlite:///{home / 'bench.db'}")
    ctx = ServiceContext(SqlStore(engine), initialise(engine), connectors=available.registry())
    seed_store(ctx)
    sync = SyncEngine(ctx, ctx.connectors.commerce_factories(),
                      SyncOptions(reconcile_seconds=0))
    app: FastAPI = create_app(ctx)
    app.state.sync = sync
    with BackgroundServer(app) as server:
        sync.options = SyncOptions(reconcile_seconds=0, public_url=server.url)
        runner = ConsumerRunner(ctx, [sync.relay], jobs=sync.jobs)
        thread, stop = start_in_background(runner)
        try:
            if platform == "shopify":
                with ShopifySimulator(webhook_secret=SECRET, tax_rate=Decimal("0.08")) as shop:
                    connect(ctx, sync, "shopify", shop.url,
                            {"access_token": shop.access_token, "webhook_secret": SECRET},
                            ready=lambda: all(_shown(shop.available, s) for s in SKUS))
                    measure(ctx, platform, count, lambda rng, n: shopify_order(shop, rng, n))
            else:
                settings = ShopSettings(tax_percent=Decimal(8))
                with WooCommerceSimulator(settings=settings) as woo:
                    key, secret = woo.auth
                    connect(ctx, sync, "woocommerce", woo.url,
                            {"consumer_key": key, "consumer_secret": secret,
                             "webhook_secret": SECRET},
                            ready=lambda: all(_shown(woo.stock, s) for s in SKUS))
                    measure(ctx, platform, count, lambda rng, n: woo_order(woo, rng, n))
        finally:
            stop.set()
            thread.join(timeout=30)
            sync.close()
    engine.dispose()


def seed_store(ctx: ServiceContext) -> None:
    locations.create_location(ctx, code="S1", name="Store", kind="store")
    for n, sku in enumerate(SKUS, start=1):
        catalog.create_product(ctx, catalog.ProductInput(
            sku=sku, name=f"Bench product {n}", price="9.99", tax_rate="0.08"))
        inventory.adjust(ctx, SYSTEM, sku=sku, location="S1", delta=100_000,
                         reason="opening stock")


def connect(ctx: ServiceContext, sync: SyncEngine, platform: str, url: str,
            secrets: dict[str, str], *, ready: Callable[[], bool]) -> None:
    connections.create_connection(ctx, name="shop", platform=platform,
                                  settings={"shop_url": url, "location": "S1"}, secrets=secrets)
    started = time.monotonic()
    wait_for(lambda: ready() and sync.health("shop")["pending"] == 0, timeout=300, poll=0.2)
    print(f"{platform}: catalog of {len(SKUS)} SKUs in the shop in "
          f"{time.monotonic() - started:.1f} s")


def _shown(stock: Callable[[str], int | None], sku: str) -> bool:
    """Whether the shop shows ``sku``'s stock (a shop without it yet raises)."""
    try:
        return bool(stock(sku))
    except (LookupError, WooError):  # not in the shop yet
        return False


def shopify_order(shop: ShopifySimulator, rng: random.Random, n: int) -> str:
    first, second = rng.sample(SKUS, 2)
    order = shop.place_order([(first, 2), (second, 1)], customer={"email": f"b{n}@example.com"},
                             discount_code=("BENCH10", "percentage", Decimal(10)),
                             shipping=Decimal("4.95"))
    return order.id


def woo_order(woo: WooCommerceSimulator, rng: random.Random, n: int) -> str:
    first, second = rng.sample(SKUS, 2)
    order: dict[str, Any] = woo.place_order(
        [(first, 2), (second, 1)], billing={"email": f"b{n}@example.com"},
        coupon=("bench10", "percent", Decimal(10)), shipping=("Flat rate", Decimal("4.95")))
    return str(order["id"])


def measure(ctx: ServiceContext, platform: str, count: int, place: Place) -> None:
    rng, lags = random.Random(7), []
    for n in range(count):
        external_id = place(rng, n)
        placed = time.monotonic()
        wait_for(lambda e=external_id: recorded(ctx, platform, e),  # type: ignore[misc]
                 timeout=120)
        lags.append(time.monotonic() - placed)
    print(f"{platform}: {count} web orders, one after another")
    print(f"lag {platform} order -> tillflow sale: {summary(lags)}")


def recorded(ctx: ServiceContext, platform: str, external_id: str) -> bool:
    with engine_of(ctx.store).connect() as connection:
        return connection.execute(
            select(sales.c.id).where(sales.c.channel == platform,
                                     sales.c.external_id == external_id)).first() is not None


if __name__ == "__main__":
    main()
