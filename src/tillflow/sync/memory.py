"""An in-memory web shop behind the commerce port, for tests of the engine.

It keeps the port's promises the way the real connectors do (compare-and-set, unknown
SKUs refused, signed webhooks, orders with an ``updated_at``) and passes the same
contract tests as they do.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from tillflow.ports.commerce import (
    IGNORED,
    ORDER,
    BadWebhook,
    Buyer,
    CheckResult,
    MalformedWebhook,
    OrderLine,
    OrderPage,
    OrderRef,
    Payment,
    PosRefund,
    PosSale,
    ProductData,
    ProductWithVariants,
    Rejected,
    RemoteCustomer,
    RemoteOrder,
    RemoteProduct,
    Retryable,
    StaleStock,
    StockTarget,
    Upserted,
    WebhookMessage,
)

LOCATION = "memory-location"


@dataclass
class MemoryShop:
    """The shop's state, shared by every channel opened on it; writes of the SKUs in
    ``unavailable`` fail as a platform's transient errors do."""

    secret: str = "memory-secret"  # noqa: S105 (a test shop's fixed secret)
    products: dict[str, RemoteProduct] = field(default_factory=dict)
    # A product with options: its options by the shop's product id, each SKU's values.
    options: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict)
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The shop's product id of every product write, in order (a call each).
    product_writes: list[str] = field(default_factory=list)
    stock: dict[str, int] = field(default_factory=dict)
    orders: dict[str, RemoteOrder] = field(default_factory=dict)
    customers: dict[str, RemoteCustomer] = field(default_factory=dict)
    refunds: dict[str, str] = field(default_factory=dict)
    webhooks: set[str] = field(default_factory=set)
    unavailable: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _clock: datetime = field(default_factory=lambda: datetime(2026, 1, 1, tzinfo=UTC))

    def tick(self) -> str:
        self._clock += timedelta(seconds=1)
        return self._clock.strftime("%Y-%m-%dT%H:%M:%SZ")

    def place_order(self, lines: Sequence[tuple[str, int]], *, gateway: str = "bogus",
                    paid: bool = True) -> str:
        """A shopper's checkout at the shop's prices, untaxed: stock goes down, the order
        is kept."""
        with self.lock:
            order_id = f"memory-order-{next(self._ids)}"
            for sku, quantity in lines:
                self.stock[sku] -= quantity
            items = tuple(OrderLine(sku, qty, self.products[sku].price, tax=Decimal(0))
                          for sku, qty in lines)
            self.orders[order_id] = RemoteOrder(
                external_id=order_id, updated_at=self.tick(), location=None, lines=items,
                cancelled=False, total=sum((x.unit_price * x.quantity for x in items),
                                           Decimal(0)),
                total_tax=Decimal(0), payment=Payment(gateway, paid))
            return order_id

    def cancel_order(self, order_id: str) -> None:
        with self.lock:
            order = self.orders[order_id]
            for line in order.lines:
                self.stock[line.sku] += line.quantity
            self.orders[order_id] = replace(
                order, cancelled=True, updated_at=self.tick(),
                restocked={line.sku: line.quantity for line in order.lines})

    def sign(self, body: bytes) -> str:
        return hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()


