"""The sync engine assembled: relay, workers, inbox, poller, reconciler and health.

The composition root builds one ``SyncEngine`` per process with the platforms'
channel factories; the API and the CLI ask it for health, checks, sync runs, dead
letters and reports, and the worker loop runs its jobs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import select

from tillflow.db.tables import products
from tillflow.db.tables_sync import sync_reconciliations
from tillflow.db.uow import connection_of
from tillflow.domain.errors import InvalidInput
from tillflow.ports.commerce import (
    ChannelFactory,
    CheckResult,
    CommerceChannel,
    UpsertsProductsInBulk,
)
from tillflow.retry import RetryPolicy
from tillflow.services.context import ServiceContext
from tillflow.sync import work_queue
from tillflow.sync.channels import Channels, Shop
from tillflow.sync.consumers import Job
from tillflow.sync.deliveries import DeliveryWorker
from tillflow.sync.inbox import InboxWorker, Outcome, receive
from tillflow.sync.metrics import SyncMetrics
from tillflow.sync.outbound import push_catalog
from tillflow.sync.polling import Poller, poll_customers, poll_orders, start_cursors
from tillflow.sync.reconcile import Report, latest, reconcile
from tillflow.sync.relay import (
    CATALOG,
    INVENTORY,
    ORDERS,
    PRODUCT,
    RECONCILE,
    SETUP,
    STOCK,
    SyncRelay,
    sku_key,
)
from tillflow.sync.shop_products import remember
from tillflow.sync.work_queue import Delivery

SCOPES = {"catalog": (CATALOG,), "inventory": (INVENTORY,), "orders": (ORDERS,),
          "customers": (ORDERS,), "all": (CATALOG, RECONCILE),
          "initial": (CATALOG, INVENTORY)}
DEGRADED_LAG = 60.0

log = structlog.get_logger("tillflow.sync")


@dataclass(frozen=True)
class SyncOptions:
    public_url: str = "http://127.0.0.1:8000"
    lease_seconds: float = 30.0
    poll_seconds: float = 60.0
    reconcile_seconds: float = 3600.0
    policy: RetryPolicy = field(default_factory=RetryPolicy)


class SyncEngine:
    def __init__(self, ctx: ServiceContext, factories: Mapping[str, ChannelFactory],
                 options: SyncOptions | None = None) -> None:
        self.ctx = ctx
        self.options = options or SyncOptions()
        self.channels = Channels(ctx, factories)
        self.metrics = SyncMetrics()
        self.metrics.watch(self._figures)
        self.relay = SyncRelay(self.channels)
        # Per connection, the SKUs its last bulk catalog push created with their stock at
        # the primary location; the inventory pass that follows leaves them out. Lost with
        # the process, it only costs that pass the rows it would have saved.
        self._created: dict[str, set[str]] = {}
        lease = timedelta(seconds=self.options.lease_seconds)
        self.deliveries = DeliveryWorker(
            ctx, self.channels, policy=self.options.policy,
            lease=lease, metrics=self.metrics,
            handlers={SETUP: self._setup, CATALOG: self._catalog, INVENTORY: self._inventory,
                      ORDERS: self._orders, RECONCILE: self._reconcile})
        self.inbox = InboxWorker(ctx, self.channels, policy=self.options.policy, lease=lease)
        self.poller = Poller(ctx, self.channels, every=self.options.poll_seconds)
        self._last_schedule = time.monotonic()

    @property
    def jobs(self) -> list[Job]:
        return [self.deliveries, self.inbox, self.poller, _Schedule(self)]

    def callback_url(self, name: str) -> str:
        return f"{self.options.public_url.rstrip('/')}/webhooks/{name}"

    def close(self) -> None:
        self.channels.close()

    # -- asked by the API and the CLI ------------------------------------------------------

    def receive_webhook(self, name: str, headers: Mapping[str, str], body: bytes) -> Outcome:
        return receive(self.ctx, self.channels, self.metrics, name, headers=headers, body=body)

    def request_sync(self, name: str, scope: str) -> list[str]:
        if scope not in SCOPES:
            raise InvalidInput(f"scope must be one of {', '.join(sorted(SCOPES))}",
                               details={"field": "scope"})
        shop = self.channels.shop(name)
        kinds = SCOPES[scope]
        with self.ctx.uow() as uow:
            seq = -time.time_ns()
            work_queue.enqueue(connection_of(uow), [
                # One key: scopes run in order, so products exist before their stock goes.
                {"connection": shop.name, "event_seq": seq - n, "kind": kind, "key": "scope",
                 "payload": {"scope": scope}} for n, kind in enumerate(kinds)], now=uow.now)
            uow.commit()
        return list(kinds)

    def check(self, name: str) -> CheckResult:
        shop = self.channels.shop(name)
        return self.channels.channel(shop).check(self.callback_url(name))

    def health(self, name: str) -> dict[str, Any]:
        shop = self.channels.shop(name)
        with self.ctx.uow(read_only=True) as uow:
            figures = work_queue.figures(connection_of(uow), shop.name)
            now = uow.now
        report = latest(self.ctx, name)
        lag = 0.0 if figures.oldest_pending is None else max(
            0.0, (now - figures.oldest_pending).total_seconds())
        state = "failing" if figures.failed else (
            "degraded" if figures.retrying or lag > DEGRADED_LAG else "ok")
        return {
            "name": shop.name, "platform": shop.platform, "state": state,
            "lag_seconds": round(lag, 3), "pending": figures.pending, "failed": figures.failed,
            "retrying": figures.retrying, "last_error": figures.last_error,
            "webhook_url": self.callback_url(name),
            "last_reconciliation": None if report is None else {
                "id": report.id, "at": report.started_at.isoformat(),
                "drift_count": report.drift_count, "error": report.error},
        }

    def dead_letters(self, name: str) -> list[dict[str, Any]]:
        return self.dead_letter_page(name, after=None, limit=100)[0]

    def dead_letter_page(self, name: str, *, after: int | None,
                         limit: int) -> tuple[list[dict[str, Any]], int | None]:
        """A page of dead letters after row ``after``, and the row the next page starts
        after (None on the last page)."""
        shop = self.channels.shop(name)
        with self.ctx.uow(read_only=True) as uow:
            found = work_queue.dead_letters(connection_of(uow), shop.name, after=after,
                                            limit=limit + 1)
        more = len(found) > limit
        return found[:limit], int(found[limit - 1]["id"]) if more else None

    def replay(self, name: str, ids: list[int] | None) -> int:
        shop = self.channels.shop(name)
        with self.ctx.uow() as uow:
            count = work_queue.replay(connection_of(uow), shop.name, ids=ids, now=uow.now)
            uow.commit()
        return count

    def report(self, name: str) -> Report | None:
        return latest(self.ctx, self.channels.shop(name).name)

    def shops(self) -> list[Shop]:
        return self.channels.shops()

    # -- delivery handlers -----------------------------------------------------------------

    def _setup(self, shop: Shop, channel: CommerceChannel, row: Delivery) -> None:
        if start_cursors(self.ctx, shop.name):
            self.request_sync(shop.name, "initial")
        topics = channel.ensure_webhooks(self.callback_url(shop.name))
        log.info("webhooks subscribed", connection=shop.name, topics=topics,
                 url=self.callback_url(shop.name))

    def _catalog(self, shop: Shop, channel: CommerceChannel, row: Delivery) -> None:
        """Through the shop's bulk API where it has one; what that did not save, and every
        product of a shop without one, goes one by one."""
        left = None
        if isinstance(channel, UpsertsProductsInBulk):
            pushed = push_catalog(self.ctx, shop, channel)
            remember(self.ctx, shop, pushed.saved)
            # The stock pass that follows need not read back what the push just wrote.
            self.deliveries.shown.remember(shop.name, channel.primary_location, pushed.created)
            self._created[shop.name] = set(pushed.created)
            left = pushed.left
            self._refused(shop, pushed.refused)
            log.info("catalog pushed in bulk", connection=shop.name, saved=len(pushed.saved),
                     refused=len(pushed.refused), left=len(left))
        self._fan_out(shop, row.event_seq, PRODUCT, lambda sku: {"sku": sku}, only=left)

    def _refused(self, shop: Shop, refused: dict[str, str]) -> None:
        """Each product the shop's bulk API refused becomes its own dead letter, to be
        replayed once fixed."""
        with self.ctx.uow() as uow:
            for sku, reason in refused.items():
                work_queue.dead_letter(connection_of(uow), shop.name, kind=PRODUCT,
                                       key=sku_key(sku), payload={"sku": sku}, reason=reason,
                                       now=uow.now)
            uow.commit()

    def _inventory(self, shop: Shop, channel: CommerceChannel, row: Delivery) -> None:
        # One row per SKU and location; each location gets its own (unique) origin seq. A
        # product the catalog push just created shows the figure it was read with, and a
        # change since has a row of its own: the primary location needs no row for it.
        created = self._created.pop(shop.name, set())
        primary = shop.platform_locations().get(None)
        for offset, code in enumerate(sorted(shop.tillflow_locations())):
            self._fan_out(shop, row.event_seq - offset, STOCK, _at(code),
                          skip=created if code == primary else set())

    def _fan_out(self, shop: Shop, seq: int, kind: str,
                 payload: Callable[[str], dict[str, str]], *,
                 only: list[str] | None = None, skip: set[str] | None = None) -> None:
        """A row per SKU (of ``only``, else of every product) not in ``skip``."""
        with self.ctx.uow() as uow:
            skus = only if only is not None else connection_of(uow).execute(
                select(products.c.sku).order_by(products.c.sku)).scalars().all()
            work_queue.enqueue(connection_of(uow), [
                {"connection": shop.name, "event_seq": seq, "kind": kind,
                 "key": sku_key(sku), "payload": payload(sku)} for sku in skus
                if not skip or sku not in skip], now=uow.now)
            uow.commit()

    def _orders(self, shop: Shop, channel: CommerceChannel, row: Delivery) -> None:
        poll_orders(self.ctx, self.channels, shop)
        poll_customers(self.ctx, self.channels, shop)

    def _reconcile(self, shop: Shop, channel: CommerceChannel, row: Delivery) -> None:
        reconcile(self.ctx, self.channels, shop.name)

    def _figures(self) -> list[tuple[str, float, int, int]]:
        found = []
        for shop in self.channels.shops():
            health = self.health(shop.name)
            found.append((shop.name, float(health["lag_seconds"]), int(health["pending"]),
                          int(health["failed"])))
        return found

    def schedule_reconciliations(self) -> int:
        """Queue a full reconciliation for every shop whose last one is older than the
        configured interval."""
        every = self.options.reconcile_seconds
        if every <= 0 or time.monotonic() - self._last_schedule < min(every, 60.0):
            return 0
        self._last_schedule = time.monotonic()
        queued = 0
        for shop in self.channels.shops():
            with self.ctx.uow(read_only=True) as uow:
                last = connection_of(uow).execute(
                    select(sync_reconciliations.c.started_at)
                    .where(sync_reconciliations.c.connection == shop.name)
                    .order_by(sync_reconciliations.c.id.desc()).limit(1)).scalar_one_or_none()
                now = uow.now
            if last is None or (now - last).total_seconds() >= every:
                self.request_sync(shop.name, "all")
                queued += 1
        return queued


def _at(code: str) -> Callable[[str], dict[str, str]]:
    return lambda sku: {"sku": sku, "location": code}


@dataclass
class _Schedule:
    engine: SyncEngine

    def run_once(self) -> int:
        return self.engine.schedule_reconciliations()
