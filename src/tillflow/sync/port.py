"""The commerce port: what the sync engine asks of a web shop, whatever its platform.

A connector implements ``CommerceChannel`` and raises the errors below; the engine never
sees HTTP, GraphQL or a platform's payload shapes. Errors are classified by what the
engine does next: retry later (``Retryable``), try again with fresh figures
(``StaleStock``), give up on the item (``Rejected``), refuse the webhook (``BadWebhook``,
``MalformedWebhook``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol


class ChannelError(Exception):
    """Root of every error a commerce channel raises."""


class Retryable(ChannelError):
    """A transient failure: timeouts, 5xx, 429 and throttling. ``retry_after`` in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StaleStock(ChannelError):
    """The platform's stock moved since it was read: the compare-and-set did not apply."""


class Rejected(ChannelError):
    """The platform refused the item for good (validation, unknown SKU, auth)."""


class BadWebhook(ChannelError):
    """A webhook that must not be applied: its signature does not verify."""


class MalformedWebhook(BadWebhook):
    """A correctly signed webhook whose body or headers cannot be read."""


@dataclass(frozen=True)
class ProductData:
    """The fields tillflow owns and pushes; ``status`` is "active" or "draft".
    ``available`` is the stock a product is created with at the primary location."""

    sku: str
    title: str
    price: Decimal
    barcode: str | None
    status: str
    available: int = 0


@dataclass(frozen=True)
class Upserted:
    external_id: str
    created: bool


@dataclass(frozen=True)
class RemoteProduct:
    external_id: str
    sku: str
    title: str
    price: Decimal
    barcode: str | None
    status: str
    updated_at: str


@dataclass(frozen=True)
class StockTarget:
    """Make ``sku`` show ``available`` at the platform location, if it still shows
    ``expected`` (the compare-and-set; None sets it whatever it shows)."""

    sku: str
    location: str
    available: int
    expected: int | None


@dataclass(frozen=True)
class OrderLine:
    sku: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class Buyer:
    email: str | None
    phone: str | None
    first_name: str | None
    last_name: str | None


@dataclass(frozen=True)
class RemoteOrder:
    """A web order as the platform holds it now; ``restocked`` is how many units of each
    SKU the platform put back (cancelled or refunded with restock). ``placed`` is False
    while the order is not a sale yet (unpaid, failed)."""

    external_id: str
    updated_at: str
    location: str | None
    lines: tuple[OrderLine, ...]
    cancelled: bool
    restocked: Mapping[str, int] = field(default_factory=dict)
    buyer: Buyer | None = None
    placed: bool = True


@dataclass(frozen=True)
class WebhookMessage:
    """A verified webhook: ``delivery_id`` deduplicates, ``kind`` says what changed."""

    delivery_id: str
    topic: str
    kind: str
    external_id: str | None


@dataclass(frozen=True)
class OrderRef:
    """An order and when the platform last changed it: enough to tell whether it needs
    fetching again."""

    external_id: str
    updated_at: str


@dataclass(frozen=True)
class OrderPage:
    changes: list[OrderRef]
    cursor: str | None


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    problems: list[str]
    webhooks: list[str]


ORDER = "order"
IGNORED = "ignored"
PING = "ping"


class CommerceChannel(Protocol):
    """A connection to one web shop. Every call has its own timeout."""

    @property
    def primary_location(self) -> str: ...

    def ensure_webhooks(self, callback_url: str) -> list[str]: ...

    def check(self, callback_url: str) -> CheckResult: ...

    def stock(self, skus: Sequence[str], location: str) -> dict[str, int]: ...

    def set_stock(self, targets: Sequence[StockTarget], *, idempotency_key: str) -> None: ...

    def upsert_product(self, product: ProductData) -> Upserted: ...

    def products(self, cursor: str | None) -> tuple[list[RemoteProduct], str | None]: ...

    def order(self, external_id: str) -> RemoteOrder | None: ...

    def order_changes(self, cursor: str | None) -> OrderPage: ...

    def read_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookMessage: ...

    def budget_used(self) -> float | None:
        """Share (0..1) of the platform's rate budget in use, when it reports one."""
        ...

    def close(self) -> None: ...


class ChannelFactory(Protocol):
    def __call__(self, settings: Mapping[str, object], secrets: Mapping[str, str]
                 ) -> CommerceChannel: ...
