"""The entities a simulated store keeps. Quantities and amounts are Decimal; times are the
store's UTC ``YYYY-MM-DD HH:MM:SS`` strings, which sort as they compare."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

ZERO = Decimal(0)


@dataclass
class Product:
    id: int
    sku: str
    name: str
    price: Decimal
    created_at: str
    updated_at: str
    type_id: str = "simple"
    status: int = 1
    visibility: int = 4
    attribute_set_id: int = 4
    weight: Decimal | None = None
    website_ids: list[int] = field(default_factory=lambda: [1])
    custom_attributes: dict[str, Any] = field(default_factory=dict)
    children: list[str] = field(default_factory=list)  # a configurable product's simple SKUs
    # A configurable product's attributes: option id by attribute id, in position order.
    super_attributes: dict[int, ConfigurableOption] = field(default_factory=dict)


@dataclass
class AttributeOption:
    option_id: int
    label: str
    sort_order: int = 0


@dataclass
class Attribute:
    """A product (EAV) attribute; ``options`` for a select."""

    attribute_id: int
    attribute_code: str
    label: str
    frontend_input: str = "text"
    backend_type: str = "varchar"
    scope: str = "global"
    is_user_defined: bool = True
    is_required: bool = False
    options: list[AttributeOption] = field(default_factory=list)


@dataclass
class AttributeGroup:
    attribute_group_id: int
    attribute_group_name: str
    attribute_set_id: int


@dataclass
class AttributeSet:
    attribute_set_id: int
    attribute_set_name: str
    groups: list[AttributeGroup]
    attributes: dict[str, int] = field(default_factory=dict)  # code: group id


@dataclass
class ConfigurableOption:
    """An attribute a configurable product's children differ by."""

    id: int
    attribute_id: int
    label: str
    position: int
    values: list[int]  # the attribute's option ids, as last saved


@dataclass
class Source:
    source_code: str
    name: str
    enabled: bool = True
    country_id: str = "US"
    postcode: str = "00000"
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Stock:
    stock_id: int
    name: str
    sales_channels: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SourceItem:
    sku: str
    source_code: str
    quantity: Decimal
    status: int


@dataclass
class StockSourceLink:
    stock_id: int
    source_code: str
    priority: int


@dataclass(frozen=True)
class Reservation:
    """An append-only correction of a stock's salable quantity (negative: held)."""

    reservation_id: int
    stock_id: int
    sku: str
    quantity: Decimal
    metadata: dict[str, Any]


@dataclass
class CartItem:
    item_id: int
    sku: str
    qty: Decimal
    name: str
    price: Decimal
    product_type: str


@dataclass
class Cart:
    id: int
    masked_id: str
    created_at: str
    updated_at: str
    store_id: int = 1
    items: list[CartItem] = field(default_factory=list)
    is_active: bool = True
    email: str | None = None
    shipping_address: dict[str, Any] | None = None
    billing_address: dict[str, Any] | None = None
    shipping_method: tuple[str, str] | None = None  # carrier code, method code
    payment_method: str | None = None
    reserved_order_id: str | None = None


@dataclass
class OrderItem:
    item_id: int
    sku: str
    name: str
    product_id: int
    product_type: str
    price: Decimal
    qty_ordered: Decimal
    created_at: str
    quote_item_id: int
    qty_invoiced: Decimal = ZERO
    qty_shipped: Decimal = ZERO
    qty_refunded: Decimal = ZERO
    qty_canceled: Decimal = ZERO

    @property
    def row_total(self) -> Decimal:
        return self.price * self.qty_ordered

    @property
    def qty_to_ship(self) -> Decimal:
        return self.qty_ordered - self.qty_shipped - self.qty_refunded - self.qty_canceled

    @property
    def qty_to_invoice(self) -> Decimal:
        return self.qty_ordered - self.qty_invoiced - self.qty_canceled

    @property
    def qty_to_refund(self) -> Decimal:
        return self.qty_invoiced - self.qty_refunded


