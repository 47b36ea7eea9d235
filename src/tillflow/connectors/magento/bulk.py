"""The first push of a large catalog through Magento's asynchronous bulk endpoints
(``/rest/all/async/bulk/V1/products``, ``/rest/default/async/bulk/V1/inventory/
source-items``): one request carries hundreds of products, Magento answers at once with a
bulk UUID, and its message-queue consumers (``async.operations.all``) save them.

The connector waits for the bulk's operations, with a deadline: a store whose consumers
do not run leaves them open, and the SKUs not saved by then are left to the ordinary
one-by-one push (a product save is an upsert by SKU, so one saved twice is the same
product). A refused operation leaves its SKU out of the answer too, so that the one-by-one
push names Magento's refusal in a dead letter of its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import structlog

from tillflow.connectors.magento import catalog, search
from tillflow.connectors.magento.client import GLOBAL, MagentoClient
from tillflow.connectors.magento.search import Filter

log = structlog.get_logger("tillflow.magento")

BULK = "/async/bulk"
COMPLETE, OPEN = 1, 4
# Magento's limit on a list input of an asynchronous request is 5,000 entities; a bulk of
# 500 products keeps each request small enough to send and check quickly.
PRODUCTS_PER_BULK = 500
SOURCE_ITEMS_PER_ENTRY = 500


@dataclass(frozen=True)
class BulkWait:
    """How long to wait for a bulk's operations, and how often to look."""

    deadline: float = 120.0
    interval: float = 0.2
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


def save_products(client: MagentoClient, bodies: Sequence[dict[str, Any]],
                  wait: BulkWait) -> set[str]:
    """Save product ``bodies`` in bulks, all sent before any is waited for; the SKUs
    Magento saved."""
    sent = [(bodies[start:start + PRODUCTS_PER_BULK],
             _send(client, "/V1/products", [{"product": body} for body in
                                            bodies[start:start + PRODUCTS_PER_BULK]],
                   store=GLOBAL))
            for start in range(0, len(bodies), PRODUCTS_PER_BULK)]
    saved: set[str] = set()
    for chunk, uuid in sent:
        outcome = _outcome(client, "/V1/products", uuid, wait)
        saved.update(chunk[i]["sku"] for i, status in outcome.items() if status == COMPLETE)
    return saved


def save_source_items(client: MagentoClient, rows: Sequence[dict[str, Any]],
                      wait: BulkWait) -> bool:
    """Write source items in one bulk; True when Magento saved them all."""
    entries = [{"sourceItems": list(rows[start:start + SOURCE_ITEMS_PER_ENTRY])}
               for start in range(0, len(rows), SOURCE_ITEMS_PER_ENTRY)]
    if not entries:
        return True
    path = "/V1/inventory/source-items"
    outcome = _outcome(client, path, _send(client, path, entries, store="default"), wait)
    return len(outcome) == len(entries) and all(s == COMPLETE for s in outcome.values())


def simple_products(client: MagentoClient, *, after_id: int = 0) -> list[dict[str, Any]]:
    """Magento's simple (stocked) products with an id above ``after_id``, by id: the whole
    catalog read in pages, with no list of SKUs for Magento to match."""
    return search.every(client, "/V1/products", search.where(
        Filter("entity_id", str(after_id), "gt"),
        Filter("type_id", ",".join(catalog.STOCKED_TYPES), "in")),
        sort=[("entity_id", "ASC")], page_size=search.MAX_PAGE, store=GLOBAL)


def _send(client: MagentoClient, path: str, entries: list[dict[str, Any]], *,
          store: str) -> str:
    accepted = client.call("POST", path, json_body=entries, store=store, mode=BULK)
    if accepted.get("errors"):
        refused = [i for i in accepted.get("request_items") or []
                   if i.get("status") != "accepted"]
        log.warning("bulk entries refused", path=path, refused=len(refused))
    return str(accepted["bulk_uuid"])


def _outcome(client: MagentoClient, path: str, uuid: str, wait: BulkWait) -> dict[int, int]:
    """Each operation's status once none is open (open ones left out when the deadline
    passes)."""
    started = wait.clock()
    while True:
        status = client.call("GET", f"/V1/bulk/{uuid}/status")
        operations: Sequence[Mapping[str, Any]] = status.get("operations_list") or []
        if operations and all(int(o["status"]) != OPEN for o in operations):
            _log_failures(path, uuid, operations)
            return {int(o["id"]): int(o["status"]) for o in operations}
        if wait.clock() - started > wait.deadline:
            done = {int(o["id"]): int(o["status"]) for o in operations
                    if int(o["status"]) != OPEN}
            log.warning("bulk not finished: are Magento's message-queue consumers running?",
                        path=path, bulk=uuid, open=len(operations) - len(done))
            return done
        wait.sleep(wait.interval)


def _log_failures(path: str, uuid: str, operations: Sequence[Mapping[str, Any]]) -> None:
    failed = [o for o in operations if int(o["status"]) != COMPLETE]
    if failed:
        log.warning("bulk operations failed", path=path, bulk=uuid, failed=len(failed),
                    first=failed[0].get("result_message"))


