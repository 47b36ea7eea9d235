"""The records a simulated shop keeps, shaped so GraphQL fields resolve from their attributes.

Attribute names are the snake_case form of Shopify's field names; the engine's default
resolver maps ``totalPriceSet`` to ``total_price_set``, so most fields need no resolver.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

GID_PREFIX = "gid://shopify/"

QUANTITY_NAMES = (
    "available",
    "committed",
    "damaged",
    "incoming",
    "on_hand",
    "quality_control",
    "reserved",
    "safety_stock",
)
# on_hand is the sum of these states; incoming is stock not yet at the location.
ON_HAND_PARTS = ("available", "committed", "damaged", "quality_control", "reserved", "safety_stock")


def gid(kind: str, number: int) -> str:
    return f"{GID_PREFIX}{kind}/{number}"


def parse_gid(value: object, kind: str) -> int | None:
    """The numeric id inside ``gid://shopify/{kind}/{n}`` (query string ignored), or None."""
    if not isinstance(value, str) or not value.startswith(f"{GID_PREFIX}{kind}/"):
        return None
    tail = value[len(GID_PREFIX) + len(kind) + 1 :].split("?", 1)[0]
    return int(tail) if tail.isdigit() else None


def money_bag(amount: Decimal, currency: str) -> dict[str, Any]:
    money = {"amount": amount, "currencyCode": currency}
    return {"shopMoney": money, "presentmentMoney": dict(money)}


@dataclass(eq=False)
class Record:
    number: int
    created_at: datetime
    updated_at: datetime
    kind: ClassVar[str] = ""

    @property
    def id(self) -> str:
        return gid(self.kind, self.number)

    @property
    def legacy_resource_id(self) -> int:
        return self.number


@dataclass(eq=False)
class Location(Record):
    kind: ClassVar[str] = "Location"
    name: str = ""
    is_active: bool = True
    fulfills_online_orders: bool = True
    address: dict[str, str | None] = field(default_factory=dict)


@dataclass(eq=False)
class InventoryLevel(Record):
    kind: ClassVar[str] = "InventoryLevel"
    item: InventoryItem | None = None
    location: Location | None = None
    quantities: dict[str, int] = field(default_factory=dict)
    can_deactivate: bool = True

    @property
    def id(self) -> str:
        item_number = self.item.number if self.item else 0
        return f"{gid(self.kind, self.number)}?inventory_item_id={item_number}"

    def quantity(self, name: str) -> int:
        if name == "on_hand":
            return sum(self.quantities.get(part, 0) for part in ON_HAND_PARTS)
        return self.quantities.get(name, 0)


@dataclass(eq=False)
class InventoryItem(Record):
    kind: ClassVar[str] = "InventoryItem"
    variant: ProductVariant | None = None
    sku: str | None = None
    tracked: bool = True
    requires_shipping: bool = True
    levels: dict[int, InventoryLevel] = field(default_factory=dict)


@dataclass(eq=False)
class ProductVariant(Record):
    kind: ClassVar[str] = "ProductVariant"
    product: Product | None = None
    inventory_item: InventoryItem | None = None
    title: str = "Default Title"
    barcode: str | None = None
    price: Decimal = Decimal("0.00")
    compare_at_price: Decimal | None = None
    taxable: bool = True
    position: int = 1
    standalone: bool = False

    @property
    def sku(self) -> str | None:
        return self.inventory_item.sku if self.inventory_item else None

    @property
    def display_name(self) -> str:
        product_title = self.product.title if self.product else ""
        return f"{product_title} - {self.title}"

    @property
    def inventory_quantity(self) -> int:
        if self.inventory_item is None:
            return 0
        return sum(level.quantity("available") for level in self.inventory_item.levels.values())


@dataclass(eq=False)
class Product(Record):
    kind: ClassVar[str] = "Product"
    title: str = ""
    handle: str = ""
    status: str = "ACTIVE"
    vendor: str = ""
    product_type: str = ""
    description_html: str = ""
    tags: list[str] = field(default_factory=list)
    variants: list[ProductVariant] = field(default_factory=list)

    @property
    def total_inventory(self) -> int:
        return sum(variant.inventory_quantity for variant in self.variants)

    @property
    def has_only_default_variant(self) -> bool:
        return len(self.variants) == 1 and self.variants[0].standalone

    @property
    def variants_count(self) -> dict[str, Any]:
        return {"count": len(self.variants), "precision": "EXACT"}


@dataclass(eq=False)
class InventoryChange:
    name: str
    delta: int
    quantity_after_change: int
    item: InventoryItem
    location: Location
    ledger_document_uri: str | None = None


@dataclass(eq=False)
class InventoryAdjustmentGroup(Record):
    kind: ClassVar[str] = "InventoryAdjustmentGroup"
    reason: str = ""
    reference_document_uri: str | None = None
    changes: list[InventoryChange] = field(default_factory=list)


