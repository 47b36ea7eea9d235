"""Vendure orders in the port's terms, with what the shop charged.

An order is a sale once Vendure has placed it (``orderPlacedAt`` is set: payment
authorised or settled). Units Vendure put back are the cancelled ones: a line's
``orderPlacedQuantity`` less its current ``quantity`` (cancelling a whole order takes
every line to zero; a refund alone restocks nothing in Vendure, so it restocks nothing
here either). Lines are the order as placed.

Money is Vendure's integer minor units, with tax or without as the channel's
``pricesIncludeTax`` says: a line's own promotions are ``linePrice`` less
``discountedLinePrice``, its share of the order's promotions (and coupons) the
``discountedLinePrice`` less ``proratedLinePrice``, its tax the difference of the prorated
prices with and without tax (``lineTax`` is taken before the order's promotions); shipping is each
shipping line's discounted price, surcharges are fees; the total is ``totalWithTax``. A
line whose quantity changed since the order was placed is taken from its unit prices
times the placed quantity, and the total from those parts. The gateway is the method of
the first payment Vendure did not decline; the shop holds the money once its payments
are settled. A refund counts once settled: its lines at their prorated unit prices, its
shipping, and its total (an adjustment in it is the rest).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tillflow.connectors.vendure.catalog import Settings
from tillflow.ports.commerce import (
    FEE,
    SHIPPING,
    Buyer,
    Charge,
    OrderLine,
    Payment,
    RefundLine,
    Rejected,
    RemoteOrder,
    RemoteRefund,
)

FAILED_PAYMENTS = frozenset({"Declined", "Cancelled", "Error"})
ZERO = Decimal(0)


def order_from(node: Mapping[str, Any], settings: Settings) -> RemoteOrder:
    try:
        return _order(node, settings)
    except (KeyError, TypeError, ValueError) as exc:
        raise Rejected(f"Vendure order {node.get('id')} cannot be read: "
                       f"{type(exc).__name__} {exc}") from exc


def _order(node: Mapping[str, Any], settings: Settings) -> RemoteOrder:
    money = _money(settings)
    included = settings.prices_include_tax
    lines: list[OrderLine] = []
    back: Counter[str] = Counter()
    changed = False
    skus: dict[str, str] = {}
    for line in node["lines"]:
        sku = (line.get("productVariant") or {}).get("sku") or ""
        placed = int(line.get("orderPlacedQuantity") or 0)
        skus[str(line.get("id"))] = sku
        if placed <= 0:
            continue
        changed = changed or placed != int(line["quantity"])
        lines.append(_line(line, sku, placed, money, included))
        if placed > int(line["quantity"]):
            back[sku] += placed - int(line["quantity"])
    charges = (*(_shipping(x, money, included) for x in node.get("shippingLines") or []),
               *(_surcharge(x, money, included) for x in node.get("surcharges") or []))
    if changed:  # Vendure's totals are the order as it is now: add up the order as placed
        total = (sum((_line_total(x, included) for x in lines), ZERO)
                 + sum((_charge_total(c, included) for c in charges), ZERO))
        total_tax = None
    else:
        total = money(node["totalWithTax"])
        total_tax = money(node["totalWithTax"]) - money(node["total"])
    payments = [p for p in node.get("payments") or [] if p.get("state") not in FAILED_PAYMENTS]
    return RemoteOrder(
        external_id=str(node["id"]), updated_at=node["updatedAt"], location=None,
        lines=tuple(lines), cancelled=node["state"] == "Cancelled", restocked=dict(back),
        buyer=_buyer(node.get("customer") or {}),
        placed=node.get("orderPlacedAt") is not None,
        source_id=(node.get("customFields") or {}).get("tillflowSaleId") or None,
        currency=node.get("currencyCode") or settings.currency.code, taxes_included=included,
        charges=charges, total_tax=total_tax, total=total,
        payment=Payment(gateway=str(payments[0]["method"]) if payments else None,
                        paid=bool(payments) and all(p["state"] == "Settled" for p in payments)),
        refunds=tuple(_refund(refund, node["lines"], skus, money,
                              shipping=[c for c in charges if c.kind == SHIPPING],
                              included=included)
                      for payment in payments for refund in payment.get("refunds") or []
                      if refund.get("state") == "Settled"),
    )


def _money(settings: Settings) -> Callable[[object], Decimal]:
    def convert(minor: object) -> Decimal:
        if isinstance(minor, bool) or not isinstance(minor, int):
            raise ValueError(f"{minor!r} is not an amount in minor units")
        return settings.currency.from_minor(minor)
    return convert


def _line(line: Mapping[str, Any], sku: str, placed: int, money: Callable[[object], Decimal],
          included: bool) -> OrderLine:
    suffix = "WithTax" if included else ""
    rate = Decimal(str(line.get("taxRate") or 0)) / 100
    unit = money(line[f"unitPrice{suffix}"])
    if placed == int(line["quantity"]):
        amount = money(line[f"linePrice{suffix}"])
        discounted = money(line[f"discountedLinePrice{suffix}"])
        prorated = money(line[f"proratedLinePrice{suffix}"])
        # ``lineTax`` leaves the order's promotions out; the prorated prices take them in.
        tax = money(line["proratedLinePriceWithTax"]) - money(line["proratedLinePrice"])
    else:
        amount = unit * placed
        discounted = money(line[f"discountedUnitPrice{suffix}"]) * placed
        prorated = money(line[f"proratedUnitPrice{suffix}"]) * placed
        tax = (money(line["proratedUnitPriceWithTax"])
               - money(line["proratedUnitPrice"])) * placed
    return OrderLine(sku=sku, quantity=placed, unit_price=unit, amount=amount,
                     discount=amount - discounted, order_discount=discounted - prorated,
                     tax=tax, tax_rate=rate)


def _line_total(line: OrderLine, included: bool) -> Decimal:
    after = (line.amount or ZERO) - line.discount - line.order_discount
    return after if included else after + (line.tax or ZERO)


def _charge_total(charge: Charge, included: bool) -> Decimal:
    return charge.amount if included else charge.amount + charge.tax


def _shipping(line: Mapping[str, Any], money: Callable[[object], Decimal],
              included: bool) -> Charge:
    net, gross = money(line["discountedPrice"]), money(line["discountedPriceWithTax"])
    method = line.get("shippingMethod") or {}
    return Charge(kind=SHIPPING, title=str(method.get("name") or method.get("code") or SHIPPING),
                  amount=gross if included else net, tax=gross - net)


def _surcharge(line: Mapping[str, Any], money: Callable[[object], Decimal],
               included: bool) -> Charge:
    net, gross = money(line["price"]), money(line["priceWithTax"])
    return Charge(kind=FEE, title=str(line.get("description") or FEE),
                  amount=gross if included else net, tax=gross - net,
                  tax_rate=Decimal(str(line.get("taxRate") or 0)) / 100)


def _refund(refund: Mapping[str, Any], lines: Sequence[Mapping[str, Any]],
            skus: Mapping[str, str], money: Callable[[object], Decimal], *,
            shipping: Sequence[Charge], included: bool) -> RemoteRefund:
    by_id = {str(line["id"]): line for line in lines}
    refunded = []
    for item in refund.get("lines") or []:
        line = by_id[str(item["orderLineId"])]
        quantity = int(item["quantity"])
        gross = money(line["proratedUnitPriceWithTax"]) * quantity
        net = money(line["proratedUnitPrice"]) * quantity
        refunded.append(RefundLine(sku=skus.get(str(item["orderLineId"]), ""),
                                   quantity=quantity, amount=gross, tax=gross - net))
    # The shipping refunded, tax included, carries the tax of the order's shipping.
    charged = sum((_charge_total(c, included) for c in shipping), ZERO)
    taxed = sum((c.tax for c in shipping), ZERO)
    back = money(refund.get("shipping") or 0)
    tax = (back * taxed / charged).quantize(back, rounding=ROUND_HALF_UP) if charged else ZERO
    return RemoteRefund(external_id=f"refund:{refund['id']}", lines=tuple(refunded),
                        charges=back, charges_tax=tax, total=money(refund["total"]),
                        restock=False)


def _buyer(customer: Mapping[str, Any]) -> Buyer | None:
    email, phone = customer.get("emailAddress") or None, customer.get("phoneNumber") or None
    if not email and not phone:
        return None
    return Buyer(email=email, phone=phone, first_name=customer.get("firstName") or None,
                 last_name=customer.get("lastName") or None)
