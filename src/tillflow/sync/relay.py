"""The relay: a consumer of the events log that fans changes out to every web shop.

Each change becomes one delivery row per connection, keyed by SKU so one SKU's changes
reach a shop in order while other SKUs go ahead; a till sale (to become an order) and its
returns are keyed by the sale, a customer by the customer. The row's unique (connection, event,
key) makes a re-read event harmless.

A shop takes the changes that come after its ``connection.created`` event; what came
before reaches it through the full catalog and inventory push its set-up queues, not
through a replay of the store's whole history.
"""

from __future__ import annotations

from typing import Any

from tillflow.db.uow import connection_of
from tillflow.ports.records import StoredEvent
from tillflow.services.context import ServiceContext
from tillflow.services.sales import POS
from tillflow.sync import idmap, work_queue
from tillflow.sync.channels import Channels, Shop

STOCK, PRODUCT, SETUP = "stock", "product", "setup"
SALE, RETURN, CUSTOMER = "sale", "return", "customer"
CATALOG, INVENTORY, ORDERS, RECONCILE = "catalog", "inventory", "orders", "reconcile"
RELAY_FROM = "relay_from"


def sku_key(sku: str) -> str:
    return f"sku:{sku}"


def product_key(product_id: int) -> str:
    return f"product:{product_id}"


class SyncRelay:
    name = "sync.relay"

    def __init__(self, channels: Channels) -> None:
        self._channels = channels
        self._shops: list[tuple[Shop, int]] | None = None

    def handle(self, ctx: ServiceContext, event: StoredEvent) -> None:
        if event.type.startswith("connection."):
            self._shops = None
            self._start(ctx, event)
        rows = [row for shop, since in self._live(ctx) if event.seq > since
                for row in _rows(shop, event)]
        if rows:
            with ctx.uow() as uow:
                work_queue.enqueue(connection_of(uow), rows, now=uow.now)
                uow.commit()

    def _start(self, ctx: ServiceContext, event: StoredEvent) -> None:
        """A new shop: changes flow from this event on, and its set-up is queued."""
        if event.type != "connection.created" or event.data["platform"] not in \
                self._channels.platforms:
            return
        name = event.data["name"]
        with ctx.uow() as uow:
            if idmap.cursor(connection_of(uow), name, RELAY_FROM) is None:
                idmap.set_cursor(connection_of(uow), name, RELAY_FROM, str(event.seq), now=uow.now)
                work_queue.enqueue(connection_of(uow), [{"connection": name, "event_seq": event.seq,
                                                "kind": SETUP, "key": "setup",
                                                "payload": {}}], now=uow.now)
            uow.commit()

    def _live(self, ctx: ServiceContext) -> list[tuple[Shop, int]]:
        if self._shops is None:
            shops = self._channels.shops()
            with ctx.uow(read_only=True) as uow:
                since = {s.name: idmap.cursor(connection_of(uow), s.name, RELAY_FROM)
                         for s in shops}
            self._shops = [(s, int(seq)) for s in shops if (seq := since[s.name]) is not None]
        return self._shops


def _rows(shop: Shop, event: StoredEvent) -> list[dict[str, Any]]:
    data = event.data
    base = {"connection": shop.name, "event_seq": event.seq}
    if event.type == "stock.changed" and data["location"] in shop.tillflow_locations():
        return [{**base, "kind": STOCK, "key": sku_key(data["sku"]),
                 "payload": {"sku": data["sku"], "location": data["location"]}}]
    if event.type in ("product.created", "product.updated"):
        return [{**base, "kind": PRODUCT, "key": sku_key(data["sku"]),
                 "payload": {"sku": data["sku"]}}]
    if event.type in ("product_group.created", "product_group.updated") and data["options"]:
        # What no SKU's own event carries (a variant deleted): a shop that groups variants
        # is given the product again; one that does not has nothing to do with it.
        return [{**base, "kind": PRODUCT, "key": product_key(data["id"]),
                 "payload": {"product_id": data["id"]}}]
    if event.type == "sale.completed" and data["channel"] == POS and shop.push_pos_sales:
        return [{**base, "kind": SALE, "key": f"sale:{data['id']}",
                 "payload": {"sale": data["id"]}}]
    if event.type == "return.completed" and shop.push_pos_sales:
        # The sale's key: a return reaches the shop after the order it refunds.
        return [{**base, "kind": RETURN, "key": f"sale:{data['sale_id']}",
                 "payload": {"return": data["id"]}}]
    if event.type in ("customer.created", "customer.updated"):
        return [{**base, "kind": CUSTOMER, "key": f"customer:{data['id']}",
                 "payload": {"customer": data["id"]}}]
    if event.type == "connection.updated" and data["name"] == shop.name:
        return [{**base, "kind": SETUP, "key": "setup", "payload": {}}]
    return []
