"""The records a simulated shop keeps, shaped so GraphQL fields resolve from their attributes.

Attribute names are the snake_case form of Shopify's field names; the engine's default
resolver maps ``totalPriceSet`` to ``total_price_set``, so most fields need no resolver.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
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
    # Each option's value, in the product's option order: ``{"name", "value"}``.
    selected_options: list[dict[str, str]] = field(default_factory=list)

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


# What Shopify shows of a product without options: one option, "Title", of one value,
# "Default Title", which its one variant takes (``Product.hasOnlyDefaultVariant``).
DEFAULT_OPTION, DEFAULT_VALUE = "Title", "Default Title"


@dataclass(eq=False)
class ProductOption(Record):
    kind: ClassVar[str] = "ProductOption"
    name: str = ""
    position: int = 1
    values: list[str] = field(default_factory=list)


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
    options: list[ProductOption] = field(default_factory=list)

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


CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(value: Decimal) -> Decimal:
    """Shopify's money rounding: half up to the cent."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def tax_lines(amount: Decimal, rate: Decimal, currency: str, title: str) -> list[dict[str, Any]]:
    if not rate:
        return []
    return [{"priceSet": money_bag(amount, currency), "rate": float(rate),
             "ratePercentage": float(rate * 100), "title": title, "source": "Shopify",
             "channelLiable": False}]


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
    # (discount application, amount) pairs: this line's share of each discount.
    discounts: list[tuple[dict[str, Any], Decimal]] = field(default_factory=list)
    tax: Decimal = ZERO
    tax_rate: Decimal = ZERO

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

    @property
    def taxable(self) -> bool:
        return bool(self.tax_rate)

    def _currency(self) -> str:
        return self.order.currency if self.order else "USD"

    @property
    def original_unit_price_set(self) -> dict[str, Any]:
        return money_bag(self.price, self._currency())

    @property
    def original_total_set(self) -> dict[str, Any]:
        return money_bag(self.price * self.quantity, self._currency())

    @property
    def total_discount(self) -> Decimal:
        return sum((amount for _, amount in self.discounts), ZERO)

    @property
    def discounted(self) -> Decimal:
        """The line after every discount, as priced (tax included in a tax-inclusive shop)."""
        return self.price * self.quantity - self.total_discount

    @property
    def total_discount_set(self) -> dict[str, Any]:
        return money_bag(self.total_discount, self._currency())

    @property
    def discount_allocations(self) -> list[dict[str, Any]]:
        return [{"allocatedAmountSet": money_bag(amount, self._currency()),
                 "discountApplication": application}
                for application, amount in self.discounts]

    @property
    def tax_lines(self) -> list[dict[str, Any]]:
        return tax_lines(self.tax, self.tax_rate, self._currency(), "Sales tax")


@dataclass(eq=False)
class ShippingLine(Record):
    kind: ClassVar[str] = "ShippingLine"
    order: Order | None = None
    title: str = "Standard"
    price: Decimal = ZERO
    discount: Decimal = ZERO
    tax: Decimal = ZERO
    tax_rate: Decimal = ZERO
    custom: bool = False
    is_removed: bool = False
    code: str | None = "Standard"
    source: str | None = "shopify"
    carrier_identifier: str | None = None

    def _currency(self) -> str:
        return self.order.currency if self.order else "USD"

    @property
    def discounted(self) -> Decimal:
        return self.price - self.discount

    @property
    def original_price_set(self) -> dict[str, Any]:
        return money_bag(self.price, self._currency())

    @property
    def discounted_price_set(self) -> dict[str, Any]:
        return money_bag(self.discounted, self._currency())

    @property
    def current_discounted_price_set(self) -> dict[str, Any]:
        return self.discounted_price_set

    @property
    def discount_allocations(self) -> list[dict[str, Any]]:
        return []

    @property
    def tax_lines(self) -> list[dict[str, Any]]:
        return tax_lines(self.tax, self.tax_rate, self._currency(), "Shipping tax")


