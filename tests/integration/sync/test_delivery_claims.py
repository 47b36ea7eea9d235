"""Workers claiming deliveries: each row once, one row per key at a time, oldest first."""

from __future__ import annotations

import threading
from datetime import timedelta

from tillflow.db.tables_sync import sync_deliveries
from tillflow.db.uow import connection_of
from tillflow.services.context import ServiceContext
from tillflow.sync import work_queue
from tillflow.sync.work_queue import Delivery

LEASE = timedelta(seconds=30)


def _enqueue(ctx: ServiceContext, keys: int, per_key: int) -> None:
    with ctx.uow() as uow:
        work_queue.enqueue(connection_of(uow), [
            {"connection": "shop", "event_seq": n, "kind": "stock", "key": f"sku:{k}",
             "payload": {"n": n}}
            for n in range(per_key) for k in range(keys)], now=uow.now)
        uow.commit()


def _claim(ctx: ServiceContext, owner: str, limit: int = 100) -> list[Delivery]:
    with ctx.uow() as uow:
        rows = work_queue.claim_deliveries(connection_of(uow),
                                           owner=owner, now=uow.now, lease=LEASE,
                                      limit=limit)
        uow.commit()
    return rows


def test_concurrent_workers_never_claim_a_row_twice_nor_two_rows_of_a_key(
        ctx: ServiceContext) -> None:
    _enqueue(ctx, keys=40, per_key=3)
    claimed: dict[str, list[Delivery]] = {}
    start = threading.Barrier(4)

    def worker(owner: str) -> None:
        start.wait()
        claimed[owner] = _claim(ctx, owner, limit=15)

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows = [row for found in claimed.values() for row in found]
    assert len({row.id for row in rows}) == len(rows)
    assert len({row.key for row in rows}) == len(rows)
    assert all(row.payload == {"n": 0} for row in rows)  # the head of each key


def test_the_next_row_of_a_key_waits_for_the_one_before(ctx: ServiceContext) -> None:
    _enqueue(ctx, keys=1, per_key=2)
    [first] = _claim(ctx, "a")
    assert _claim(ctx, "b") == []
    with ctx.uow() as uow:
        work_queue.finish(connection_of(uow), sync_deliveries, first.id, status=work_queue.DONE,
                     now=uow.now)
        uow.commit()
    [second] = _claim(ctx, "b")
    assert second.payload == {"n": 1}


def test_a_sale_waits_only_for_product_deliveries_of_its_skus_queued_before_it(
        ctx: ServiceContext) -> None:
    with ctx.uow() as uow:
        work_queue.enqueue(connection_of(uow), [
            {"connection": "shop", "event_seq": 1, "kind": "product", "key": "sku:X",
             "payload": {"sku": "X"}},
            {"connection": "shop", "event_seq": 2, "kind": "stock", "key": "sku:Y",
             "payload": {"sku": "Y"}},
            {"connection": "shop", "event_seq": 3, "kind": "sale", "key": "sale:s",
             "payload": {"sale": "s"}}], now=uow.now)
        uow.commit()
    [product, _stock, sale] = _claim(ctx, "w")
    with ctx.uow() as uow:
        c = connection_of(uow)
        assert work_queue.waiting(c, "shop", "product", ["sku:X", "sku:Y"], before=sale.id)
        assert not work_queue.waiting(c, "shop", "product", ["sku:Y"], before=sale.id)
        assert not work_queue.waiting(c, "shop", "product", ["sku:X"], before=product.id)
        assert not work_queue.waiting(c, "other", "product", ["sku:X"], before=sale.id)
        work_queue.finish(c, sync_deliveries, product.id, status=work_queue.DONE, now=uow.now)
        assert not work_queue.waiting(c, "shop", "product", ["sku:X"], before=sale.id)