@dataclass(eq=False)
class Customer(Record):
    kind: ClassVar[str] = "Customer"
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    number_of_orders: int = 0

    @property
    def display_name(self) -> str:
        name = " ".join(part for part in (self.first_name, self.last_name) if part)
        return name or self.email or self.phone or ""

    @property
    def default_email_address(self) -> dict[str, str] | None:
        return {"emailAddress": self.email} if self.email else None

    @property
    def default_phone_number(self) -> dict[str, str] | None:
        return {"phoneNumber": self.phone} if self.phone else None


@dataclass(eq=False)
class LineItem(Record):
    kind: ClassVar[str] = "LineItem"
    order: Order | None = None
    variant: ProductVariant | None = None
    title: str = ""
    sku: str | None = None
    quantity: int = 0
    price: Decimal = Decimal("0.00")
    refunded_quantity: int = 0
    # Units still held as "committed" at the location (not yet cancelled or restocked).
    committed: int = 0

    @property
    def name(self) -> str:
        return self.title

    @property
    def product(self) -> Product | None:
        return self.variant.product if self.variant else None

    @property
    def current_quantity(self) -> int:
        return self.quantity - self.refunded_quantity

    @property
    def refundable_quantity(self) -> int:
        return self.current_quantity

    def _currency(self) -> str:
        return self.order.currency if self.order else "USD"

    @property
    def original_unit_price_set(self) -> dict[str, Any]:
        return money_bag(self.price, self._currency())

    @property
    def original_total_set(self) -> dict[str, Any]:
        return money_bag(self.price * self.quantity, self._currency())


@dataclass(eq=False)
class RefundLineItem(Record):
    kind: ClassVar[str] = "RefundLineItem"
    line_item: LineItem | None = None
    quantity: int = 0
    restock_type: str = "NO_RESTOCK"
    location: Location | None = None

    @property
    def restocked(self) -> bool:
        return self.restock_type in {"RETURN", "CANCEL", "LEGACY_RESTOCK"}

    @property
    def subtotal(self) -> Decimal:
        return self.line_item.price * self.quantity if self.line_item else Decimal("0.00")

    @property
    def subtotal_set(self) -> dict[str, Any]:
        currency = self.line_item.order.currency if self.line_item and self.line_item.order else ""
        return money_bag(self.subtotal, currency or "USD")


@dataclass(eq=False)
class Refund(Record):
    kind: ClassVar[str] = "Refund"
    order: Order | None = None
    note: str | None = None
    lines: list[RefundLineItem] = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        return sum((line.subtotal for line in self.lines), Decimal("0.00"))

    @property
    def total_refunded_set(self) -> dict[str, Any]:
        return money_bag(self.amount, self.order.currency if self.order else "USD")


@dataclass(eq=False)
class Order(Record):
    kind: ClassVar[str] = "Order"
    order_number: int = 0
    processed_at: datetime | None = None
    email: str | None = None
    phone: str | None = None
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    test: bool = False
    source_name: str | None = "web"
    source_identifier: str | None = None
    financial_status: str = "PAID"
    currency: str = "USD"
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    customer: Customer | None = None
    location: Location | None = None
    line_items: list[LineItem] = field(default_factory=list)
    refunds: list[Refund] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"#{self.order_number}"

    @property
    def currency_code(self) -> str:
        return self.currency

    @property
    def closed(self) -> bool:
        return self.cancelled_at is not None

    @property
    def retail_location(self) -> Location | None:
        return self.location

    @property
    def subtotal(self) -> Decimal:
        return sum((line.price * line.quantity for line in self.line_items), Decimal("0.00"))

    @property
    def refunded(self) -> Decimal:
        return sum((refund.amount for refund in self.refunds), Decimal("0.00"))

    @property
    def display_financial_status(self) -> str:
        if self.refunded and self.refunded >= self.subtotal:
            return "REFUNDED"
        if self.refunded:
            return "PARTIALLY_REFUNDED"
        return self.financial_status

    @property
    def display_fulfillment_status(self) -> str:
        return "UNFULFILLED"

    @property
    def subtotal_price_set(self) -> dict[str, Any]:
        return money_bag(self.subtotal, self.currency)

    @property
    def total_price_set(self) -> dict[str, Any]:
        return money_bag(self.subtotal, self.currency)

    @property
    def current_total_price_set(self) -> dict[str, Any]:
        return money_bag(self.subtotal - self.refunded, self.currency)

    @property
    def total_refunded_set(self) -> dict[str, Any]:
        return money_bag(self.refunded, self.currency)


@dataclass(eq=False)
class WebhookSubscription(Record):
    kind: ClassVar[str] = "WebhookSubscription"
    topic: str = ""
    uri: str = ""
    format: str = "JSON"
    include_fields: list[str] = field(default_factory=list)
    filter: str | None = None
    version_handle: str = "2026-10"

    @property
    def callback_url(self) -> str:
        return self.uri

    @property
    def api_version(self) -> dict[str, Any]:
        return {
            "handle": self.version_handle,
            "displayName": self.version_handle,
            "supported": True,
        }
