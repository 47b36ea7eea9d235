"""The commerce port: what the sync engine asks of a web shop, whatever its platform.

A connector implements ``CommerceChannel`` and raises the errors below; the engine never
sees HTTP, GraphQL or a platform's payload shapes. Errors are classified by what the
engine does next: retry later (``Retryable``), try again with fresh figures
(``StaleStock``), give up on the item (``Rejected``), refuse the webhook (``BadWebhook``,
``MalformedWebhook``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable


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
class VariantData:
    """One SKU of a product with options: ``values`` holds its value of each of the
    product's options, in the product's order."""

    sku: str
    price: Decimal
    barcode: str | None
    status: str
    values: tuple[str, ...]
    available: int = 0


@dataclass(frozen=True)
class ProductWithVariants:
    """A product with options, as one product of the shop: ``key`` is tillflow's id of
    it (kept when it is renamed), ``options`` each option's name and values in order, and
    ``variants`` every SKU of it tillflow keeps (one withdrawn from sale is "draft")."""

    key: str
    title: str
    category: str | None
    options: tuple[tuple[str, tuple[str, ...]], ...]
    variants: tuple[VariantData, ...]


@dataclass(frozen=True)
class Upserted:
    external_id: str
    created: bool


@dataclass(frozen=True)
class Refused:
    """A product the shop's bulk API refused, with the shop's reason."""

    reason: str


@dataclass(frozen=True)
class RemoteProduct:
    """One SKU of a shop's product; ``options`` is the variant's value of each of its
    product's options (name, value), in the product's order, when the shop says them."""

    external_id: str
    sku: str
    title: str
    price: Decimal
    barcode: str | None
    status: str
    updated_at: str
    options: tuple[tuple[str, str], ...] = ()


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
    """A line of an order. A web order's line also says what the shop charged for it:
    ``amount`` is the line before discounts as the shop shows it (None: quantity ×
    unit price), ``discount`` what the shop took off this line alone and
    ``order_discount`` its share of the order's discounts and coupons, ``tax`` the tax the
    shop charged on it (None: the shop reported none) at ``tax_rate`` (None: not said)."""

    sku: str
    quantity: int
    unit_price: Decimal
    amount: Decimal | None = None
    discount: Decimal = Decimal(0)
    order_discount: Decimal = Decimal(0)
    tax: Decimal | None = None
    tax_rate: Decimal | None = None


@dataclass(frozen=True)
class Buyer:
    email: str | None
    phone: str | None
    first_name: str | None
    last_name: str | None


SHIPPING = "shipping"
FEE = "fee"


@dataclass(frozen=True)
class Charge:
    """What an order charges besides its goods: shipping (``SHIPPING``) or a fee
    (``FEE``, negative for a fee that takes money off), after its own discounts, as the
    shop shows it (tax included when the order's prices include tax), with its tax."""

    kind: str
    title: str
    amount: Decimal
    tax: Decimal
    tax_rate: Decimal | None = None


@dataclass(frozen=True)
class Payment:
    """How the buyer paid: the shop's name for its payment gateway or method (None: the
    shop names none) and whether the shop holds the money (captured, settled, marked
    paid); an order paid on delivery or by transfer is not paid until the shop says so."""

    gateway: str | None
    paid: bool


@dataclass(frozen=True)
class RefundLine:
    """Units of a SKU a shop refund gives back (0 for money only) and what it refunded
    for them, tax included, and the tax in it."""

    sku: str
    quantity: int
    amount: Decimal
    tax: Decimal


@dataclass(frozen=True)
class RemoteRefund:
    """A refund made in the shop: its lines, what it refunded of shipping and fees (tax
    included) and their tax, and the money it gave back; ``restock`` says whether the
    shop put the refunded units back on sale."""

    external_id: str
    lines: tuple[RefundLine, ...]
    charges: Decimal
    charges_tax: Decimal
    total: Decimal
    restock: bool = False


@dataclass(frozen=True)
class RemoteOrder:
    """A web order as the platform holds it now; ``restocked`` is how many units of each
    SKU the platform put back (cancelled or refunded with restock). ``placed`` is False
    while the order is not a sale yet (unpaid, failed).

    What the shop charged: ``currency``, whether its prices include tax
    (``taxes_included``), the lines' amounts (``OrderLine``), ``charges`` (shipping,
    fees), ``total_tax`` and the order's ``total`` as placed (after discounts, with
    shipping and tax; None: the platform reports no figures), the ``payment`` and the
    shop's ``refunds``."""

    external_id: str
    updated_at: str
    location: str | None
    lines: tuple[OrderLine, ...]
    cancelled: bool
    restocked: Mapping[str, int] = field(default_factory=dict)
    buyer: Buyer | None = None
    placed: bool = True
    source_id: str | None = None
    currency: str | None = None
    taxes_included: bool = False
    charges: tuple[Charge, ...] = ()
    total_tax: Decimal | None = None
    total: Decimal | None = None
    payment: Payment | None = None
    refunds: tuple[RemoteRefund, ...] = ()


@dataclass(frozen=True)
class PosSale:
    """A completed till sale to record in the shop as a paid order that does not move the
    shop's stock (tillflow pushes the stock figure itself). ``source_id`` is unique per
    sale and the same on every try: it is how a retry finds the order an earlier try made."""

    source_id: str
    number: str
    placed_at: str
    currency: str
    total: Decimal
    lines: tuple[OrderLine, ...]
    buyer: Buyer | None = None


@dataclass(frozen=True)
class PosRefund:
    """A till return of a sale pushed as an order, to record on that order as refunded
    lines that move neither money (the till paid it out) nor the shop's stock.
    ``source_id`` is unique per return and the same on every try."""

    source_id: str
    order_id: str
    number: str
    currency: str
    total: Decimal
    lines: tuple[OrderLine, ...]


@dataclass(frozen=True)
class RemoteCustomer:
    external_id: str
    email: str | None
    phone: str | None
    first_name: str | None
    last_name: str | None
    updated_at: str


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


# How the source identifier of an order made from a till sale starts: an order carrying
# it is tillflow's own, seen again, and is never applied as a web order.
SALE_SOURCE = "tillflow-sale-"
RETURN_SOURCE = "tillflow-return-"

ORDER = "order"
CUSTOMER = "customer"
PRODUCT = "product"
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

    def push_sale(self, sale: PosSale) -> str:
        """The shop's order id for ``sale.source_id``, made exactly once: an order already
        carrying the identifier (from a try whose answer was lost) is returned; otherwise
        one is created, paid, without touching the shop's stock, and carrying the
        identifier so ``order()`` reports it as ``RemoteOrder.source_id``."""
        ...

    def product(self, external_id: str) -> list[RemoteProduct]:
        """The product's variants that have a SKU; empty when it is gone."""
        ...

    def upsert_customer(self, customer: Buyer, external_id: str | None) -> Upserted:
        """Update customer ``external_id`` (if still there), else the shop's customer with
        the same email, else the same phone, else create one; None fields are not written."""
        ...

    def customer(self, external_id: str) -> RemoteCustomer | None: ...

    def customer_changes(self, cursor: str | None
                         ) -> tuple[list[RemoteCustomer], str | None]:
        """Customers updated at or after ``cursor`` (an ISO time; None: all) and the next
        cursor, the newest ``updated_at`` seen."""
        ...

    def read_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookMessage: ...

    def budget_used(self) -> float | None:
        """Share (0..1) of the platform's rate budget in use, when it reports one."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class RefundsTillReturns(Protocol):
    """What a channel that can record till returns offers besides ``CommerceChannel``;
    a channel without it leaves returns to reach the shop as stock only."""

    def push_refund(self, refund: PosRefund) -> str:
        """The shop's refund id for ``refund.source_id`` on order ``refund.order_id``,
        made exactly once (an earlier try's refund is found, not repeated)."""
        ...


@runtime_checkable
class UpsertsProductsInBulk(Protocol):
    """What a channel with a bulk API offers for the first push of a large catalog; a
    channel without it gets one product at a time."""

    def upsert_products(self, products: Sequence[ProductData]
                        ) -> Mapping[str, Upserted | Refused]:
        """Create or update ``products`` at once; the shop's id of each SKU it saved, and
        the reason for each it refused (which is not tried again on its own). A SKU
        missing from the answer (not sent, or not saved in time) is pushed again on its
        own."""
        ...


@runtime_checkable
class SellsVariants(Protocol):
    """What a channel whose platform groups variants under a product offers; a channel
    without it gets each SKU as a product of its own."""

    def upsert_variants(self, product: ProductWithVariants) -> Mapping[str, Upserted]:
        """Create or update ``product`` and its variants as one product of the shop (the
        one already holding one of its SKUs, if any); variants of it the shop holds that
        ``product`` no longer lists are removed. The shop's id of each SKU, all the same
        product's; ``created`` for a SKU the shop did not have, which starts with its
        ``available`` figure at the primary location."""
        ...


# A platform's channel, from a connection's settings and opened secrets.
ChannelFactory = Callable[[Mapping[str, Any], Mapping[str, str]], CommerceChannel]