@dataclass
class Comment:
    entity_id: int
    parent_id: int
    comment: str
    created_at: str
    status: str | None = None
    is_customer_notified: int = 0
    is_visible_on_front: int = 0


@dataclass
class DocumentItem:
    """One line of an invoice, a shipment or a credit memo."""

    entity_id: int
    order_item_id: int
    sku: str
    name: str
    product_id: int
    price: Decimal
    qty: Decimal

    @property
    def row_total(self) -> Decimal:
        return self.price * self.qty


@dataclass
class Document:
    """An invoice, a shipment or a credit memo of an order."""

    entity_id: int
    increment_id: str
    order_id: int
    created_at: str
    items: list[DocumentItem]
    state: int = 0
    shipping_amount: Decimal = ZERO
    adjustment_positive: Decimal = ZERO
    adjustment_negative: Decimal = ZERO
    source_code: str | None = None
    tracks: list[dict[str, Any]] = field(default_factory=list)
    returned_to_stock: list[int] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

    @property
    def subtotal(self) -> Decimal:
        return sum((item.row_total for item in self.items), ZERO)

    @property
    def grand_total(self) -> Decimal:
        return (
            self.subtotal
            + self.shipping_amount
            + self.adjustment_positive
            - self.adjustment_negative
        )

    @property
    def total_qty(self) -> Decimal:
        return sum((item.qty for item in self.items), ZERO)


@dataclass
class Order:
    entity_id: int
    increment_id: str
    quote_id: int
    created_at: str
    updated_at: str
    customer_email: str
    customer_firstname: str | None
    customer_lastname: str | None
    items: list[OrderItem]
    billing_address: dict[str, Any]
    shipping_address: dict[str, Any] | None
    shipping_amount: Decimal
    payment_method: str
    customer_id: int | None = None
    state: str = "new"
    status: str = "pending"
    store_id: int = 1
    shipping_method: str = "flatrate_flatrate"
    shipping_description: str = "Flat Rate - Fixed"
    hold_before: tuple[str, str] | None = None
    comments: list[Comment] = field(default_factory=list)
    invoices: list[Document] = field(default_factory=list)
    shipments: list[Document] = field(default_factory=list)
    creditmemos: list[Document] = field(default_factory=list)

    @property
    def subtotal(self) -> Decimal:
        return sum((item.row_total for item in self.items), ZERO)

    @property
    def grand_total(self) -> Decimal:
        return self.subtotal + self.shipping_amount

    @property
    def total_invoiced(self) -> Decimal:
        return sum((doc.grand_total for doc in self.invoices), ZERO)

    @property
    def total_refunded(self) -> Decimal:
        return sum((doc.grand_total for doc in self.creditmemos), ZERO)

    @property
    def shipping_invoiced(self) -> Decimal:
        return sum((doc.shipping_amount for doc in self.invoices), ZERO)

    @property
    def shipping_refunded(self) -> Decimal:
        return sum((doc.shipping_amount for doc in self.creditmemos), ZERO)

    @property
    def total_qty_ordered(self) -> Decimal:
        return sum((item.qty_ordered for item in self.items), ZERO)

    def item(self, item_id: int) -> OrderItem | None:
        return next((item for item in self.items if item.item_id == item_id), None)


@dataclass
class Customer:
    id: int
    email: str
    firstname: str
    lastname: str
    created_at: str
    updated_at: str
    group_id: int = 1
    store_id: int = 1
    website_id: int = 1
    details: dict[str, Any] = field(default_factory=dict)  # dob, gender, middlename, ...
    addresses: list[dict[str, Any]] = field(default_factory=list)
    custom_attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class BulkOperation:
    id: int
    topic_name: str
    serialized_data: str
    status: int
    result_message: str | None = None
    error_code: int | None = None


@dataclass
class Bulk:
    bulk_uuid: str
    description: str
    start_time: str
    user_id: int
    operations: list[BulkOperation]
    user_type: int = 1  # an integration
