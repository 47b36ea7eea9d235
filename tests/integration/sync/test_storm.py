"""The mixed storm: till sales and web orders on both shops for the same SKUs, with
duplicate and reordered webhooks, injected 429s and 5xx, and the worker process killed
with SIGKILL mid-batch and started again. Afterwards everything agrees, and each till
sale is exactly one order in each shop.

The WooCommerce shop is the simulator or a real WooCommerce (whose webhooks its own
queue sends, each order topic subscribed twice so that every change arrives twice)."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import Engine, func, select

from support.api import Api
from support.live_server import serving
from support.storm import (
    delivery_statuses,
    kill_mid_batch,
    last_delivery,
    storm_store,
    wait_synced,
    worker,
)
from support.storm_woo import SimulatedWoo, WooSide, real_woo
from support.woocommerce_peer import REAL_WOO
from tillflow.db.tables import events, sales
from tillflow.services.inventory import verify_ledger
from tillflow.sync.work_queue import DONE, PENDING
from tillflow_simulators.shopify import ShopifySimulator
from tillflow_simulators.woocommerce import WooCommerceSimulator

SKUS = ("S-1", "S-2", "S-3")
START = 60
POS_SALES, SHOPIFY_ORDERS, WOO_ORDERS = 12, 8, 8
WOO_SECRET = "storm-woo"


def _converged(api: Api, shopify: ShopifySimulator, woo: WooSide) -> bool:
    for sku in SKUS:
        here = api.on_hand(sku, "S1")
        if not here == shopify.available(sku) == woo.stock(sku):
            return False
    listed = api.ok(api.get("/sales", limit=200))["items"]
    return (len(listed) == POS_SALES + SHOPIFY_ORDERS + WOO_ORDERS
            and len(_in_shopify(shopify)) == len(woo.pushed()) == POS_SALES)


def _in_shopify(shopify: ShopifySimulator) -> list[str]:
    """The till sales the shop holds an order for, one entry per order."""
    with shopify.shop.store.lock:
        return [o.source_identifier for o in shopify.shop.store.orders.values()
                if o.source_identifier]


@pytest.fixture(params=["simulator", REAL_WOO])
def woo(request: pytest.FixtureRequest) -> Iterator[WooSide]:
    if request.param == "real":
        with real_woo(request.getfixturevalue("woo_shop")) as real:
            yield real
        return
    with WooCommerceSimulator() as sim:
        yield SimulatedWoo(sim)


@pytest.mark.parametrize("database", ["postgresql"])
def test_storm_converges_with_a_killed_worker(engine: Engine, tmp_path: Path,
                                              woo: WooSide) -> None:
    store = storm_store(engine)
    ctx, app, sync = store.ctx, store.app, store.sync
    rng = random.Random(7)
    log = tmp_path / "worker.log"
    with (ShopifySimulator(webhook_secret="storm", fault_seed=3) as shopify,
          serving(app) as url, httpx.Client(base_url=url, timeout=15) as client):
        api = Api(client, ctx)
        api.location("S1")
        for sku in SKUS:
            api.product(sku, "4.00")
            api.stock(sku, "S1", START)
        api.register_with_shift("R1", "S1")
        wkey, wsecret = woo.auth
        api.ok(api.post("/connections", {
            "name": "shopify", "platform": "shopify",
            "settings": {"shop_url": shopify.url, "location": "S1"},
            "secrets": {"access_token": shopify.access_token,
                        "webhook_secret": "storm"}}), 201)
        api.ok(api.post("/connections", {
            "name": "woo", "platform": "woocommerce",
            "settings": {"shop_url": woo.url, "location": "S1",
                         "ca_file": str(woo.certificate)},
            "secrets": {"consumer_key": wkey, "consumer_secret": wsecret,
                        "webhook_secret": WOO_SECRET}}), 201)

        with worker(store, url, log) as first:
            wait_synced(lambda: all(_shown(shopify, woo, s) == (START, START) for s in SKUS),
                        engine=engine, what="the initial sync", log=log)
            shopify.faults.configure(
                api={"queue": ["429", "500", "503"]},
                webhooks={"duplicate_rate": 0.3, "reorder_rate": 0.3})
            woo.stir(f"{url}/webhooks/woo", WOO_SECRET)
            before = last_delivery(engine)
            storm = [
                threading.Thread(target=_pos_sales, args=(api, rng.sample(SKUS * 4, 12))),
                threading.Thread(target=_web_orders, args=(
                    lambda sku: shopify.place_order([(sku, 1)]), SHOPIFY_ORDERS, 11)),
                threading.Thread(target=_web_orders, args=(woo.place_order, WOO_ORDERS, 13)),
            ]
            for thread in storm:
                thread.start()
            held = kill_mid_batch(first, engine, after=before, log=log)
        assert delivery_statuses(engine, held) == {PENDING}  # it died holding them
        with worker(store, url, log):
            wait_synced(lambda: not any(thread.is_alive() for thread in storm),
                        engine=engine, what="the end of the storm's sales and orders", log=log)
            wait_synced(lambda: (_converged(api, shopify, woo)
                                 and PENDING not in delivery_statuses(engine, held)),
                        engine=engine, what="convergence", log=log)

        assert delivery_statuses(engine, held) == {DONE}  # taken over, none lost
        listed = api.ok(api.get("/sales", limit=200))["items"]
        for channel, placed in (("shopify", SHOPIFY_ORDERS), ("woocommerce", WOO_ORDERS)):
            ids = [s["external_id"] for s in listed if s["channel"] == channel]
            assert len(ids) == len(set(ids)) == placed
        till = {f"tillflow-sale-{s['id']}" for s in listed if s["channel"] == "pos"}
        assert len(till) == POS_SALES
        assert sorted(_in_shopify(shopify)) == sorted(woo.pushed()) == sorted(till)  # once each
        assert len(shopify.shop.store.orders) == SHOPIFY_ORDERS + POS_SALES
        assert woo.order_count() == WOO_ORDERS + POS_SALES
        with engine.connect() as connection:
            completed = connection.execute(select(func.count()).select_from(events)
                                           .where(events.c.type == "sale.completed")
                                           ).scalar_one()
            recorded = connection.execute(select(func.count()).select_from(sales)
                                          ).scalar_one()
        assert completed == recorded == POS_SALES + SHOPIFY_ORDERS + WOO_ORDERS
        assert verify_ledger(ctx) == []
        # The shop's webhooks arrived (twice over, in part) and were stored once each.
        duplicates = sync.metrics.registry.get_sample_value(
            "tillflow_sync_webhooks_total", {"connection": "woo", "outcome": "duplicate"})
        assert duplicates, "no WooCommerce webhook arrived twice"
        assert b"Traceback" not in log.read_bytes()
    sync.close()


def _shown(shopify: ShopifySimulator, woo: WooSide, sku: str) -> tuple[int | None, int | None]:
    try:
        return shopify.available(sku), woo.stock(sku)
    except LookupError:  # not created in Shopify yet
        return None, None


def _pos_sales(api: Api, skus: list[str]) -> None:
    for n, sku in enumerate(skus):
        api.ok(api.post("/sales", {
            "location": "S1", "register": "R1", "lines": [{"sku": sku, "quantity": 1}],
            "payments": [{"method": "cash", "amount": "10.00"}]},
            headers={"Idempotency-Key": f"storm-{n}"}), 201)
        time.sleep(0.1)  # a till's pace: the storm lasts while the worker is killed


def _web_orders(place: Callable[[str], object], count: int, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(count):
        place(rng.choice(SKUS))
        time.sleep(0.15)  # shoppers' pace: the storm lasts while the worker is killed

