"""Polling: the safety net under webhooks. Each shop's orders and customers are read from
stored cursors (the newest ``updated_at`` applied); a cursor moves only after everything
up to it was applied, so a crash repeats a poll and never skips a change."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

import structlog

from tillflow.db.uow import connection_of
from tillflow.ports.commerce import CommerceChannel, OrderPage
from tillflow.services.context import ServiceContext
from tillflow.sync import idmap
from tillflow.sync.channels import Channels, Shop
from tillflow.sync.customers import merge_customer
from tillflow.sync.dead_orders import dead_letter_order, dead_version
from tillflow.sync.inbound import CHANGED, apply_order, is_transient

log = structlog.get_logger("tillflow.sync")

ORDERS_CURSOR = "orders"
CUSTOMERS_CURSOR = "customers"
ORIGIN_CURSOR = "origin"


def platform_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def start_cursors(ctx: ServiceContext, name: str) -> bool:
    """A new connection takes orders from now on, not the shop's whole history;
    True when the connection is new."""
    with ctx.uow() as uow:
        new = idmap.cursor(connection_of(uow), name, ORIGIN_CURSOR) is None
        if new:
            now = platform_time(uow.now)
            idmap.set_cursor(connection_of(uow), name, ORIGIN_CURSOR, now, now=uow.now)
            idmap.set_cursor(connection_of(uow), name, ORDERS_CURSOR, now, now=uow.now)
            idmap.set_cursor(connection_of(uow), name, CUSTOMERS_CURSOR, now, now=uow.now)
        uow.commit()
    return new


def origin(ctx: ServiceContext, name: str) -> str | None:
    with ctx.uow(read_only=True) as uow:
        return idmap.cursor(connection_of(uow), name, ORIGIN_CURSOR)


def poll_orders(ctx: ServiceContext, channels: Channels, shop: Shop) -> int:
    with ctx.uow(read_only=True) as uow:
        cursor = idmap.cursor(connection_of(uow), shop.name, ORDERS_CURSOR)
    if cursor is None:
        return 0
    channel = channels.channel(shop)
    page = channel.order_changes(cursor)
    applied = [outcome for _, outcome in apply_changes(ctx, shop, channel, page)
               if outcome in CHANGED]
    if page.cursor and page.cursor != cursor:
        with ctx.uow() as uow:
            idmap.set_cursor(connection_of(uow), shop.name, ORDERS_CURSOR, page.cursor, now=uow.now)
            uow.commit()
    if applied:
        log.info("poll applied orders", connection=shop.name, orders=len(applied))
    return len(applied)


def poll_customers(ctx: ServiceContext, channels: Channels, shop: Shop) -> int:
    """Customers changed in the shop since the cursor, merged; a connection made before
    customers were synced starts its cursor now."""
    with ctx.uow() as uow:
        cursor = idmap.cursor(connection_of(uow), shop.name, CUSTOMERS_CURSOR)
        if cursor is None:
            idmap.set_cursor(connection_of(uow), shop.name, CUSTOMERS_CURSOR,
                             platform_time(uow.now), now=uow.now)
            uow.commit()
            return 0
    found, after = channels.channel(shop).customer_changes(cursor)
    merged = 0
    for remote in found:
        with ctx.uow(read_only=True) as uow:
            known = idmap.by_external(connection_of(uow), shop.name, idmap.CUSTOMER,
                                      remote.external_id)
        if known is not None and known.version == remote.updated_at:
            continue
        if merge_customer(ctx, shop, remote) in ("created", "merged"):
            merged += 1
    if after and after != cursor:
        with ctx.uow() as uow:
            idmap.set_cursor(connection_of(uow), shop.name, CUSTOMERS_CURSOR, after, now=uow.now)
            uow.commit()
    if merged:
        log.info("poll merged customers", connection=shop.name, customers=merged)
    return merged


def apply_changes(ctx: ServiceContext, shop: Shop, channel: CommerceChannel,
                  page: OrderPage) -> list[tuple[str, str]]:
    """Fetch and apply each changed order not applied at that version yet; returns
    (order id, outcome) for those fetched. An order that cannot be applied becomes a dead
    letter of its own and the others go on; only the shop being away (``Retryable``)
    stops the page, to be read again from the same cursor."""
    done = []
    for change in page.changes:
        with ctx.uow(read_only=True) as uow:
            known = idmap.by_external(connection_of(uow), shop.name, idmap.ORDER,
                                      change.external_id)
        if known is not None and known.version == change.updated_at:
            continue
        if dead_version(ctx, shop, change.external_id) == change.updated_at:
            continue  # refused at this copy already: a replay or a newer copy tries again
        try:
            order = channel.order(change.external_id)
            outcome = "gone" if order is None else apply_order(ctx, shop, order)
        except Exception as exc:
            if is_transient(exc):
                raise
            # Anything else is this order's own and must not hold up the ones after it.
            dead_letter_order(ctx, shop, change.external_id, exc, version=change.updated_at)
            outcome = f"dead letter: {exc}"
        done.append((change.external_id, outcome))
    return done


class Poller:
    def __init__(self, ctx: ServiceContext, channels: Channels, *, every: float,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._ctx, self._channels, self._every = ctx, channels, every
        self._monotonic = monotonic
        self._last: dict[str, float] = {}

    def run_once(self) -> int:
        """Poll each shop whose interval (its ``poll_interval``, else the worker's; 0:
        never) has passed."""
        applied = 0
        for shop in self._channels.shops():
            every, now = shop.poll_every(self._every), self._monotonic()
            if every <= 0 or now - self._last.get(shop.name, float("-inf")) < every:
                continue
            self._last[shop.name] = now
            for poll in (poll_orders, poll_customers):
                try:
                    applied += poll(self._ctx, self._channels, shop)
                except Exception as exc:  # the next poll tries again from the same cursor
                    log.warning("poll failed", connection=shop.name, poll=poll.__name__,
                                error=str(exc))
        return applied
