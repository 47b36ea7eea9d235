"""The state of one simulated store, seeded as a freshly installed Open Source store is.

A new store has the ``base`` website, the ``Main Website Store`` group and the ``default``
store view; the ``default`` source and the ``Default Stock`` (id 1) selling on ``base``;
flat-rate shipping (5.00 per item) and check / money order enabled; USD as its currency.
Every service works under ``lock``; the HTTP server and a test's thread share it.
"""

from __future__ import annotations

import itertools
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from tillflow_simulators.magento import attributes
from tillflow_simulators.magento.model import (
    Attribute,
    AttributeSet,
    Bulk,
    Cart,
    Customer,
    Order,
    Product,
    Reservation,
    Source,
    SourceItem,
    Stock,
    StockSourceLink,
)
from tillflow_simulators.magento.schema import DEFAULT_VERSION

Clock = Callable[[], datetime]

DEFAULT_SOURCE = "default"
DEFAULT_STOCK_ID = 1
BASE_WEBSITE = "base"
CURRENCY = "USD"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class StoreSettings:
    """What an administrator could change in a store's configuration."""

    version: str = DEFAULT_VERSION
    # Stores > Configuration > Services > Web API Input Limits (off in a new store).
    input_limits: bool = False
    list_limit: int = 20
    # The limit on a list input of an asynchronous (and bulk) request.
    async_list_limit: int = 5000
    max_page_size: int = 300
    default_page_size: int = 20
    # Sales > Delivery Methods > Flat Rate: per item.
    flat_rate: Decimal = Decimal("5.00")


class MagentoStore:
    def __init__(self, *, settings: StoreSettings | None = None, clock: Clock = utc_now) -> None:
        self.settings = settings or StoreSettings()
        self.clock = clock
        self.lock = threading.RLock()
        self.products: dict[str, Product] = {}  # by SKU folded to lower case
        self.attributes: dict[str, Attribute]  # by code
        self.attribute_sets: dict[int, AttributeSet]
        self.attributes, self.attribute_sets = attributes.seeded()
        self.sources: dict[str, Source] = {DEFAULT_SOURCE: Source(DEFAULT_SOURCE, "Default Source")}
        self.stocks: dict[int, Stock] = {
            DEFAULT_STOCK_ID: Stock(DEFAULT_STOCK_ID, "Default Stock", [("website", BASE_WEBSITE)])
        }
        self.links: list[StockSourceLink] = [StockSourceLink(DEFAULT_STOCK_ID, DEFAULT_SOURCE, 1)]
        self.source_items: dict[tuple[str, str], SourceItem] = {}
        self.reservations: list[Reservation] = []
        self.carts: dict[int, Cart] = {}
        self.masked_carts: dict[str, int] = {}
        self.orders: dict[int, Order] = {}
        self.customers: dict[int, Customer] = {}
        self.bulks: dict[str, Bulk] = {}
        self._counters: dict[str, itertools.count[int]] = {}

    def next_id(self, kind: str) -> int:
        counter = self._counters.setdefault(kind, itertools.count(1))
        return next(counter)

    def increment_id(self, kind: str) -> str:
        """Order, invoice, shipment and credit memo numbers: nine digits per store view."""
        return f"{self.next_id(kind + '-increment'):09d}"

    def now(self) -> str:
        return self.clock().astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")

    def mask(self) -> str:
        return secrets.token_urlsafe(24)[:32]

    def product(self, sku: str) -> Product | None:
        return self.products.get(sku.lower())
