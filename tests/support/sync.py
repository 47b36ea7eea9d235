"""A tillflow with its sync engine served on loopback, for tests against simulators."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import httpx2 as httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from support.api import Api
from support.live_server import serving
from support.sync_progress import SyncProgress, sync_progress
from support.waiting import wait_progressing
from tillflow.api.app import create_app
from tillflow.connectors import available
from tillflow.db.uow import engine_of
from tillflow.erp.consumer import JournalConsumer
from tillflow.retry import RetryPolicy
from tillflow.services.context import ServiceContext
from tillflow.sync.consumers import ConsumerRunner, EventConsumer
from tillflow.sync.engine import SyncEngine, SyncOptions
from tillflow.sync.memory import MemoryChannelFactory, MemoryShop
from tillflow_simulators.shopify import ShopifySimulator

FAST_RETRIES = RetryPolicy(base=0.05, cap=0.5, max_attempts=6, jitter=lambda: 0.5)
# A sync wait fails after this long without progress: never sooner than the 20 s budget
# these waits had, whatever the machine's load.
STALL = 20.0


@dataclass
class SyncedStore:
    api: Api
    engine: SyncEngine
    runner: ConsumerRunner
    url: str

    def work(self, *, until: Callable[[], bool], stall: float = STALL) -> None:
        """Run the worker until ``until()`` holds; fails once the sync made no progress for
        ``stall`` seconds."""
        def arrived() -> bool:
            self._run(until)
            return until()

        wait_progressing(arrived, progress=self._progress, stall=stall, interval=0.05,
                         message="the sync did not get there")

    def settle(self, *, quiet: float = 0.5, stall: float = STALL) -> None:
        """Run the worker until nothing is left to do for ``quiet`` seconds."""
        idle_since = time.monotonic()

        def quiet_enough() -> bool:
            nonlocal idle_since
            if self._run(lambda: False):
                idle_since = time.monotonic()
            return time.monotonic() - idle_since >= quiet

        wait_progressing(quiet_enough, progress=self._progress, stall=stall, interval=0.05,
                         message="the sync kept finding work")

    def _progress(self) -> SyncProgress:
        return sync_progress(engine_of(self.api.ctx.store))

    def _run(self, until: Callable[[], bool]) -> int:
        """Worker passes while they find work and ``until()`` does not hold, for a second
        at most so that the wait around them can look at the progress; the work found."""
        found, started = 0, time.monotonic()
        while not until() and time.monotonic() - started < 1.0:
            handled = self.runner.run_once()
            if not handled:
                break
            found += handled
        return found


@contextmanager
def synced_store(ctx: ServiceContext, *, options: SyncOptions | None = None,
                 journal: bool = False) -> Iterator[SyncedStore]:
    """With ``journal`` the worker books the journal too."""
    engine = SyncEngine(ctx, available.registry().commerce_factories(), options or SyncOptions(
        policy=FAST_RETRIES, poll_seconds=0.5, reconcile_seconds=0, lease_seconds=5))
    app: FastAPI = create_app(ctx, max_body_bytes=65_536)
    app.state.sync = engine
    consumers: list[EventConsumer] = [engine.relay, *([JournalConsumer()] if journal else [])]
    runner = ConsumerRunner(ctx, consumers, jobs=engine.jobs,
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


@contextmanager
def shopify_synced(ctx: ServiceContext, *, secret: str, price: str, skus: tuple[str, ...]
                   ) -> Iterator[tuple[SyncedStore, ShopifySimulator]]:
    """A synced store connected to a Shopify simulator of its own (``connect_shopify``)."""
    with ShopifySimulator(webhook_secret=secret) as shop, synced_store(ctx) as synced:
        connect_shopify(synced, shop, webhook_secret=secret, price=price, skus=skus)
        yield synced, shop


def tee_with_variants(name: str = "Tee") -> dict[str, Any]:
    """A product body of four variants: sizes S and M in red and blue (``TEE-S-R`` ...)."""
    return {"name": name, "tax_rate": "0.08", "category": "Clothing/Tees",
            "options": [{"name": "Size", "values": ["S", "M"]},
                        {"name": "Colour", "values": ["Red", "Blue"]}],
            "variants": [{"sku": f"TEE-{size}-{colour[0]}", "price": "20.00",
                          "options": {"Size": size, "Colour": colour}}
                         for size in ("S", "M") for colour in ("Red", "Blue")]}


# The tee renamed, a size L added in red, and its small blue taken off.
TEE_CHANGES: dict[str, Any] = {
    "name": "Tee classic",
    "options": [{"name": "Size", "values": ["S", "M", "L"]},
                {"name": "Colour", "values": ["Red", "Blue"]}],
    "variants": [{"sku": "TEE-L-R", "price": "22.00", "options": {"Size": "L", "Colour": "Red"}}],
    "remove": ["TEE-S-B"]}


@contextmanager
def memory_synced(ctx: ServiceContext, shop: MemoryShop) -> Iterator[tuple[Api, ConsumerRunner]]:
    """tillflow's API in process with a sync engine whose "shopify" platform is the
    in-memory ``shop``; its worker runs only when ``drain`` runs it."""
    engine = SyncEngine(ctx, {"shopify": MemoryChannelFactory(shop)},
                        SyncOptions(policy=FAST_RETRIES, poll_seconds=0, reconcile_seconds=0))
    app = create_app(ctx)
    app.state.sync = engine
    runner = ConsumerRunner(ctx, [engine.relay], jobs=engine.jobs, lease=timedelta(seconds=5))
    with TestClient(app) as client:
        yield Api(client, ctx), runner


def drain(runner: ConsumerRunner) -> None:
    """Run the worker until it finds nothing to do."""
    for _ in range(50):
        if not runner.run_once():
            return
    raise AssertionError("the worker kept finding work")