@dataclass(eq=False)
class OrderTransaction(Record):
    kind: ClassVar[str] = "OrderTransaction"
    order: Order | None = None
    gateway: str | None = None
    transaction_kind: str = "SALE"
    status: str = "SUCCESS"
    amount: Decimal = ZERO
    test: bool = False

    @property
    def amount_set(self) -> dict[str, Any]:
        return money_bag(self.amount, self.order.currency if self.order else "USD")

    @property
    def formatted_gateway(self) -> str | None:
        return self.gateway

    @property
    def processed_at(self) -> datetime:
        return self.created_at

    @property
    def manual_payment_gateway(self) -> bool:
        return self.gateway in MANUAL_GATEWAYS


# Shopify's manual payment methods: the merchant marks such an order paid.
MANUAL_GATEWAYS = frozenset({"manual", "Cash on Delivery (COD)", "Bank Deposit",
                             "Money Order"})


@dataclass(eq=False)
class RefundLineItem(Record):
    kind: ClassVar[str] = "RefundLineItem"
    line_item: LineItem | None = None
    quantity: int = 0
    restock_type: str = "NO_RESTOCK"
    location: Location | None = None
    # What this refund line gives back of the line's discounted amount, and of its tax.
    subtotal: Decimal = ZERO
    tax: Decimal = ZERO

    def _currency(self) -> str:
        order = self.line_item.order if self.line_item else None
        return order.currency if order else "USD"

    @property
    def restocked(self) -> bool:
        return self.restock_type in {"RETURN", "CANCEL", "LEGACY_RESTOCK"}

    @property
    def subtotal_set(self) -> dict[str, Any]:
        return money_bag(self.subtotal, self._currency())

    @property
    def total_tax_set(self) -> dict[str, Any]:
        return money_bag(self.tax, self._currency())

    @property
    def price_set(self) -> dict[str, Any]:
        price = self.line_item.price if self.line_item else ZERO
        return money_bag(price, self._currency())


@dataclass(eq=False)
class RefundShippingLine(Record):
    kind: ClassVar[str] = "RefundShippingLine"
    shipping_line: ShippingLine | None = None
    subtotal: Decimal = ZERO
    tax: Decimal = ZERO

    def _currency(self) -> str:
        order = self.shipping_line.order if self.shipping_line else None
        return order.currency if order else "USD"

    @property
    def subtotal_amount_set(self) -> dict[str, Any]:
        return money_bag(self.subtotal, self._currency())

    @property
    def tax_amount_set(self) -> dict[str, Any]:
        return money_bag(self.tax, self._currency())


