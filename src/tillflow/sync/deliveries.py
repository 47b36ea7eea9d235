"""The delivery worker: claims due deliveries and pushes them to their shops.

Stock rows of one connection go out together (one batched compare-and-set); if the
shop rejects the batch, each row is tried alone, and a row that failed once is retried
alone, so one bad SKU does not hold the others.
Failures follow the retry policy; refusals and exhausted retries become dead letters.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import timedelta

import structlog

from tillflow.db.tables_sync import sync_deliveries
from tillflow.db.uow import connection_of
from tillflow.domain.errors import NotFound
from tillflow.ports.commerce import CommerceChannel, Rejected, Retryable, SellsVariants
from tillflow.retry import RetryPolicy
from tillflow.services.context import ServiceContext
from tillflow.services.variant_groups import product_with_options
from tillflow.sync import work_queue
from tillflow.sync.channels import Channels, Shop
from tillflow.sync.customers import push_customer
from tillflow.sync.dead_orders import replay_order
from tillflow.sync.metrics import SyncMetrics
from tillflow.sync.outbound import (
    ShownStock,
    push_product,
    push_stock,
    push_variants,
)
from tillflow.sync.pos_sales import push_return, push_sale
from tillflow.sync.relay import (
    CUSTOMER,
    PRODUCT,
    RETURN,
    SALE,
    SETUP,
    STOCK,
    product_key,
    sku_key,
)
from tillflow.sync.shop_products import remember
from tillflow.sync.work_queue import Delivery

log = structlog.get_logger("tillflow.sync")

Handler = Callable[[Shop, CommerceChannel, Delivery], None]


class DeliveryWorker:
    def __init__(self, ctx: ServiceContext, channels: Channels, *,
                 policy: RetryPolicy, lease: timedelta,
                 metrics: SyncMetrics, handlers: dict[str, Handler], batch: int = 50) -> None:
        self._ctx, self._channels, self._policy = ctx, channels, policy
        self._lease, self._metrics, self._batch = lease, metrics, batch
        self._handlers = handlers
        self._one_by_one = 1
        self.shown = ShownStock()
        self.owner = uuid.uuid4().hex

    def run_once(self) -> int:
        with self._ctx.uow() as uow:
            # Webhook subscriptions first: a new shop's orders must not wait for its catalog.
            # Stock figures go out in batches; the slow one-call-each kinds (products,
            # orders, customers) are taken one at a time, so a rush of till sales
            # pushed as orders never holds back the stock the shop offers.
            connection = connection_of(uow)
            claimed = work_queue.claim_deliveries(connection, owner=self.owner, now=uow.now,
                                                  lease=self._lease, limit=self._batch,
                                                  first=(SETUP,), kinds=(SETUP, STOCK))
            claimed += work_queue.claim_deliveries(connection, owner=self.owner, now=uow.now,
                                                   lease=self._lease, limit=self._one_by_one,
                                                   other_than=(SETUP, STOCK))
            uow.commit()
        groups: dict[str, list[Delivery]] = defaultdict(list)
        for row in claimed:
            groups[row.connection].append(row)
        for name, rows in groups.items():
            self._connection(name, rows)
        return len(claimed)

    def _connection(self, name: str, rows: list[Delivery]) -> None:
        try:
            shop = self._channels.shop(name)
            channel = self._channels.channel(shop)
        except NotFound:
            for row in rows:
                self._failed(row, Rejected(f"connection {name!r} no longer exists"))
            return
        stock = [r for r in rows if r.kind == STOCK]
        # A row that failed before goes alone, so a failing SKU never holds up the others.
        fresh = [r for r in stock if r.attempts == 0]
        if fresh:
            self._stock(shop, channel, fresh)
        for row in stock:
            if row.attempts:
                self._stock(shop, channel, [row])
        for row in rows:
            if row.kind != STOCK:
                self._one(shop, channel, row)

    def _stock(self, shop: Shop, channel: CommerceChannel, rows: Sequence[Delivery]) -> None:
        try:
            pushed = push_stock(self._ctx, shop, channel, rows, shown=self.shown)
        except Rejected as exc:
            if len(rows) == 1:
                self._failed(rows[0], exc)
                return
            for row in rows:
                self._stock(shop, channel, [row])
            return
        except Exception as exc:  # every other failure is retried for the whole batch
            for row in rows:
                self._failed(row, exc)
            return
        self._metrics.budget(shop.name, channel)
        newest = {r.key: r for r in sorted(rows, key=lambda r: r.id)}
        with self._ctx.uow() as uow:
            for row in rows:
                work_queue.finish(connection_of(uow),
                                  sync_deliveries, row.id, status=work_queue.DONE,
                             now=uow.now)
            for row in newest.values():
                work_queue.supersede(connection_of(uow), delivery=row, read_at=pushed.read_at,
                                now=uow.now)
            uow.commit()
        for row in rows:
            self._metrics.delivered(shop.name, STOCK, "done")
            log.info("delivered", connection=shop.name, delivery_id=row.id,
                     event_seq=row.event_seq, kind=STOCK, key=row.key)

    def _one(self, shop: Shop, channel: CommerceChannel, row: Delivery) -> None:
        handler = self._handlers.get(row.kind) or self._builtin(row.kind)
        try:
            handler(shop, channel, row)
        except Exception as exc:  # classified by the retry policy
            self._failed(row, exc)
            return
        with self._ctx.uow() as uow:
            work_queue.finish(connection_of(uow), sync_deliveries, row.id, status=work_queue.DONE,
                              now=uow.now)
            uow.commit()
        self._metrics.delivered(shop.name, row.kind, "done")
        log.info("delivered", connection=shop.name, delivery_id=row.id,
                 event_seq=row.event_seq, kind=row.kind, key=row.key)

    def _builtin(self, kind: str) -> Handler:
        handler = {PRODUCT: self._product, SALE: self._sale, RETURN: self._return,
                   CUSTOMER: self._customer, work_queue.WEB_ORDER: self._web_order,
                   work_queue.WEBHOOK: self._unreadable}.get(kind)
        if handler is None:
            raise Rejected(f"no handler for deliveries of kind {kind!r}")
        return handler

    def _product(self, shop: Shop, channel: CommerceChannel, row: Delivery) -> None:
        """A SKU's row, or a product's (queued when it has options). A shop that groups
        variants gets the whole product for either, which covers the rows of its other
        SKUs queued meanwhile; a shop that does not gets each SKU on its own."""
        sku = row.payload.get("sku")
        product_id = product_with_options(self._ctx, sku=sku, product_id=row.payload.get(
            "product_id"))
        if product_id is not None and isinstance(channel, SellsVariants):
            pushed = push_variants(self._ctx, shop, channel, product_id, shown=self.shown)
            remember(self._ctx, shop, {s: u.external_id for s, u in pushed.saved.items()})
            with self._ctx.uow() as uow:
                work_queue.cover(connection_of(uow), name=shop.name, kind=PRODUCT,
                                 keys=[*map(sku_key, pushed.skus), product_key(product_id)],
                                 besides=row.id, read_at=pushed.read_at, now=uow.now)
                uow.commit()
            return
        if sku is None:
            return  # the product's SKUs have rows of their own
        result = push_product(self._ctx, shop, channel, sku, shown=self.shown)
        remember(self._ctx, shop, {sku: result.external_id})

    def _sale(self, shop: Shop, channel: CommerceChannel, row: Delivery) -> None:
        push_sale(self._ctx, shop, channel, row)

    def _return(self, shop: Shop, channel: CommerceChannel, row: Delivery) -> None:
        push_return(self._ctx, shop, channel, row)

    def _customer(self, shop: Shop, channel: CommerceChannel, row: Delivery) -> None:
        push_customer(self._ctx, shop, channel, row.payload["customer"])

    def _web_order(self, shop: Shop, channel: CommerceChannel, row: Delivery) -> None:
        replay_order(self._ctx, shop, channel, str(row.payload["external_id"]))

    def _unreadable(self, shop: Shop, channel: CommerceChannel, row: Delivery) -> None:
        # There is nothing to apply again; what the body announced comes by polling and
        # the reconciler, so a replay only clears it from the list.
        log.info("unreadable webhook dismissed", connection=shop.name, delivery_id=row.id)

    def _failed(self, row: Delivery, exc: Exception) -> None:
        attempt = row.attempts + 1
        dead = isinstance(exc, Rejected) or self._policy.exhausted(attempt)
        retry_after = exc.retry_after if isinstance(exc, Retryable) else None
        wait = self._policy.delay(attempt, retry_after=retry_after)
        # A web order's dead letter says why in the shop's terms, for the merchant.
        error = str(exc) if row.kind == work_queue.WEB_ORDER else f"{type(exc).__name__}: {exc}"
        with self._ctx.uow() as uow:
            work_queue.retry_later(connection_of(uow), sync_deliveries, row.id,
                              at=uow.now + timedelta(seconds=wait), error=error, dead=dead,
                              now=uow.now)
            uow.commit()
        self._metrics.delivered(row.connection, row.kind, "dead" if dead else "retry")
        log.warning("delivery failed", connection=row.connection, delivery_id=row.id,
                    event_seq=row.event_seq, kind=row.kind, key=row.key, attempt=attempt,
                    dead=dead, retry_in=None if dead else round(wait, 2), error=error)
