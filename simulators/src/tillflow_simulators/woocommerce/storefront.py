"""What shoppers and shop staff do outside the REST API: checkouts, seeding, stock edits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from tillflow_simulators.common.gtin import with_check_digit
from tillflow_simulators.woocommerce import catalog, sales, totals
from tillflow_simulators.woocommerce.errors import WooError
from tillflow_simulators.woocommerce.models import Order, Product, Variation
from tillflow_simulators.woocommerce.state import ShopState

SEED_SKU_PREFIX = "SIM-"


# What each payment gateway does with a checkout: a card is charged at once
# (``payment_complete``: processing, paid); cash on delivery goes to processing unpaid in
# fact (WooCommerce still sets ``date_paid`` on reaching processing); a bank transfer or
# cheque waits on-hold until the merchant sees the money.
GATEWAYS = {
    "stripe": ("Credit Card", "paid"),
    "cod": ("Cash on delivery", "processing"),
    "bacs": ("Direct bank transfer", "on-hold"),
    "cheque": ("Check payments", "on-hold"),
}


def place_order(
    state: ShopState,
    lines: Sequence[tuple[str, int]],
    *,
    paid: bool = True,
    billing: Mapping[str, str] | None = None,
    customer_id: int = 0,
    payment_method: str = "stripe",
    coupon: tuple[str, str, Decimal] | None = None,
    shipping: tuple[str, Decimal] | None = None,
    fees: Sequence[tuple[str, Decimal]] = (),
) -> Order:
    """A storefront checkout: refused when stock is short, priced as the cart prices it
    (``totals``), paid through ``payment_method``.

    A card checkout goes pending → processing, so it reduces stock and is announced as
    ``order.created`` then ``order.updated``, as ``payment_complete`` does; an unpaid one
    (``paid=False``) stays pending.
    """
    title, outcome = GATEWAYS.get(payment_method, (payment_method, "paid"))
    body: dict[str, Any] = {
        "line_items": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
        "billing": dict(billing or {}),
        "customer_id": customer_id,
        "payment_method": payment_method,
        "payment_method_title": title,
        "set_paid": paid and outcome == "paid",
    }
    if shipping is not None:
        body["shipping_lines"] = [{"method_id": "flat_rate", "method_title": shipping[0],
                                   "total": str(shipping[1])}]
    if paid and outcome != "paid":
        body["status"] = outcome
    with state.lock:
        return sales.create_order(state, body, created_via="checkout", check_stock=True,
                                  price=lambda record: totals.price_checkout(
                                      state, record, coupon=coupon, fees=fees))


def seed_products(state: ShopState, count: int) -> list[Product]:
    """``count`` published simple products with SKUs, EAN-13 barcodes and stock.

    Barcodes use the GS1 prefix 200, kept for in-store numbering, so they never clash
    with real articles.
    """
    created = []
    with state.lock:
        start = sum(1 for p in state.products.values() if p.sku.startswith(SEED_SKU_PREFIX))
        for number in range(start + 1, start + count + 1):
            created.append(
                catalog.create_product(
                    state,
                    {
                        "name": f"Sample product {number}",
                        "type": "simple",
                        "status": "publish",
                        "sku": f"{SEED_SKU_PREFIX}{number:05d}",
                        "global_unique_id": with_check_digit(f"200{number:09d}"),
                        "regular_price": str(Decimal(4 + number % 20) + Decimal("0.99")),
                        "manage_stock": True,
                        "stock_quantity": 10 + number % 41,
                    },
                )
            )
    return created


def set_stock(state: ShopState, sku: str, quantity: int, *, announce: bool = False) -> None:
    """Change stock behind the connector's back (drift), or as an admin edit if ``announce``."""
    with state.lock:
        record = require_sku(state, sku)
        catalog.set_stock(state, record, quantity, announce=announce)


def stock_of(state: ShopState, sku: str) -> int | None:
    with state.lock:
        record = require_sku(state, sku)
        owner = catalog.stock_owner(state, record)
        return owner.stock_quantity if owner is not None else None


def require_sku(state: ShopState, sku: str) -> Product | Variation:
    record = state.stocked_by_sku(sku)
    if record is None:
        raise WooError("tillflow_simulator_unknown_sku", f"No product has SKU {sku!r}.", 404)
    return record