@dataclass(eq=False)
class Refund(Record):
    kind: ClassVar[str] = "Refund"
    order: Order | None = None
    note: str | None = None
    lines: list[RefundLineItem] = field(default_factory=list)
    shipping: list[RefundShippingLine] = field(default_factory=list)
    # The money given back (refund transactions); a refund without them moves no money.
    amount: Decimal = ZERO

    @property
    def total_refunded_set(self) -> dict[str, Any]:
        return money_bag(self.amount, self.order.currency if self.order else "USD")

    @property
    def processed_at(self) -> datetime:
        return self.created_at


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
    taxes_included: bool = False
    discount_applications: list[dict[str, Any]] = field(default_factory=list)
    shipping_lines: list[ShippingLine] = field(default_factory=list)
    transactions: list[OrderTransaction] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"#{self.order_number}"

    @property
    def currency_code(self) -> str:
        return self.currency

    @property
    def presentment_currency_code(self) -> str:
        return self.currency

    @property
    def closed(self) -> bool:
        return self.cancelled_at is not None

    @property
    def retail_location(self) -> Location | None:
        return self.location

    @property
    def discount_codes(self) -> list[str]:
        return [a["code"] for a in self.discount_applications if a.get("code")]

    @property
    def discount_code(self) -> str | None:
        codes = self.discount_codes
        return codes[0] if codes else None

    @property
    def payment_gateway_names(self) -> list[str]:
        names: list[str] = []
        for transaction in self.transactions:
            if transaction.gateway and transaction.gateway not in names:
                names.append(transaction.gateway)
        return names

    @property
    def subtotal(self) -> Decimal:
        """The lines after their discounts (tax included in a tax-inclusive shop)."""
        return sum((line.discounted for line in self.line_items), ZERO)

    @property
    def total_tax(self) -> Decimal:
        return (sum((line.tax for line in self.line_items), ZERO)
                + sum((line.tax for line in self.shipping_lines), ZERO))

    @property
    def shipping(self) -> Decimal:
        return sum((line.discounted for line in self.shipping_lines), ZERO)

    @property
    def total(self) -> Decimal:
        added = ZERO if self.taxes_included else self.total_tax
        return self.subtotal + self.shipping + added

    @property
    def refunded(self) -> Decimal:
        return sum((refund.amount for refund in self.refunds), ZERO)

    @property
    def received(self) -> Decimal:
        return sum((t.amount for t in self.transactions
                    if t.transaction_kind in ("SALE", "CAPTURE") and t.status == "SUCCESS"),
                   ZERO)

    @property
    def display_financial_status(self) -> str:
        if self.refunded and self.refunded >= self.total:
            return "REFUNDED"
        if self.refunded:
            return "PARTIALLY_REFUNDED"
        return self.financial_status

    @property
    def fully_paid(self) -> bool:
        return self.display_financial_status in ("PAID", "PARTIALLY_REFUNDED", "REFUNDED")

    @property
    def unpaid(self) -> bool:
        return not self.fully_paid

    @property
    def can_mark_as_paid(self) -> bool:
        return self.financial_status in ("PENDING", "PARTIALLY_PAID") and not self.cancelled_at

    @property
    def display_fulfillment_status(self) -> str:
        return "UNFULFILLED"

    @property
    def subtotal_price_set(self) -> dict[str, Any]:
        return money_bag(self.subtotal, self.currency)

    @property
    def current_subtotal_price_set(self) -> dict[str, Any]:
        return money_bag(self.subtotal, self.currency)

    @property
    def total_discounts_set(self) -> dict[str, Any]:
        return money_bag(sum((line.total_discount for line in self.line_items), ZERO),
                         self.currency)

    @property
    def current_total_discounts_set(self) -> dict[str, Any]:
        return self.total_discounts_set

    @property
    def total_shipping_price_set(self) -> dict[str, Any]:
        return money_bag(self.shipping, self.currency)

    @property
    def current_shipping_price_set(self) -> dict[str, Any]:
        return self.total_shipping_price_set

    @property
    def total_tax_set(self) -> dict[str, Any]:
        return money_bag(self.total_tax, self.currency)

    @property
    def current_total_tax_set(self) -> dict[str, Any]:
        return self.total_tax_set

    @property
    def tax_lines(self) -> list[dict[str, Any]]:
        """The order's taxes, one line per rate."""
        by_rate: dict[Decimal, Decimal] = {}
        taxed: list[LineItem | ShippingLine] = [*self.line_items, *self.shipping_lines]
        for line in taxed:
            if line.tax_rate:
                by_rate[line.tax_rate] = by_rate.get(line.tax_rate, ZERO) + line.tax
        return [item for rate, amount in sorted(by_rate.items())
                for item in tax_lines(amount, rate, self.currency, "Sales tax")]

    @property
    def current_tax_lines(self) -> list[dict[str, Any]]:
        return self.tax_lines

    @property
    def total_price_set(self) -> dict[str, Any]:
        return money_bag(self.total, self.currency)

    @property
    def original_total_price_set(self) -> dict[str, Any]:
        return self.total_price_set

    @property
    def current_total_price_set(self) -> dict[str, Any]:
        return money_bag(self.total - self.refunded, self.currency)

    @property
    def total_received_set(self) -> dict[str, Any]:
        return money_bag(self.received, self.currency)

    @property
    def total_outstanding_set(self) -> dict[str, Any]:
        owed = ZERO if self.fully_paid else self.total - self.received
        return money_bag(max(owed, ZERO), self.currency)

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
