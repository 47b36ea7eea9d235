"""The webhook inbox: verify, store once, answer fast; a worker applies what was stored.

A webhook is only a hint that something changed: the worker fetches the order, customer
or product as the platform holds it now and applies that, so duplicates, replays and
reordered deliveries all converge on the platform's current state.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from contextlib import suppress
from datetime import timedelta
from typing import Literal

import structlog

from tillflow.db.tables_sync import sync_inbox
from tillflow.db.uow import connection_of
from tillflow.domain.errors import NotFound
from tillflow.ports.commerce import (
    CUSTOMER,
    IGNORED,
    ORDER,
    PING,
    PRODUCT,
    BadWebhook,
    MalformedWebhook,
    Retryable,
)
from tillflow.retry import RetryPolicy
from tillflow.services.context import ServiceContext
from tillflow.sync import work_queue
from tillflow.sync.channels import Channels, Shop
from tillflow.sync.customers import merge_customer
from tillflow.sync.dead_orders import dead_letter_body, dead_letter_order
from tillflow.sync.inbound import apply_order, is_refusal
from tillflow.sync.metrics import SyncMetrics
from tillflow.sync.shop_products import apply_product

log = structlog.get_logger("tillflow.sync")

Outcome = Literal["stored", "duplicate", "ignored"]
APPLIED = frozenset({ORDER, CUSTOMER, PRODUCT})


def receive(ctx: ServiceContext, channels: Channels, metrics: SyncMetrics, name: str, *,
            headers: Mapping[str, str], body: bytes) -> Outcome:
    """Verify and keep one webhook; raises ``BadWebhook`` (nothing stored) when it fails."""
    shop = channels.shop(name)
    try:
        message = channels.channel(shop).read_webhook(headers, body)
    except BadWebhook as exc:
        metrics.webhook(name, "rejected")
        log.warning("webhook rejected", connection=name, topic=headers.get("x-shopify-topic")
                    or headers.get("x-wc-webhook-topic"), reason=str(exc), size=len(body))
        if isinstance(exc, MalformedWebhook):
            # Signed by the shop, yet unreadable: listed for a person, once per body.
            dead_letter_body(ctx, name, body, str(exc))
        raise
    if message.kind == PING:
        metrics.webhook(name, "ping")
        return "ignored"
    status = work_queue.PENDING if message.kind in APPLIED else work_queue.IGNORED
    with ctx.uow() as uow:
        stored = work_queue.store_webhook(connection_of(uow), connection_name=name, message=message,
                                     body=body, status=status, now=uow.now)
        uow.commit()
    outcome: Outcome = "stored" if stored else "duplicate"
    if message.kind == IGNORED:
        outcome = "ignored"
        log.info("webhook topic not applied", connection=name, topic=message.topic,
                 delivery=message.delivery_id)
    elif not stored:
        log.info("duplicate webhook ignored", connection=name, topic=message.topic,
                 delivery=message.delivery_id)
    metrics.webhook(name, outcome)
    return outcome


class InboxWorker:
    def __init__(self, ctx: ServiceContext, channels: Channels, *, policy: RetryPolicy,
                 lease: timedelta, batch: int = 50) -> None:
        self._ctx, self._channels, self._policy = ctx, channels, policy
        self._lease, self._batch = lease, batch
        self.owner = uuid.uuid4().hex

    def run_once(self) -> int:
        with self._ctx.uow() as uow:
            items = work_queue.claim_inbox(connection_of(uow), owner=self.owner, now=uow.now,
                                      lease=self._lease, limit=self._batch)
            uow.commit()
        for item in items:
            self._apply(item)
        return len(items)

    def _apply(self, item: work_queue.InboxItem) -> None:
        try:
            shop = self._channels.shop(item.connection)
            outcome = (self._outcome(shop, item.kind, item.external_id)
                       if item.external_id else "gone")
        except Exception as exc:  # classified by the retry policy
            self._failed(item, exc)
            return
        with self._ctx.uow() as uow:
            work_queue.finish(connection_of(uow), sync_inbox, item.id,
                         status=work_queue.IGNORED if outcome == "gone" else work_queue.DONE,
                         now=uow.now)
            uow.commit()
        log.info("webhook applied", connection=item.connection, delivery=item.delivery_id,
                 topic=item.topic, kind=item.kind, resource=item.external_id, outcome=outcome)

    def _outcome(self, shop: Shop, kind: str, external_id: str) -> str:
        channel = self._channels.channel(shop)
        if kind == PRODUCT:
            return apply_product(self._ctx, shop, channel, external_id)
        if kind == CUSTOMER:
            customer = channel.customer(external_id)
            return "gone" if customer is None else merge_customer(self._ctx, shop, customer)
        order = channel.order(external_id)
        if order is None:
            return "gone"
        try:
            return apply_order(self._ctx, shop, order)
        except Exception as exc:
            if not is_refusal(exc):
                raise
            # This copy of the order is listed (and replayed) as a dead letter of its own.
            dead_letter_order(self._ctx, shop, external_id, exc, version=order.updated_at)
            return "dead letter"

    def _failed(self, item: work_queue.InboxItem, exc: Exception) -> None:
        attempt = item.attempts + 1
        dead = is_refusal(exc) or self._policy.exhausted(attempt)
        if dead and item.kind == ORDER and item.external_id:
            # Given up on (the shop unreadable, say): listed and replayed as a dead letter.
            with suppress(NotFound):  # the connection is gone, and its letters with it
                shop = self._channels.shop(item.connection)
                dead_letter_order(self._ctx, shop, item.external_id, exc)
        wait = self._policy.delay(
            attempt, retry_after=exc.retry_after if isinstance(exc, Retryable) else None)
        error = f"{type(exc).__name__}: {exc}"
        with self._ctx.uow() as uow:
            work_queue.retry_later(connection_of(uow), sync_inbox, item.id,
                              at=uow.now + timedelta(seconds=wait), error=error, dead=dead,
                              now=uow.now)
            uow.commit()
        log.warning("webhook not applied", connection=item.connection,
                    delivery=item.delivery_id, attempt=attempt, dead=dead, error=error)
