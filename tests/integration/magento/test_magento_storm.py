"""The storm against the simulated Magento: till sales and guest checkouts for the same
SKUs, Magento answering 429 and 5xx, the store's orders polled by the worker and, at the
same time, by a second poller (every change read twice, by two processes), some orders
shipped and one cancelled meanwhile, and the worker killed with SIGKILL while it holds
claimed deliveries. Afterwards Magento's salable quantity is tillflow's on-hand figure,
every checkout is exactly one sale, no event is lost, and what the killed worker held was
delivered by the next one."""

from __future__ import annotations

import random
import threading
import time
from contextlib import suppress
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import Engine, func, select

from support.api import Api
from support.live_server import serving
from support.magento_shop import cancel, checkout, ship
from support.storm import (
    delivery_statuses,
    kill_mid_batch,
    last_delivery,
    storm_store,
    wait_synced,
    worker,
)
from tillflow.db.tables import events, sales
from tillflow.ports.commerce import Retryable
from tillflow.services.context import ServiceContext
from tillflow.services.inventory import verify_ledger
from tillflow.sync.channels import Channels
from tillflow.sync.polling import poll_orders
from tillflow.sync.work_queue import DONE, PENDING
from tillflow_simulators.magento import MagentoSimulator
from tillflow_simulators.magento.errors import MagentoError

SKUS = ("MS-1", "MS-2", "MS-3")
START = 40
POS_SALES, WEB_ORDERS = 10, 8


@pytest.mark.parametrize("database", ["postgresql"])
def test_storm_against_magento_converges(engine: Engine, magento: MagentoSimulator,
                                         tmp_path: Path) -> None:
    store = storm_store(engine)
    ctx, app, sync = store.ctx, store.app, store.sync
    log = tmp_path / "worker.log"
    held_by = magento.integration
    with serving(app) as url, httpx.Client(base_url=url, timeout=15) as client:
        api = Api(client, ctx)
        api.location("S1")
        for sku in SKUS:
            api.product(sku, "4.00")
            api.stock(sku, "S1", START)
        api.register_with_shift("R1", "S1")
        api.ok(api.post("/connections", {
            "name": "magento", "platform": "magento",
            "settings": {"shop_url": magento.url, "location": "S1", "source": "default"},
            "secrets": {"consumer_key": held_by.consumer_key,
                        "consumer_secret": held_by.consumer_secret,
                        "access_token": held_by.access_token,
                        "access_token_secret": held_by.access_token_secret}}), 201)

        with worker(store, url, log) as first:
            wait_synced(lambda: _shown(magento) == dict.fromkeys(SKUS, START), engine=engine,
                        what="the initial sync", log=log)
            magento.fail_next(429, count=4, retry_after=1, path_prefix="/rest/default/V1/orders")
            magento.fail_next(503, count=3, path_prefix="/rest/default/V1/inventory")
            magento.fail_next(500, count=3, path_prefix="/rest/default/V1/inventory/source-items",
                              method="POST")
            web: list[str] = []
            stop = threading.Event()
            before = last_delivery(engine)
            storm = [threading.Thread(target=_pos_sales, args=(api, POS_SALES)),
                     threading.Thread(target=_checkouts, args=(magento, web, WEB_ORDERS))]
            second_poller = threading.Thread(target=_poll_alongside, args=(ctx, stop))
            for thread in [*storm, second_poller]:
                thread.start()
            held = kill_mid_batch(first, engine, after=before, log=log)
        assert delivery_statuses(engine, held) == {PENDING}  # it died holding them
        with worker(store, url, log):
            wait_synced(lambda: not any(thread.is_alive() for thread in storm),
                        engine=engine, what="the end of the storm's sales and orders", log=log)
            ship(magento, web[0])
            ship(magento, web[1])
            cancel(magento, web[2])
            wait_synced(lambda: (_converged(api, magento, POS_SALES + WEB_ORDERS)
                                 and PENDING not in delivery_statuses(engine, held)),
                        engine=engine, what="convergence", log=log)
            stop.set()
            second_poller.join(timeout=30)

        assert magento.chaos.faults.rules == []  # every 429 and 5xx was answered
        assert delivery_statuses(engine, held) == {DONE}  # taken over, none lost
        listed = api.ok(api.get("/sales", limit=200))["items"]
        online = [s["external_id"] for s in listed if s["channel"] == "magento"]
        assert sorted(online) == sorted(web)  # each checkout once
        assert len([s for s in listed if s["channel"] == "pos"]) == POS_SALES
        with engine.connect() as connection:
            completed = connection.execute(select(func.count()).select_from(events)
                                           .where(events.c.type == "sale.completed")
                                           ).scalar_one()
            recorded = connection.execute(select(func.count()).select_from(sales)).scalar_one()
        assert completed == recorded == POS_SALES + WEB_ORDERS
        assert verify_ledger(ctx) == []
        assert sync.dead_letters("magento") == []
        assert b"Traceback" not in log.read_bytes()
    sync.close()


def _shown(magento: MagentoSimulator) -> dict[str, int]:
    shown = {}
    for sku in SKUS:
        try:
            shown[sku] = int(magento.salable_quantity(sku))
        except MagentoError:  # not created in Magento yet
            continue
    return shown


def _converged(api: Api, magento: MagentoSimulator, total: int) -> bool:
    figures = _shown(magento)
    if any(api.on_hand(sku, "S1") != figures.get(sku) for sku in SKUS):
        return False
    return len(api.ok(api.get("/sales", limit=200))["items"]) == total


def _poll_alongside(ctx: ServiceContext, stop: threading.Event) -> None:
    """A second process's poll of the same store, over and over, while the worker polls."""
    channels = Channels(ctx, ctx.connectors.commerce_factories())
    try:
        while not stop.is_set():
            with suppress(Retryable):  # Magento's injected 429s: the next poll retries
                poll_orders(ctx, channels, channels.shop("magento"))
            stop.wait(0.2)
    finally:
        channels.close()


def _pos_sales(api: Api, count: int) -> None:
    rng = random.Random(5)
    for n in range(count):
        api.ok(api.post("/sales", {
            "location": "S1", "register": "R1",
            "lines": [{"sku": rng.choice(SKUS), "quantity": 1}],
            "payments": [{"method": "cash", "amount": "10.00"}]},
            headers={"Idempotency-Key": f"magento-storm-{n}"}), 201)
        time.sleep(0.1)  # a till's pace: the storm lasts while the worker is killed


def _checkouts(magento: MagentoSimulator, placed: list[str], count: int) -> None:
    rng = random.Random(11)
    for n in range(count):
        placed.append(checkout(magento, [(rng.choice(SKUS), rng.randint(1, 2))],
                               email=f"storm{n}@example.com"))
        time.sleep(0.15)  # shoppers' pace


