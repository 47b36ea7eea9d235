"""Web orders booked as the shop charged them.

A web order is booked at the shop's figures, never at tillflow's catalog: each line at
the shop's amount less what the shop took off it (its own discounts and its share of the
order's discounts and coupons) and taxed with the shop's tax; shipping and fees as
charges with their own tax; the sale's total is the shop's order total.

Amounts with more digits than the currency's minor unit are rounded half-up, each on its
own. A shop that rounds tax once per order rather than per line leaves its order tax a
few minor units away from the sum of its line taxes: the difference goes to the line or
charge with the largest tax, so the sale's tax is the shop's order tax. Whatever else
keeps the figures from adding up to the shop's total (within one minor unit per line and
charge, taken from the largest line's share of the order discount) is refused: nothing is
booked that differs from what the buyer was charged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from tillflow.domain.errors import InvalidInput
from tillflow.domain.money import Currency
from tillflow.domain.sales import ZERO, PricedLine, TenderInput

SHIPPING = "shipping"
FEE = "fee"
CHARGE_KINDS = frozenset({SHIPPING, FEE})

CARD = "card"
CASH = "cash"
PAY_LATER = "pay_later"
OTHER = "other"
WEB_TENDER_METHODS = frozenset({CARD, CASH, PAY_LATER, OTHER})

# Gateway (lower case) -> tender method, unless a connection's ``tenders`` setting says
# otherwise; a gateway named nowhere is ``other``.
DEFAULT_TENDERS: Mapping[str, str] = {
    **dict.fromkeys((
        "shopify_payments", "bogus", "stripe", "stripe_cc", "woocommerce_payments",
        "braintree", "braintree_credit_card", "authorize_net", "authorize_net_cim_credit_card",
        "square", "square_credit_card", "adyen", "mollie", "ppcp-credit-card-gateway",
    ), CARD),
    **dict.fromkeys((
        "cod", "cash on delivery (cod)", "bacs", "bank deposit", "cheque", "money order",
    ), PAY_LATER),
}


@dataclass(frozen=True)
class ShopLine:
    """A line as the shop charged it: ``amount`` before discounts as the shop shows it
    (tax included when the order's prices include tax)."""

    sku: str
    quantity: Decimal
    amount: Decimal
    discount: Decimal
    order_discount: Decimal
    tax: Decimal
    tax_rate: Decimal | None


@dataclass(frozen=True)
class ShopCharge:
    kind: str
    title: str
    amount: Decimal
    tax: Decimal
    tax_rate: Decimal | None


@dataclass(frozen=True)
class ShopOrder:
    currency: str
    taxes_included: bool
    lines: tuple[ShopLine, ...]
    charges: tuple[ShopCharge, ...]
    total: Decimal
    total_tax: Decimal | None


@dataclass(frozen=True)
class PricedCharge:
    kind: str
    title: str
    tax_rate: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal


@dataclass(frozen=True)
class WebSale:
    lines: tuple[PricedLine, ...]
    charges: tuple[PricedCharge, ...]
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    total: Decimal


def price_web_order(order: ShopOrder, *, currency: Currency,
                    rates: Mapping[str, Decimal]) -> WebSale:
    """``rates`` are the catalog's, for a line whose rate the shop does not say (its tax
    is still the shop's)."""
    if order.currency.strip().upper() != currency.code:
        raise InvalidInput(f"the order is in {order.currency}, the store books {currency.code}",
                           details={"field": "currency", "currency": order.currency})
    if not order.lines:
        raise InvalidInput("the order has no lines", details={"field": "lines"})
    lines = [_line(n, line, order.taxes_included, currency,
                   line.tax_rate if line.tax_rate is not None else rates.get(line.sku, ZERO))
             for n, line in enumerate(order.lines)]
    line_rates = [line.tax_rate for line in lines]
    charges = [_charge(n, charge, order, currency, line_rates)
               for n, charge in enumerate(order.charges)]
    tolerance = currency.quantum * (len(lines) + len(charges))
    if order.total_tax is not None:
        _reconcile_tax(lines, charges, _money(order.total_tax, "total_tax", currency),
                       tolerance=tolerance, taxes_included=order.taxes_included)
    total = _money(order.total, "total", currency)
    _reconcile_total(lines, charges, total, tolerance=tolerance)
    return WebSale(
        lines=tuple(lines), charges=tuple(charges),
        subtotal=sum((x.gross for x in lines), ZERO),
        discount_total=sum((x.discount for x in lines), ZERO),
        tax_total=sum((x.tax for x in lines), ZERO) + sum((c.tax for c in charges), ZERO),
        total=total,
    )


def tender_method(gateway: str | None, overrides: Mapping[str, str]) -> str:
    """The tender a shop's payment gateway stands for: the connection's own map first
    (keys compared in lower case), then ``DEFAULT_TENDERS``, else ``other``."""
    key = (gateway or "").strip().lower()
    mapped = {name.strip().lower(): method for name, method in overrides.items()}
    return mapped.get(key) or DEFAULT_TENDERS.get(key) or OTHER


def paid_method(method: str) -> str:
    """What a payment mapped to ``method`` is once the shop holds the money: a method
    meaning "paid later" (cash on delivery, a transfer) becomes ``other``."""
    return OTHER if method == PAY_LATER else method


def web_tenders(total: Decimal, *, method: str, paid: bool,
                reference: str) -> tuple[TenderInput, ...]:
    """One tender for the whole order: the mapped method when the shop holds the money,
    else ``pay_later`` (a receivable, settled when the shop marks the order paid)."""
    if total <= 0:
        return ()
    return (TenderInput(paid_method(method) if paid else PAY_LATER, total, reference),)


def validate_tenders(mapping: object) -> dict[str, str]:
    """A ``tenders`` setting: gateway names to tender methods."""
    if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and k.strip() for k in mapping):
        raise InvalidInput("tenders must map gateway names to tender methods",
                           details={"field": "tenders"})
    for gateway, method in mapping.items():
        if method not in WEB_TENDER_METHODS:
            raise InvalidInput(
                f"tenders: {gateway!r} maps to {method!r}, not one of "
                f"{', '.join(sorted(WEB_TENDER_METHODS))}", details={"field": "tenders"})
    return dict(mapping)


