"""Stock on Magento's sources (MSI), written so that open orders count once.

Magento holds an order's goods as a *reservation* on the stock (negative, appended when
the order is placed) and takes them off a source only at shipment, when the reservation
is compensated; the salable quantity is the in-stock quantity of the stock's enabled
sources plus its reservations. tillflow books a web order when it is placed, so its own
figure already lacks those goods. Written as is, the figure would lose them twice (once
in tillflow, once as Magento's reservation); written with the reservations added back,
a placed order changes nothing on the source and a shipment lowers the source by what it
compensates, so the salable quantity is tillflow's figure throughout:

    source quantity = tillflow's available + units reserved by open orders

The stock's reservations are read as the salable quantity less the in-stock quantities of
its enabled sources, and counted against the primary source (where tillflow books web
orders); other sources are written as they are. The out-of-stock threshold is taken as 0.

Magento has no compare-and-set: the figures are read right before a write and the write
is refused (``StaleStock``) when one moved. A shipment landing between that read and the
write is the one change that can slip through; the next push or the reconciler heals it.
Lists are written 20 items a call (Magento's synchronous input limit).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from tillflow.connectors.magento import catalog, search
from tillflow.connectors.magento.client import MagentoClient
from tillflow.connectors.magento.search import Filter
from tillflow.connectors.magento.store import StoreFacts
from tillflow.ports.commerce import Rejected, StaleStock, StockTarget

WRITE_BATCH = 20
READ_BATCH = 100
SOURCE_ITEMS = "/V1/inventory/source-items"


@dataclass(frozen=True)
class Figure:
    """A SKU on a source: what the source holds and what open orders reserve of it."""

    quantity: Decimal
    reserved: Decimal

    @property
    def available(self) -> int:
        return int(self.quantity - self.reserved)


class SourceStock:
    def __init__(self, client: MagentoClient, *, primary_source: str) -> None:
        self._client = client
        self.primary = primary_source

    def read(self, skus: Sequence[str], source: str, facts: StoreFacts) -> dict[str, Figure]:
        """The figures of the SKUs Magento has; a product not assigned to ``source`` yet
        holds nothing there (a write assigns it)."""
        counted = facts.linked_sources & facts.enabled_sources
        primary = source == self.primary
        held = self._source_items(skus, sorted(counted | {source}) if primary else [source])
        quantity = {sku: Decimal(str(item["quantity"]))
                    for (sku, code), item in held.items() if code == source}
        known = set(quantity) | {sku for sku, _ in held}
        known |= {sku for sku in skus if sku not in known and self._exists(sku)}
        if not primary:
            return {sku: Figure(quantity.get(sku, Decimal(0)), Decimal(0)) for sku in known}
        in_stock: dict[str, Decimal] = defaultdict(Decimal)
        for (sku, code), item in held.items():
            if code in counted and int(item.get("status") or 0) == 1:
                in_stock[sku] += Decimal(str(item["quantity"]))
        return {sku: Figure(quantity.get(sku, Decimal(0)),
                            max(Decimal(0), in_stock[sku] - self._salable(sku, facts)))
                for sku in known}

    def write(self, targets: Sequence[StockTarget], facts: StoreFacts) -> None:
        rows: list[dict[str, Any]] = []
        for source in sorted({t.location for t in targets}):
            mine = [t for t in targets if t.location == source]
            now = self.read([t.sku for t in mine], source, facts)
            unknown = [t.sku for t in mine if t.sku not in now]
            if unknown:
                raise Rejected(f"SKU {unknown[0]!r} is not in the Magento catalog (as a "
                               "simple product)")
            if any(t.expected is not None and now[t.sku].available != t.expected for t in mine):
                raise StaleStock("Magento's stock moved since it was read")
            rows += [source_item(t, now[t.sku].reserved) for t in mine]
        for start in range(0, len(rows), WRITE_BATCH):
            self._client.call("POST", SOURCE_ITEMS,
                              json_body={"sourceItems": rows[start:start + WRITE_BATCH]})

    def _source_items(self, skus: Sequence[str], sources: Sequence[str]
                      ) -> dict[tuple[str, str], dict[str, Any]]:
        wanted = {sku.lower(): sku for sku in skus}
        found: dict[tuple[str, str], dict[str, Any]] = {}
        for start in range(0, len(skus), READ_BATCH):
            chunk = list(skus[start:start + READ_BATCH])
            for item in search.every(self._client, SOURCE_ITEMS, search.where(
                    Filter("sku", ",".join(chunk), "in"),
                    Filter("source_code", ",".join(sources), "in")), page_size=search.MAX_PAGE):
                sku = wanted.get(str(item["sku"]).lower())
                if sku is not None:
                    found[(sku, str(item["source_code"]))] = item
        return found

    def _exists(self, sku: str) -> bool:
        found = catalog.find(self._client, sku)
        return found is not None and found.get("type_id") in catalog.STOCKED_TYPES

    def _salable(self, sku: str, facts: StoreFacts) -> Decimal:
        return Decimal(str(self._client.call(
            "GET", f"/V1/inventory/get-product-salable-quantity/{quote(sku, safe='')}/"
                   f"{facts.stock_id}")))


def source_item(target: StockTarget, reserved: Decimal) -> dict[str, Any]:
    """The source item that shows ``target.available`` with ``reserved`` units held."""
    quantity = Decimal(target.available) + reserved
    return {"sku": target.sku, "source_code": target.location, "quantity": quantity,
            "status": 1 if target.available > 0 else 0}
