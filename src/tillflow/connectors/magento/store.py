"""What a connection learns once about its store: the website it sells on, that website's
stock (MSI) and the sources linked to it. Read on first use and kept for the channel's
life (a connection's change rebuilds the channel)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from tillflow.connectors.magento import search
from tillflow.connectors.magento.client import MagentoClient, NotFound
from tillflow.connectors.magento.search import Filter
from tillflow.ports.commerce import Rejected


@dataclass(frozen=True)
class StoreFacts:
    website_id: int
    stock_id: int
    linked_sources: frozenset[str]
    enabled_sources: frozenset[str]


class StoreLayout:
    def __init__(self, client: MagentoClient, *, website: str) -> None:
        self._client, self._website = client, website
        self._facts: StoreFacts | None = None
        self._lock = threading.Lock()

    def facts(self) -> StoreFacts:
        with self._lock:
            if self._facts is None:
                self._facts = self._read()
            return self._facts

    def _read(self) -> StoreFacts:
        websites = self._client.call("GET", "/V1/store/websites")
        found = next((w for w in websites if w.get("code") == self._website), None)
        if found is None:
            raise Rejected(f"Magento has no website with the code {self._website!r} "
                           "(settings.website)")
        try:
            stock = self._client.call(
                "GET", f"/V1/inventory/stock-resolver/website/{self._website}")
        except NotFound as exc:
            raise Rejected(f"no MSI stock sells on website {self._website!r}: {exc}") from exc
        stock_id = int(stock["stock_id"])
        links = search.every(self._client, "/V1/inventory/stock-source-links",
                             search.where(Filter("stock_id", str(stock_id))))
        sources = search.every(self._client, "/V1/inventory/sources")
        return StoreFacts(
            website_id=int(found["id"]), stock_id=stock_id,
            linked_sources=frozenset(str(link["source_code"]) for link in links),
            enabled_sources=frozenset(str(s["source_code"]) for s in sources
                                      if s.get("enabled", True)))