def _money(value: Decimal, field: str, currency: Currency) -> Decimal:
    if not value.is_finite():
        raise InvalidInput(f"{field} {value} is not an amount", details={"field": field})
    return currency.round(value)


def _line(index: int, line: ShopLine, taxes_included: bool, currency: Currency,
          rate: Decimal) -> PricedLine:
    field = f"lines[{index}]"
    if line.quantity <= 0:
        raise InvalidInput(f"line {index + 1} ({line.sku}): quantity {line.quantity} must be "
                           "greater than zero", details={"field": f"{field}.quantity"})
    gross = _money(line.amount, f"{field}.amount", currency)
    discount = _money(line.discount, f"{field}.discount", currency)
    share = _money(line.order_discount, f"{field}.order_discount", currency)
    tax = _money(line.tax, f"{field}.tax", currency)
    if gross < 0 or tax < 0 or discount < 0 or share < 0 or discount + share > gross:
        raise InvalidInput(
            f"line {index + 1} ({line.sku}): amount {gross}, discounts {discount} and "
            f"{share}, tax {tax} are not the figures of a sale", details={"field": field})
    after = gross - discount - share
    net, total = (after - tax, after) if taxes_included else (after, after + tax)
    if net < 0:
        raise InvalidInput(f"line {index + 1} ({line.sku}): tax {tax} exceeds its amount",
                           details={"field": f"{field}.tax"})
    return PricedLine(sku=line.sku, quantity=line.quantity,
                      unit_price=currency.round(gross / line.quantity), tax_rate=rate,
                      gross=gross, line_discount=discount, order_discount=share, net=net,
                      tax=tax, total=total)


def _charge(index: int, charge: ShopCharge, order: ShopOrder, currency: Currency,
            rates: Sequence[Decimal]) -> PricedCharge:
    field = f"charges[{index}]"
    if charge.kind not in CHARGE_KINDS:
        raise InvalidInput(f"unknown charge {charge.kind!r}", details={"field": field})
    amount = _money(charge.amount, f"{field}.amount", currency)
    tax = _money(charge.tax, f"{field}.tax", currency)
    # A fee may take money off (a negative fee, with its negative tax); shipping may not.
    if (charge.kind == SHIPPING and (amount < 0 or tax < 0)) or tax * amount < 0 or (
            not amount and tax):
        raise InvalidInput(f"{charge.kind} {amount} with tax {tax} is not a charge",
                           details={"field": field})
    net, total = (amount - tax, amount) if order.taxes_included else (amount, amount + tax)
    return PricedCharge(kind=charge.kind, title=charge.title,
                        tax_rate=_charge_rate(charge, net, tax, rates),
                        net=net, tax=tax, total=total)


def _charge_rate(charge: ShopCharge, net: Decimal, tax: Decimal,
                 rates: Sequence[Decimal]) -> Decimal:
    """The rate a charge is taxed at: the shop's, else none for an untaxed charge, else
    the lines' when they share one, else what its amounts say (to 4 places)."""
    if charge.tax_rate is not None:
        return charge.tax_rate
    if tax == 0:
        return ZERO
    if len(set(rates)) == 1:
        return rates[0]
    return (tax / net).quantize(Decimal("0.0001")) if net else ZERO


def _reconcile_tax(lines: list[PricedLine], charges: list[PricedCharge], wanted: Decimal, *,
                   tolerance: Decimal, taxes_included: bool) -> None:
    difference = wanted - sum((x.tax for x in lines), ZERO) - sum((c.tax for c in charges), ZERO)
    if not difference:
        return
    if abs(difference) > tolerance:
        raise InvalidInput(f"the shop's tax {wanted} is not the sum of its lines' and "
                           f"charges' taxes ({wanted - difference})",
                           details={"field": "total_tax"})
    items: list[PricedLine | PricedCharge] = [*lines, *charges]
    largest = max(range(len(items)), key=lambda i: items[i].tax)
    item = items[largest]
    tax = item.tax + difference
    net, total = ((item.net - difference, item.total) if taxes_included
                  else (item.net, item.total + difference))
    if tax < 0 or net < 0:
        raise InvalidInput(f"the shop's tax {wanted} cannot be booked on its lines",
                           details={"field": "total_tax"})
    if largest < len(lines):
        lines[largest] = replace(lines[largest], tax=tax, net=net, total=total)
    else:
        charges[largest - len(lines)] = replace(charges[largest - len(lines)], tax=tax,
                                                net=net, total=total)


def _reconcile_total(lines: list[PricedLine], charges: list[PricedCharge], wanted: Decimal, *,
                     tolerance: Decimal) -> None:
    found = sum((x.total for x in lines), ZERO) + sum((c.total for c in charges), ZERO)
    difference = wanted - found
    if not difference:
        return
    largest = max(range(len(lines)), key=lambda i: lines[i].total)
    line = lines[largest]
    share = line.order_discount - difference
    if abs(difference) > tolerance or share < 0 or share + line.line_discount > line.gross:
        raise InvalidInput(f"the shop's total {wanted} is not what its lines, charges and "
                           f"tax add up to ({found})", details={"field": "total"})
    lines[largest] = replace(line, order_discount=share, net=line.net + difference,
                             total=line.total + difference)
