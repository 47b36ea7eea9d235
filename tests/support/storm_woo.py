"""The WooCommerce side of the storm: the simulator, or a real WooCommerce, seen through
the same few questions (what it shows of a SKU, which till sales it holds orders for), a
shopper's order, and the faults each can be given."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import httpx

from support.woocommerce_peer import WooShop
from tillflow_simulators.woocommerce import WooCommerceSimulator
from tillflow_simulators.woocommerce.errors import WooError

SALE_META = "tillflow_sale"
# Topics whose webhooks the real shop is given twice, so each change arrives twice.
DOUBLED = ("order.created", "order.updated")


class WooSide(Protocol):
    url: str
    certificate: Path
    auth: tuple[str, str]

    def place_order(self, sku: str) -> None: ...

    def stock(self, sku: str) -> int | None:
        """What the shop offers of ``sku``; None before the product reaches it."""
        ...

    def pushed(self) -> list[str]:
        """The till sales the shop holds an order for, one entry per order."""
        ...

    def order_count(self) -> int: ...

    def stir(self, callback_url: str, secret: str) -> None:
        """Faults for the storm: duplicated and reordered webhooks, refused calls."""
        ...


class SimulatedWoo:
    def __init__(self, sim: WooCommerceSimulator) -> None:
        self.sim = sim
        self.url, self.certificate, self.auth = sim.url, sim.certificate, sim.auth

    def place_order(self, sku: str) -> None:
        self.sim.place_order([(sku, 1)])

    def stock(self, sku: str) -> int | None:
        try:
            return self.sim.stock(sku)
        except WooError:  # not created in the shop yet
            return None

    def pushed(self) -> list[str]:
        with self.sim.state.lock:
            return [str(m.value) for o in self.sim.state.orders.values() for m in o.meta_data
                    if m.key == SALE_META]

    def order_count(self) -> int:
        with self.sim.state.lock:
            return len(self.sim.state.orders)

    def stir(self, callback_url: str, secret: str) -> None:
        self.sim.fail_next(2, status=503)
        self.sim.webhook_faults.duplicate_rate = 0.3
        self.sim.webhook_faults.reorder_rate = 0.3


class RealWoo:
    """A real WooCommerce reached over its REST API; its webhooks are sent by its queue."""

    def __init__(self, shop: WooShop, api: httpx.Client) -> None:
        self.api = api
        self.url, self.certificate = shop.url, shop.certificate
        self.auth = (shop.consumer_key, shop.consumer_secret)

    def place_order(self, sku: str) -> None:
        made = self.api.post("/orders", json={
            "set_paid": True, "billing": {"country": "US"},
            "line_items": [{"sku": sku, "quantity": 1}]})
        assert made.status_code == 201, made.text

    def stock(self, sku: str) -> int | None:
        found = [p["stock_quantity"] for p in self._get("/products", sku=sku)
                 if p["sku"] == sku]
        # WordPress saves a new product before its meta: for a moment it has no figure.
        return int(found[0]) if found and found[0] is not None else None

    def pushed(self) -> list[str]:
        return [str(m["value"]) for o in self._orders() for m in o.get("meta_data") or []
                if m.get("key") == SALE_META]

    def order_count(self) -> int:
        return len(self._orders())

    def stir(self, callback_url: str, secret: str) -> None:
        """A second subscription of each order topic to tillflow: every order change is
        delivered twice, with different delivery ids, in whatever order the queue runs."""
        for topic in DOUBLED:
            made = self.api.post("/webhooks", json={
                "name": f"storm {topic}", "topic": topic, "delivery_url": callback_url,
                "secret": secret, "status": "active"})
            assert made.status_code == 201, made.text

    def _orders(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        page = 1
        while True:
            batch = self._get("/orders", status="any", page=page)
            found += batch
            if len(batch) < 100:
                return found
            page += 1

    def _get(self, path: str, **params: Any) -> list[dict[str, Any]]:
        answer = self.api.get(path, params={"per_page": 100, **params})
        answer.raise_for_status()
        items: list[dict[str, Any]] = answer.json()
        return items


@contextmanager
def real_woo(shop: WooShop) -> Iterator[RealWoo]:
    with shop.client() as api:
        yield RealWoo(shop, api)
