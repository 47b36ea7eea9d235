"""A tillflow with its sync engine served on loopback, for tests against simulators."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import timedelta

import httpx2 as httpx
from fastapi import FastAPI

from support.api import Api
from support.live_server import serving
from tillflow.api.app import create_app
from tillflow.connectors import available
from tillflow.retry import RetryPolicy
from tillflow.services.context import ServiceContext
from tillflow.sync.consumers import ConsumerRunner
from tillflow.sync.engine import SyncEngine, SyncOptions
from tillflow_simulators.shopify import ShopifySimulator

FAST_RETRIES = RetryPolicy(base=0.05, cap=0.5, max_attempts=6, jitter=lambda: 0.5)


@dataclass
class SyncedStore:
    api: Api
    engine: SyncEngine
    runner: ConsumerRunner
    url: str

    def work(self, *, until: Callable[[], bool], timeout: float = 20.0) -> None:
        """Run the worker until ``until()`` holds; fails the test on timeout."""
        deadline = time.monotonic() + timeout
        while not until():
            if time.monotonic() > deadline:
                raise AssertionError("the sync did not converge in time")
            if not self.runner.run_once():
                time.sleep(0.05)

    def settle(self, *, quiet: float = 0.5, timeout: float = 30.0) -> None:
        """Run the worker until nothing is left to do for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        idle_since = time.monotonic()
        while time.monotonic() - idle_since < quiet:
            if time.monotonic() > deadline:
                raise AssertionError("the sync kept finding work")
            if self.runner.run_once():
                idle_since = time.monotonic()
            else:
                time.sleep(0.05)


@contextmanager
def synced_store(ctx: ServiceContext, *, options: SyncOptions | None = None
                 ) -> Iterator[SyncedStore]:
    engine = SyncEngine(ctx, available.registry().commerce_factories(), options or SyncOptions(
        policy=FAST_RETRIES, poll_seconds=0.5, reconcile_seconds=0, lease_seconds=5))
    app: FastAPI = create_app(ctx, max_body_bytes=65_536)
    app.state.sync = engine
    runner = ConsumerRunner(ctx, [engine.relay], jobs=engine.jobs,
                            lease=timedelta(seconds=engine.options.lease_seconds))
    with serving(app) as url:
        engine.options = replace(engine.options, public_url=url)
        with httpx.Client(base_url=url, timeout=10) as client:
            try:
                yield SyncedStore(Api(client, ctx), engine, runner, url)
            finally:
                runner.release()
                engine.close()


def shop_stock(shop: ShopifySimulator, sku: str) -> int | None:
    """What the simulated shop offers of ``sku``, or None before the product reaches it."""
    try:
        return shop.available(sku)
    except LookupError:
        return None


def connect_shopify(synced: SyncedStore, shop: ShopifySimulator, *, webhook_secret: str,
                    price: str, skus: tuple[str, ...] = ("A1", "B2"),
                    stock: int = 10) -> None:
    """Store S1 with ``skus`` in stock, connected to ``shop``; returns once the shop shows
    that stock."""
    api = synced.api
    api.location("S1")
    for sku in skus:
        api.product(sku, price)
        api.stock(sku, "S1", stock)
    api.ok(api.post("/connections", {
        "name": "shop", "platform": "shopify",
        "settings": {"shop_url": shop.url, "location": "S1"},
        "secrets": {"access_token": shop.access_token, "webhook_secret": webhook_secret},
    }), 201)
    synced.work(until=lambda: all(shop_stock(shop, sku) == stock for sku in skus))
