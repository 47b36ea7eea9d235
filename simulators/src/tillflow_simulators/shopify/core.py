"""One simulated shop: its state, GraphQL engine, rate-limit bucket, webhooks and faults,
plus the operations a test performs as a shopper or a merchant would."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tillflow_simulators.shopify.bulk import DEFAULT_LINES_PER_SECOND, BulkOperations
from tillflow_simulators.shopify.delivery import DeliveryPolicy, WebhookDispatcher
from tillflow_simulators.shopify.engine import GraphQLEngine
from tillflow_simulators.shopify.faults import FaultPlan
from tillflow_simulators.shopify.model import (
    Customer,
    InventoryLevel,
    Location,
    Order,
    Product,
    ProductVariant,
    parse_gid,
)
from tillflow_simulators.shopify.orders import (
    DiscountCode,
    OrderError,
    OrderLine,
    OrderRequest,
    RefundLine,
    cancel_order,
    create_refund,
    mark_as_paid,
    place_order,
)
from tillflow_simulators.shopify.seed import seed_products
from tillflow_simulators.shopify.store import Clock, ShopStore, utc_now
from tillflow_simulators.shopify.throttle import CostBucket, RateLimits

DEFAULT_ACCESS_TOKEN = "shpat_tillflow_simulator"  # noqa: S105
DEFAULT_WEBHOOK_SECRET = "tillflow-simulator-webhook-secret"  # noqa: S105


@dataclass(frozen=True)
class ShopConfig:
    access_token: str = DEFAULT_ACCESS_TOKEN
    webhook_secret: str = DEFAULT_WEBHOOK_SECRET
    rate_limits: RateLimits = field(default_factory=RateLimits.unlimited)
    delivery: DeliveryPolicy = field(default_factory=DeliveryPolicy)
    shop_domain: str = "tillflow-sim.myshopify.com"
    shop_name: str = "tillflow simulated shop"
    currency: str = "USD"
    # The shop's sales tax on lines and shipping, and whether its prices include it.
    tax_rate: Decimal = Decimal(0)
    taxes_included: bool = False
    fault_seed: int = 0
    clock: Clock = utc_now
    bulk_lines_per_second: float = DEFAULT_LINES_PER_SECOND


class SimulatedShop:
    def __init__(self, config: ShopConfig | None = None) -> None:
        self.config = config or ShopConfig()
        self.store = ShopStore(
            clock=self.config.clock,
            shop_name=self.config.shop_name,
            shop_domain=self.config.shop_domain,
            currency=self.config.currency,
        )
        self.bucket = CostBucket(self.config.rate_limits)
        self.bulk = BulkOperations(self.store,
                                   lines_per_second=self.config.bulk_lines_per_second)
        self.engine = GraphQLEngine(self.store, self.bucket, self.bulk)
        self.faults = FaultPlan(seed=self.config.fault_seed)
        self.webhooks = WebhookDispatcher(
            self.store,
            self.faults,
            secret=self.config.webhook_secret,
            policy=self.config.delivery,
        )
        self.store.subscribe(self.webhooks.publish)

    def seed(self, count: int) -> list[Product]:
        return seed_products(self.store, count)

    def variant(self, sku: str) -> ProductVariant:
        items = self.store.items_by_sku(sku)
        if not items or items[0].variant is None:
            raise KeyError(f"no variant with SKU {sku!r}")
        return items[0].variant

    def location(self, reference: str | int | None = None) -> Location:
        if reference is None:
            return self.store.primary_location
        number = reference if isinstance(reference, int) else parse_gid(reference, "Location")
        found = self.store.locations.get(number or 0)
        if found is None:
            raise KeyError(f"no location {reference!r}")
        return found

    def level(self, sku: str, location: str | int | None = None) -> InventoryLevel:
        item = self.variant(sku).inventory_item
        assert item is not None
        return self.store.stock_at(item, self.location(location))

    def available(self, sku: str, location: str | int | None = None) -> int:
        with self.store.lock:
            return self.level(sku, location).quantity("available")

    def set_stock(
        self, sku: str, available: int, *, location: str | int | None = None, notify: bool = False
    ) -> None:
        """Change stock behind the sync's back; with ``notify`` the shop announces it."""
        with self.store.lock:
            level = self.level(sku, location)
            if notify:
                self.store.set_available(level, available, reason="correction")
            else:
                level.quantities["available"] = available
                self.store.touch(level)

    def place_order(
        self,
        lines: Sequence[tuple[str, int] | tuple[str, int, Decimal]],
        *,
        customer: dict[str, Any] | None = None,
        location: str | int | None = None,
        allow_oversell: bool = False,
        note: str | None = None,
        discount_code: tuple[str, str, Decimal] | None = None,
        shipping: Decimal | None = None,
        gateway: str = "shopify_payments",
        financial_status: str = "PAID",
        tax_rate: Decimal | None = None,
    ) -> Order:
        """A shopper checks out ``(sku, quantity)`` lines (``(sku, quantity, discount)``
        for a line with a discount of its own) on the web store, with a discount code
        (``(code, "percentage" | "fixed", value)``), shipping, and a payment through
        ``gateway`` (``PENDING`` until marked paid for cash on delivery and the like)."""
        with self.store.lock:
            buyer = self._buyer(customer) if customer else None
            request = OrderRequest(
                lines=[OrderLine(variant=self.variant(line[0]), quantity=line[1],
                                 discount=Decimal(line[2]) if len(line) > 2 else Decimal(0))
                       for line in lines],
                customer=buyer,
                email=buyer.email if buyer else None,
                phone=buyer.phone if buyer else None,
                note=note,
                source_name="web",
                financial_status=financial_status,
                discount_code=DiscountCode(*discount_code) if discount_code else None,
                shipping=shipping,
                tax_rate=self.config.tax_rate if tax_rate is None else tax_rate,
                taxes_included=self.config.taxes_included,
                gateway=gateway,
            )
            return place_order(
                self.store,
                request,
                location=self.location(location),
                obey_policy=not allow_oversell,
            )

    def order(self, order_id: str | int) -> Order:
        number = order_id if isinstance(order_id, int) else parse_gid(order_id, "Order")
        found = self.store.orders.get(number or 0)
        if found is None:
            raise OrderError(f"Order {order_id} does not exist", field_path=["id"])
        return found

    def mark_as_paid(self, order_id: str | int) -> Order:
        """The merchant marks an order paid later (cash on delivery, a transfer) as paid."""
        with self.store.lock:
            order = self.order(order_id)
            mark_as_paid(self.store, order)
            return order

    def refund(self, order_id: str | int, lines: list[tuple[str, int]], *,
               restock: bool = True, shipping: bool = False) -> Order:
        """The merchant refunds ``(sku, quantity)`` units (and the shipping) to the buyer."""
        with self.store.lock:
            order = self.order(order_id)
            items = []
            for sku, quantity in lines:
                line = next(x for x in order.line_items if x.sku == sku)
                items.append(RefundLine(line, quantity, "RETURN" if restock else "NO_RESTOCK"))
            create_refund(self.store, order, items, shipping=shipping, paid_back=True)
            return order

    def _buyer(self, fields: dict[str, Any]) -> Customer:
        email, phone = fields.get("email"), fields.get("phone")
        found = self.store.find_customer(email=email, phone=phone)
        if found is not None:
            return found
        return self.store.create_customer(
            email=email,
            phone=phone,
            first_name=fields.get("first_name"),
            last_name=fields.get("last_name"),
        )

    def cancel_order(
        self, order_id: str | int, *, restock: bool = True, reason: str = "CUSTOMER",
        refund: bool = False,
    ) -> Order:
        with self.store.lock:
            order = self.order(order_id)
            cancel_order(self.store, order, reason=reason, restock=restock, refund=refund)
            return order

    def close(self) -> None:
        self.bulk.stop()
        self.webhooks.stop()
