"""The storm against a real Vendure: till sales and Shop API checkouts for the same
variants, every plugin webhook delivered twice, tillflow's worker killed with SIGKILL
while it holds claimed deliveries and started again, and Vendure itself restarted once
(its plugin's queued webhooks die with it; polling finds those orders). Afterwards stock
agrees on every variant, every web order is exactly one sale, no event is lost, and what
the killed worker held was delivered by the next one."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
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
from support.vendure_peer import WEBHOOK_SECRET, Vendure
from support.vendure_shop import checkout, variants
from tillflow.connectors.vendure.factory import vendure_channel
from tillflow.db.tables import events, sales
from tillflow.services.inventory import verify_ledger
from tillflow.sync.work_queue import DONE, PENDING

SKUS = ("ST-1", "ST-2", "ST-3")
START = 40
POS_SALES, WEB_ORDERS, AFTER_RESTART = 8, 6, 2


@pytest.mark.parametrize("database", ["postgresql"])
def test_storm_against_vendure_converges(engine: Engine, vendure: Vendure,
                                         tmp_path: Path) -> None:
    store = storm_store(engine)
    ctx, app, sync = store.ctx, store.app, store.sync
    log = tmp_path / "worker.log"
    shop = vendure_channel({"shop_url": vendure.peer.url},
                           {"api_key": vendure.api_key, "webhook_secret": WEBHOOK_SECRET})
    with serving(app) as url, httpx.Client(base_url=url, timeout=15) as client:
        vendure.attach(url)
        vendure.relay.copies = 2  # every webhook the plugin sends arrives twice
        api = Api(client, ctx)
        api.location("S1")
        for sku in SKUS:
            api.product(sku, "4.00")
            api.stock(sku, "S1", START)
        api.register_with_shift("R1", "S1")
        api.ok(api.post("/connections", {
            "name": "vendure", "platform": "vendure",
            "settings": {"shop_url": vendure.peer.url, "location": "S1"},
            "secrets": {"api_key": vendure.api_key, "webhook_secret": WEBHOOK_SECRET}}), 201)

        def shown() -> dict[str, int]:
            return shop.stock(list(SKUS), shop.primary_location)

        with worker(store, url, log) as first:
            wait_synced(lambda: shown() == dict.fromkeys(SKUS, START), engine=engine,
                        what="the initial sync", log=log)
            with vendure.admin() as admin:
                ids = {sku: str(v["id"]) for sku, v in variants(admin, list(SKUS)).items()}
            web: list[str] = []
            before = last_delivery(engine)
            storm = [threading.Thread(target=_pos_sales, args=(api, 0, POS_SALES, 5)),
                     threading.Thread(target=_checkouts, args=(vendure, ids, web, WEB_ORDERS))]
            for thread in storm:
                thread.start()
            held = kill_mid_batch(first, engine, after=before, log=log)
        assert delivery_statuses(engine, held) == {PENDING}  # it died holding them
        with worker(store, url, log):
            wait_synced(lambda: (not any(thread.is_alive() for thread in storm)
                                 and PENDING not in delivery_statuses(engine, held)),
                        engine=engine, log=log,
                        what="the storm's end and the takeover of what the killed worker held")
            assert delivery_statuses(engine, held) == {DONE}  # none lost
            vendure.peer.restart()  # the plugin's queue dies with it; polling covers
            _checkouts(vendure, ids, web, AFTER_RESTART)
            _pos_sales(api, POS_SALES, AFTER_RESTART, 9)
            pos, placed = POS_SALES + AFTER_RESTART, WEB_ORDERS + AFTER_RESTART
            wait_synced(lambda: _converged(api, shown, pos + placed), engine=engine,
                        what="convergence", log=log)

        listed = api.ok(api.get("/sales", limit=200))["items"]
        online = [s["external_id"] for s in listed if s["channel"] == "vendure"]
        assert sorted(online) == sorted(web)
        assert len(set(online)) == placed
        assert len([s for s in listed if s["channel"] == "pos"]) == pos
        with engine.connect() as connection:
            completed = connection.execute(select(func.count()).select_from(events)
                                           .where(events.c.type == "sale.completed")
                                           ).scalar_one()
            recorded = connection.execute(select(func.count()).select_from(sales)).scalar_one()
        assert completed == recorded == pos + placed
        assert verify_ledger(ctx) == []
        assert sync.dead_letters("vendure") == []
        assert b"Traceback" not in log.read_bytes()
    shop.close()
    sync.close()


def _converged(api: Api, shown: Callable[[], dict[str, int]], total: int) -> bool:
    figures = shown()
    if any(api.on_hand(sku, "S1") != figures.get(sku) for sku in SKUS):
        return False
    return len(api.ok(api.get("/sales", limit=200))["items"]) == total


def _pos_sales(api: Api, first: int, count: int, seed: int) -> None:
    rng = random.Random(seed)
    for n in range(first, first + count):
        api.ok(api.post("/sales", {
            "location": "S1", "register": "R1",
            "lines": [{"sku": rng.choice(SKUS), "quantity": 1}],
            "payments": [{"method": "cash", "amount": "10.00"}]},
            headers={"Idempotency-Key": f"vendure-storm-{n}"}), 201)
        time.sleep(0.1)  # a till's pace: the storm lasts while the worker is killed


def _checkouts(vendure: Vendure, ids: dict[str, str], placed: list[str], count: int) -> None:
    rng = random.Random(len(placed) + 11)
    for n in range(count):
        sku = rng.choice(SKUS)
        placed.append(checkout(vendure.peer.url, [(ids[sku], 1)],
                               email=f"storm{len(placed)}-{n}@example.com"))