class MemoryChannel:
    def __init__(self, shop: MemoryShop) -> None:
        self.shop = shop

    @property
    def primary_location(self) -> str:
        return LOCATION

    def ensure_webhooks(self, callback_url: str) -> list[str]:
        self.shop.webhooks.add(callback_url)
        return ["orders"]

    def check(self, callback_url: str) -> CheckResult:
        ok = callback_url in self.shop.webhooks
        return CheckResult(ok=ok, problems=[] if ok else [f"no webhook to {callback_url}"],
                           webhooks=["orders"] if ok else [])

    def stock(self, skus: Sequence[str], location: str) -> dict[str, int]:
        with self.shop.lock:
            return {sku: self.shop.stock[sku] for sku in skus if sku in self.shop.stock}

    def set_stock(self, targets: Sequence[StockTarget], *, idempotency_key: str) -> None:
        with self.shop.lock:
            if any(t.sku in self.shop.unavailable for t in targets):
                raise Retryable("the shop is failing for this SKU", retry_after=0.0)
            for t in targets:
                if t.sku not in self.shop.stock:
                    raise Rejected(f"SKU {t.sku!r} is not in the shop")
                if t.expected is not None and self.shop.stock[t.sku] != t.expected:
                    raise StaleStock(f"{t.sku} moved")
            for t in targets:
                self.shop.stock[t.sku] = t.available

    def upsert_product(self, product: ProductData) -> Upserted:
        with self.shop.lock:
            external = f"memory-product-{product.sku}"
            self.shop.product_writes.append(external)
            self.shop.products[product.sku] = RemoteProduct(
                external_id=external, sku=product.sku, title=product.title,
                price=Decimal(product.price), barcode=product.barcode, status=product.status,
                updated_at=self.shop.tick())
            created = product.sku not in self.shop.stock
            self.shop.stock.setdefault(product.sku, product.available)
            return Upserted(external, created=created)

    def upsert_variants(self, product: ProductWithVariants) -> dict[str, Upserted]:
        with self.shop.lock:
            held = sorted({self.shop.products[v.sku].external_id for v in product.variants
                           if v.sku in self.shop.products})
            external = held[0] if held else f"memory-product-p{product.key}"
            listed = {v.sku for v in product.variants}
            for sku in [sku for sku, p in self.shop.products.items()
                        if p.external_id == external and sku not in listed]:
                del self.shop.products[sku]
                self.shop.stock.pop(sku, None)
                self.shop.values.pop(sku, None)
            self.shop.options[external] = product.options
            self.shop.product_writes.append(external)
            saved: dict[str, Upserted] = {}
            for v in product.variants:
                self.shop.products[v.sku] = RemoteProduct(
                    external_id=external, sku=v.sku, title=product.title, price=v.price,
                    barcode=v.barcode, status=v.status, updated_at=self.shop.tick())
                self.shop.values[v.sku] = v.values
                saved[v.sku] = Upserted(external, created=v.sku not in self.shop.stock)
                self.shop.stock.setdefault(v.sku, v.available)
            return saved

    def products(self, cursor: str | None) -> tuple[list[RemoteProduct], str | None]:
        with self.shop.lock:
            return sorted(self.shop.products.values(), key=lambda p: p.sku), None

    def order(self, external_id: str) -> RemoteOrder | None:
        with self.shop.lock:
            return self.shop.orders.get(external_id)

    def order_changes(self, cursor: str | None) -> OrderPage:
        with self.shop.lock:
            found = sorted((o for o in self.shop.orders.values()
                            if cursor is None or o.updated_at >= cursor),
                           key=lambda o: o.updated_at)
        return OrderPage(changes=[OrderRef(o.external_id, o.updated_at) for o in found],
                         cursor=found[-1].updated_at if found else cursor)

    def push_sale(self, sale: PosSale) -> str:
        with self.shop.lock:
            found = next((o.external_id for o in self.shop.orders.values()
                          if o.source_id == sale.source_id), None)
            if found is not None:
                return found
            missing = [line.sku for line in sale.lines if line.sku not in self.shop.stock]
            if missing:
                raise Rejected(f"SKU {missing[0]!r} is not in the shop")
            order_id = f"memory-order-{next(self.shop._ids)}"
            self.shop.orders[order_id] = RemoteOrder(
                external_id=order_id, updated_at=self.shop.tick(), location=None,
                lines=sale.lines, cancelled=False, buyer=sale.buyer, source_id=sale.source_id)
            return order_id

    def push_refund(self, refund: PosRefund) -> str:
        with self.shop.lock:
            order = self.shop.orders.get(refund.order_id)
            if order is None:
                raise Rejected(f"the shop has no order {refund.order_id}")
            ordered = {line.sku: line.quantity for line in order.lines}
            if any(line.quantity > ordered.get(line.sku, 0) for line in refund.lines):
                raise Rejected(f"order {refund.order_id} holds fewer units than refunded")
            if refund.source_id not in self.shop.refunds:
                self.shop.refunds[refund.source_id] = f"memory-refund-{next(self.shop._ids)}"
            return self.shop.refunds[refund.source_id]

    def product(self, external_id: str) -> list[RemoteProduct]:
        with self.shop.lock:
            return [p for p in self.shop.products.values() if p.external_id == external_id]

    def upsert_customer(self, customer: Buyer, external_id: str | None) -> Upserted:
        with self.shop.lock:
            current = self.shop.customers.get(external_id or "") or next(
                (c for c in self.shop.customers.values()
                 if (customer.email and c.email == customer.email)
                 or (customer.phone and c.phone == customer.phone)), None)
            created = current is None
            if current is None:
                current = RemoteCustomer(f"memory-customer-{next(self.shop._ids)}", None, None,
                                         None, None, "")
            given = {k: v for k, v in (("email", customer.email), ("phone", customer.phone),
                                       ("first_name", customer.first_name),
                                       ("last_name", customer.last_name)) if v is not None}
            self.shop.customers[current.external_id] = replace(
                current, **given, updated_at=self.shop.tick())
            return Upserted(current.external_id, created=created)

    def customer(self, external_id: str) -> RemoteCustomer | None:
        with self.shop.lock:
            return self.shop.customers.get(external_id)

    def customer_changes(self, cursor: str | None
                         ) -> tuple[list[RemoteCustomer], str | None]:
        with self.shop.lock:
            found = sorted((c for c in self.shop.customers.values()
                            if cursor is None or c.updated_at >= cursor),
                           key=lambda c: c.updated_at)
        return found, found[-1].updated_at if found else cursor

    def read_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookMessage:
        if not hmac.compare_digest(headers.get("x-memory-signature", ""), self.shop.sign(body)):
            raise BadWebhook("x-memory-signature does not match the body")
        try:
            payload = json.loads(body)
        except ValueError as exc:
            raise MalformedWebhook(f"the body is not JSON: {exc}") from None
        topic = str(payload.get("topic", ""))
        return WebhookMessage(delivery_id=str(payload.get("event_id", "")), topic=topic,
                              kind=ORDER if topic == "order" else IGNORED,
                              external_id=payload.get("id"))

    def budget_used(self) -> float | None:
        return None

    def close(self) -> None:
        return None


@dataclass(frozen=True)
class MemoryChannelFactory:
    shop: MemoryShop

    def __call__(self, settings: Mapping[str, object],
                 secrets: Mapping[str, str]) -> MemoryChannel:
        return MemoryChannel(self.shop)
