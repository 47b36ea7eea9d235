"""A checkout's totals as WooCommerce's cart computes them (``WC_Cart_Totals``).

Line items keep their amounts without tax: ``subtotal`` before coupons, ``total`` after.
A ``percent`` coupon takes its percentage off each line; a ``fixed_cart`` coupon is spread
over the lines in proportion to their subtotals, the leftover cents to the first lines.
Tax is one standard rate, computed per line on what is left after coupons and rounded
half up to the cent (the default, taxes not rounded at subtotal); in a shop whose prices
include tax the line's amount is its price less the tax in it. Shipping and taxable fees
are taxed at the same rate. ``coupon_lines`` carry what each coupon took off and the tax
that would have been on it; ``tax_lines`` one line for the rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from tillflow_simulators.woocommerce.errors import WooError
from tillflow_simulators.woocommerce.models import CouponLine, FeeLine, Order
from tillflow_simulators.woocommerce.state import ShopState

CENT = Decimal("0.01")
ZERO = Decimal(0)
COUPON_TYPES = ("percent", "fixed_cart")
TAX_RATE_ID = 1


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def price_checkout(state: ShopState, record: Order, *,
                   coupon: tuple[str, str, Decimal] | None = None,
                   fees: Sequence[tuple[str, Decimal]] = ()) -> None:
    """Taxes, the coupon and fees of a checkout's order, as the cart sets them."""
    percent = state.settings.tax_percent
    rate = percent / 100
    record.prices_include_tax = state.settings.prices_include_tax
    if percent:
        record.tax_rate = (TAX_RATE_ID, percent)
    for item in record.line_items:
        if record.prices_include_tax:
            item.subtotal -= cents(item.subtotal * rate / (1 + rate))
        item.total = item.subtotal
        item.subtotal_tax = cents(item.subtotal * rate)
    if coupon is not None:
        record.coupon_lines.append(_apply_coupon(state, record, *coupon))
    for item in record.line_items:
        item.total_tax = cents(item.total * rate)
    if record.coupon_lines:
        line = record.coupon_lines[0]
        line.discount_tax = sum((i.subtotal_tax - i.total_tax for i in record.line_items), ZERO)
    for shipping in record.shipping_lines:
        shipping.total_tax = cents(shipping.total * rate)
    record.fee_lines = [FeeLine(id=state.next_id("order_item"), name=name, total=amount,
                                total_tax=cents(amount * rate)) for name, amount in fees]


def _apply_coupon(state: ShopState, record: Order, code: str, kind: str,
                  amount: Decimal) -> CouponLine:
    if kind not in COUPON_TYPES:
        raise WooError("woocommerce_rest_invalid_coupon",
                       f'Coupon "{code}" does not exist!', 400)
    bases = [item.subtotal for item in record.line_items]
    if kind == "percent":
        shares = [cents(base * amount / 100) for base in bases]
    else:
        shares = _spread(min(amount, sum(bases, ZERO)), bases)
    for item, share in zip(record.line_items, shares, strict=True):
        item.total = item.subtotal - share
    return CouponLine(id=state.next_id("order_item"), code=code.lower(), discount_type=kind,
                      nominal_amount=amount, discount=sum(shares, ZERO))


def _spread(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    whole = sum(weights, ZERO)
    if not whole:
        return [ZERO for _ in weights]
    shares = [(total * w / whole).quantize(CENT, rounding=ROUND_DOWN) for w in weights]
    left = total - sum(shares, ZERO)
    index = 0
    while left > 0:
        shares[index % len(shares)] += CENT
        left -= CENT
        index += 1
    return shares
