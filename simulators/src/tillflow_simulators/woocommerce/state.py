"""The shop's state: records, id sequences, the clock and the change listeners.

Every read or change of the state holds ``lock``: the server's event loop and a test's
thread both work on it. Changes are announced to listeners (the webhook layer) as
``ShopEvent``s carrying the resource as the API showed it at that moment.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tillflow_simulators.woocommerce.models import (
    Customer,
    Order,
    Product,
    Variation,
    Webhook,
)
from tillflow_simulators.woocommerce.wcformat import to_second

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ShopEvent:
    resource: str
    event: str
    resource_id: int
    payload: dict[str, Any]


@dataclass
class ShopSettings:
    """The shop's own settings. The time zone is the site's (WordPress shows every date
    in it and in GMT; most shops are not on GMT). ``manage_stock`` is WooCommerce's
    shop-wide stock management."""

    currency: str = "USD"
    timezone: str = "America/Los_Angeles"
    manage_stock: bool = True
    restock_on_cancel: bool = True
    max_webhook_failures: int = 5
    # One standard tax rate (percent; 0: the shop charges no tax), on shipping too, and
    # whether catalog prices include it (``woocommerce_prices_include_tax``).
    tax_percent: Decimal = Decimal(0)
    prices_include_tax: bool = False


@dataclass
class ShopState:
    site_url: str = "http://127.0.0.1"
    clock: Clock = utc_now
    settings: ShopSettings = field(default_factory=ShopSettings)
    products: dict[int, Product] = field(default_factory=dict)
    variations: dict[int, Variation] = field(default_factory=dict)
    orders: dict[int, Order] = field(default_factory=dict)
    customers: dict[int, Customer] = field(default_factory=dict)
    webhooks: dict[int, Webhook] = field(default_factory=dict)
    listeners: list[Callable[[ShopEvent], None]] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)
    # Products, variations, orders and refunds are all WordPress posts: one sequence.
    _post_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(10))
    _other_ids: dict[str, itertools.count[int]] = field(default_factory=dict)

    def now(self) -> datetime:
        return to_second(self.clock())

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    def next_post_id(self) -> int:
        return next(self._post_ids)

    def next_id(self, sequence: str) -> int:
        """Ids of records kept outside the posts table (users, order items, meta, ...)."""
        return next(self._other_ids.setdefault(sequence, itertools.count(1)))

    def emit(self, event: ShopEvent) -> None:
        for listener in list(self.listeners):
            listener(event)

    @property
    def api_root(self) -> str:
        return f"{self.site_url}/wp-json/wc/v3"

    def stocked_by_sku(self, sku: str) -> Product | Variation | None:
        records: list[Product | Variation] = [*self.products.values(), *self.variations.values()]
        return next((r for r in records if r.sku == sku and r.status != "trash"), None)
