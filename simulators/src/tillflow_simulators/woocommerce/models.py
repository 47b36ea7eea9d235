"""The simulated shop's records, close to WooCommerce's own data objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

PRODUCT_TYPES = ("simple", "grouped", "external", "variable")
PRODUCT_STATUSES = ("draft", "pending", "private", "publish", "future")
STOCK_STATUSES = ("instock", "outofstock", "onbackorder")
BACKORDERS = ("no", "notify", "yes")
ORDER_STATUSES = (
    "auto-draft",
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
    "checkout-draft",
)
WEBHOOK_STATUSES = ("active", "paused", "disabled")


@dataclass
class Meta:
    id: int
    key: str
    value: Any


@dataclass
class Stocked:
    """Fields a simple product and a variation share."""

    id: int
    sku: str = ""
    global_unique_id: str = ""
    regular_price: str = ""
    sale_price: str = ""
    manage_stock: bool = False
    stock_quantity: int | None = None
    stock_status: str = "instock"
    backorders: str = "no"
    status: str = "publish"
    description: str = ""
    virtual: bool = False
    downloadable: bool = False
    meta_data: list[Meta] = field(default_factory=list)
    date_created: datetime | None = None
    date_modified: datetime | None = None

    @property
    def price(self) -> str:
        return self.sale_price or self.regular_price

    @property
    def needs_processing(self) -> bool:
        """``WC_Order::needs_processing``: anything but a virtual download is shipped."""
        return not (self.virtual and self.downloadable)


@dataclass
class Product(Stocked):
    name: str = ""
    slug: str = ""
    type: str = "simple"
    short_description: str = ""
    attributes: list[dict[str, Any]] = field(default_factory=list)
    variation_ids: list[int] = field(default_factory=list)
    total_sales: int = 0
    previous_status: str = "publish"


@dataclass
class Variation(Stocked):
    parent_id: int = 0
    attributes: list[dict[str, Any]] = field(default_factory=list)
    menu_order: int = 0
    previous_status: str = "publish"


@dataclass
class LineItem:
    """An order line; ``product_id`` 0 when WooCommerce found no product for it."""

    id: int
    name: str
    product_id: int
    variation_id: int
    quantity: int
    subtotal: Decimal
    total: Decimal
    sku: str | None
    parent_name: str | None = None
    reduced_stock: int = 0
    needs_processing: bool = True
    meta_data: list[Meta] = field(default_factory=list)
    subtotal_tax: Decimal = Decimal(0)
    total_tax: Decimal = Decimal(0)


@dataclass
class ShippingLine:
    id: int
    method_id: str
    method_title: str
    total: Decimal
    total_tax: Decimal = Decimal(0)


@dataclass
class FeeLine:
    id: int
    name: str
    total: Decimal
    total_tax: Decimal = Decimal(0)


@dataclass
class CouponLine:
    id: int
    code: str
    discount_type: str
    nominal_amount: Decimal
    discount: Decimal = Decimal(0)
    discount_tax: Decimal = Decimal(0)


@dataclass
class RefundLine:
    """A refunded order item (a product line, or shipping when ``shipping``)."""

    id: int
    refunded_item_id: int
    quantity: int
    total: Decimal
    total_tax: Decimal = Decimal(0)
    shipping: bool = False


@dataclass
class Refund:
    id: int
    amount: Decimal
    reason: str
    refunded_payment: bool
    date_created: datetime
    line_items: list[RefundLine] = field(default_factory=list)
    meta_data: list[Meta] = field(default_factory=list)


@dataclass
class Order:
    id: int
    order_key: str
    status: str
    currency: str
    created_via: str
    date_created: datetime
    date_modified: datetime
    customer_id: int = 0
    billing: dict[str, str] = field(default_factory=dict)
    shipping: dict[str, str] = field(default_factory=dict)
    payment_method: str = ""
    payment_method_title: str = ""
    transaction_id: str = ""
    customer_note: str = ""
    line_items: list[LineItem] = field(default_factory=list)
    shipping_lines: list[ShippingLine] = field(default_factory=list)
    fee_lines: list[FeeLine] = field(default_factory=list)
    coupon_lines: list[CouponLine] = field(default_factory=list)
    refunds: list[Refund] = field(default_factory=list)
    meta_data: list[Meta] = field(default_factory=list)
    date_paid: datetime | None = None
    date_completed: datetime | None = None
    stock_reduced: bool = False
    previous_status: str = "pending"
    prices_include_tax: bool = False
    # (rate id, percent) of the tax the order was charged, when it was.
    tax_rate: tuple[int, Decimal] | None = None

    @property
    def total_tax(self) -> Decimal:
        return (sum((line.total_tax for line in self.line_items), Decimal(0))
                + sum((line.total_tax for line in self.shipping_lines), Decimal(0))
                + sum((line.total_tax for line in self.fee_lines), Decimal(0)))

    @property
    def total(self) -> Decimal:
        return (sum((line.total for line in self.line_items), Decimal(0))
                + sum((line.total for line in self.shipping_lines), Decimal(0))
                + sum((line.total for line in self.fee_lines), Decimal(0))
                + self.total_tax)

    @property
    def refunded(self) -> Decimal:
        return sum((refund.amount for refund in self.refunds), Decimal(0))


@dataclass
class Customer:
    """A WordPress user; ``date_modified`` is None until WooCommerce first saves it."""

    id: int
    email: str
    username: str
    date_created: datetime
    date_modified: datetime | None
    first_name: str = ""
    last_name: str = ""
    role: str = "customer"
    billing: dict[str, str] = field(default_factory=dict)
    shipping: dict[str, str] = field(default_factory=dict)
    meta_data: list[Meta] = field(default_factory=list)
    is_paying_customer: bool = False


@dataclass
class Webhook:
    id: int
    name: str
    status: str
    topic: str
    delivery_url: str
    secret: str
    date_created: datetime
    date_modified: datetime
    failure_count: int = 0

    @property
    def resource(self) -> str:
        return self.topic.split(".", 1)[0]

    @property
    def event(self) -> str:
        parts = self.topic.split(".", 1)
        return parts[1] if len(parts) > 1 else ""


BILLING_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "address_1",
    "address_2",
    "city",
    "state",
    "postcode",
    "country",
    "email",
    "phone",
)
SHIPPING_FIELDS = tuple(name for name in BILLING_FIELDS if name != "email")
