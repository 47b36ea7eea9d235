"""The simulated shop's state: catalog, stock per location, customers and subscriptions.

Every write goes through a method here, under one re-entrant lock, and announces itself
as a webhook topic with a REST-shaped payload, as Shopify's own events do.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from tillflow_simulators.shopify import payloads
from tillflow_simulators.shopify.model import (
    DEFAULT_OPTION,
    DEFAULT_VALUE,
    Customer,
    InventoryAdjustmentGroup,
    InventoryChange,
    InventoryItem,
    InventoryLevel,
    LineItem,
    Location,
    Order,
    Product,
    ProductOption,
    ProductVariant,
    Record,
    Refund,
    WebhookSubscription,
)

Clock = Callable[[], datetime]
Listener = Callable[[str, dict[str, Any]], None]

FIRST_ID = 1_000_000_001
FIRST_ORDER_NUMBER = 1001


def utc_now() -> datetime:
    return datetime.now(UTC)


def handleize(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "product"


class ShopStore:
    def __init__(
        self,
        *,
        clock: Clock = utc_now,
        shop_name: str = "tillflow simulated shop",
        shop_domain: str = "tillflow-sim.myshopify.com",
        currency: str = "USD",
    ) -> None:
        self.lock = threading.RLock()
        self._clock = clock
        self._ids = itertools.count(FIRST_ID)
        self._order_numbers = itertools.count(FIRST_ORDER_NUMBER)
        self._last_stamp = datetime.min.replace(tzinfo=UTC)
        self._listeners: list[Listener] = []
        self.shop_name = shop_name
        self.shop_domain = shop_domain
        self.currency = currency
        self.created_at = self.now()
        self.locations: dict[int, Location] = {}
        self.products: dict[int, Product] = {}
        self.variants: dict[int, ProductVariant] = {}
        self.items: dict[int, InventoryItem] = {}
        self.levels: dict[int, InventoryLevel] = {}
        self.groups: dict[int, InventoryAdjustmentGroup] = {}
        self.customers: dict[int, Customer] = {}
        self.orders: dict[int, Order] = {}
        self.line_items: dict[int, LineItem] = {}
        self.refunds: dict[int, Refund] = {}
        self.subscriptions: dict[int, WebhookSubscription] = {}
        self._handles: dict[str, Product] = {}
        self.primary_location = self.create_location("Shop location")

    # -- plumbing ---------------------------------------------------------------------

    def now(self) -> datetime:
        """The clock's time, nudged forward so successive writes never share a timestamp."""
        stamp = max(self._clock(), self._last_stamp + timedelta(microseconds=1))
        self._last_stamp = stamp
        return stamp

    def next_number(self) -> int:
        return next(self._ids)

    def next_order_number(self) -> int:
        return next(self._order_numbers)

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def emit(self, topic: str, payload: dict[str, Any]) -> None:
        for listener in self._listeners:
            listener(topic, payload)

    def touch(self, record: Record) -> datetime:
        record.updated_at = self.now()
        return record.updated_at

    # -- locations and catalog --------------------------------------------------------

    def create_location(self, name: str) -> Location:
        with self.lock:
            stamp = self.now()
            location = Location(
                number=self.next_number(),
                created_at=stamp,
                updated_at=stamp,
                name=name,
                address={"address1": None, "city": None, "countryCode": "US", "zip": None},
            )
            self.locations[location.number] = location
            return location

    def create_product(
        self,
        *,
        title: str,
        handle: str | None = None,
        status: str = "ACTIVE",
        vendor: str = "",
        product_type: str = "",
        description_html: str = "",
        tags: Iterable[str] = (),
        default_variant: bool = True,
    ) -> Product:
        """A product with its standalone default variant, stocked at the primary location
        (without ``default_variant``, no variant and not announced: the caller adds its
        variants and announces it)."""
        with self.lock:
            stamp = self.now()
            product = Product(
                number=self.next_number(),
                created_at=stamp,
                updated_at=stamp,
                title=title,
                handle=self._unique_handle(handle or handleize(title)),
                status=status,
                vendor=vendor,
                product_type=product_type,
                description_html=description_html,
                tags=list(tags),
            )
            self.products[product.number] = product
            self._handles[product.handle] = product
            if default_variant:
                product.options = [ProductOption(
                    number=self.next_number(), created_at=stamp, updated_at=stamp,
                    name=DEFAULT_OPTION, values=[DEFAULT_VALUE])]
                self.add_variant(product, standalone=True, announce=False)
                self.emit("products/create", payloads.product(product))
            return product

    def rehandle(self, product: Product, handle: str) -> None:
        """Give ``product`` a new handle (made unique); the old one is free again."""
        with self.lock:
            if handle != product.handle:
                self._handles.pop(product.handle, None)
                product.handle = self._unique_handle(handle)
                self._handles[product.handle] = product

    def product_by_handle(self, handle: str) -> Product | None:
        with self.lock:
            return self._handles.get(handle)

    def _unique_handle(self, handle: str) -> str:
        candidates = itertools.chain([handle], (f"{handle}-{n}" for n in itertools.count(1)))
        return next(candidate for candidate in candidates if candidate not in self._handles)

    def add_variant(
        self,
        product: Product,
        *,
        sku: str | None = None,
        barcode: str | None = None,
        price: Decimal = Decimal("0.00"),
        title: str = "Default Title",
        standalone: bool = False,
        announce: bool = True,
    ) -> ProductVariant:
        with self.lock:
            stamp = self.now()
            variant = ProductVariant(
                number=self.next_number(),
                created_at=stamp,
                updated_at=stamp,
                product=product,
                title=title,
                barcode=barcode,
                price=price,
                position=len(product.variants) + 1,
                standalone=standalone,
                selected_options=default_selection(product),
            )
            item = InventoryItem(
                number=self.next_number(),
                created_at=stamp,
                updated_at=stamp,
                variant=variant,
                sku=sku,
            )
            variant.inventory_item = item
            product.variants.append(variant)
            self.variants[variant.number] = variant
            self.items[item.number] = item
            self.stock_at(item, self.primary_location)
            if announce:
                self.product_changed(product)
            return variant

    def remove_variant(self, variant: ProductVariant) -> None:
        with self.lock:
            product = variant.product
            if product is not None:
                product.variants.remove(variant)
                for position, sibling in enumerate(product.variants, start=1):
                    sibling.position = position
            self.variants.pop(variant.number, None)
            if variant.inventory_item is not None:
                for level in variant.inventory_item.levels.values():
                    self.levels.pop(level.number, None)
                self.items.pop(variant.inventory_item.number, None)

    def product_changed(self, product: Product) -> None:
        self.touch(product)
        self.emit("products/update", payloads.product(product))

    def stock_at(self, item: InventoryItem, location: Location) -> InventoryLevel:
        """The item's level at ``location``, activating the item there if needed."""
        with self.lock:
            level = item.levels.get(location.number)
            if level is None:
                stamp = self.now()
                level = InventoryLevel(
                    number=self.next_number(),
                    created_at=stamp,
                    updated_at=stamp,
                    item=item,
                    location=location,
                )
                item.levels[location.number] = level
                self.levels[level.number] = level
            return level

    def items_by_sku(self, sku: str) -> list[InventoryItem]:
        with self.lock:
            return [item for item in self.items.values() if item.sku == sku]

    # -- inventory --------------------------------------------------------------------

    def change_quantity(
        self, level: InventoryLevel, name: str, delta: int, *, ledger_document_uri: str | None
    ) -> InventoryChange:
        """Move one named quantity by ``delta``; on_hand moves through ``available``."""
        with self.lock:
            target = "available" if name == "on_hand" else name
            level.quantities[target] = level.quantities.get(target, 0) + delta
            self.touch(level)
            assert level.item is not None
            assert level.location is not None
            return InventoryChange(
                name=name,
                delta=delta,
                quantity_after_change=level.quantity(name),
                item=level.item,
                location=level.location,
                ledger_document_uri=ledger_document_uri,
            )

    def move(
        self, level: InventoryLevel, name: str, delta: int, *, ledger_document_uri: str | None
    ) -> list[InventoryChange]:
        """Change ``name`` by ``delta`` and report on_hand or available moving with it."""
        with self.lock:
            changes = [
                self.change_quantity(level, name, delta, ledger_document_uri=ledger_document_uri)
            ]
            mirror = {"available": "on_hand", "on_hand": "available"}.get(name)
            if mirror is not None:
                assert level.item is not None
                assert level.location is not None
                changes.append(
                    InventoryChange(
                        name=mirror,
                        delta=delta,
                        quantity_after_change=level.quantity(mirror),
                        item=level.item,
                        location=level.location,
                    )
                )
            return changes

    def record_adjustment(
        self, *, reason: str, reference_document_uri: str | None, changes: list[InventoryChange]
    ) -> InventoryAdjustmentGroup:
        """Keep the group and tell subscribers about every level whose stock moved."""
        with self.lock:
            stamp = self.now()
            group = InventoryAdjustmentGroup(
                number=self.next_number(),
                created_at=stamp,
                updated_at=stamp,
                reason=reason,
                reference_document_uri=reference_document_uri,
                changes=changes,
            )
            self.groups[group.number] = group
            announced: set[int] = set()
            for change in changes:
                level = change.item.levels[change.location.number]
                if change.delta and level.number not in announced:
                    announced.add(level.number)
                    self.emit("inventory_levels/update", payloads.inventory_level(level))
            return group

    def set_available(self, level: InventoryLevel, quantity: int, *, reason: str) -> None:
        """Write ``available`` directly, as an admin edit would."""
        with self.lock:
            delta = quantity - level.quantity("available")
            changes = self.move(level, "available", delta, ledger_document_uri=None)
            self.record_adjustment(reason=reason, reference_document_uri=None, changes=changes)

    # -- customers and subscriptions --------------------------------------------------

    def find_customer(
        self, *, email: str | None = None, phone: str | None = None
    ) -> Customer | None:
        with self.lock:
            for customer in self.customers.values():
                if email and customer.email and customer.email.lower() == email.lower():
                    return customer
                if phone and customer.phone == phone:
                    return customer
            return None

    def create_customer(self, **fields: Any) -> Customer:
        with self.lock:
            stamp = self.now()
            customer = Customer(
                number=self.next_number(), created_at=stamp, updated_at=stamp, **fields
            )
            self.customers[customer.number] = customer
            self.emit("customers/create", payloads.customer(customer))
            return customer

    def update_customer(self, customer: Customer, **fields: Any) -> Customer:
        with self.lock:
            for name, value in fields.items():
                setattr(customer, name, value)
            self.touch(customer)
            self.emit("customers/update", payloads.customer(customer))
            return customer

    def create_subscription(
        self,
        *,
        topic: str,
        uri: str,
        include_fields: list[str],
        filter_: str | None,
        version: str,
    ) -> WebhookSubscription:
        with self.lock:
            stamp = self.now()
            subscription = WebhookSubscription(
                number=self.next_number(),
                created_at=stamp,
                updated_at=stamp,
                topic=topic,
                uri=uri,
                include_fields=include_fields,
                filter=filter_,
                version_handle=version,
            )
            self.subscriptions[subscription.number] = subscription
            return subscription


def default_selection(product: Product) -> list[dict[str, str]]:
    """A new variant's options while its product has none but Shopify's default."""
    if [(o.name, o.values) for o in product.options] == [(DEFAULT_OPTION, [DEFAULT_VALUE])]:
        return [{"name": DEFAULT_OPTION, "value": DEFAULT_VALUE}]
    return []
