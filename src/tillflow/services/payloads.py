"""JSON shapes of documents, shared by the API's responses and the events log.

Money is a decimal string with the currency's minor digits; quantities are integers
when whole and decimal strings otherwise (weighed goods).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from tillflow.domain.catalog import Product
from tillflow.domain.costing import round_cost
from tillflow.domain.customers import Customer
from tillflow.domain.money import Currency, plain
from tillflow.domain.records import ChargeRecord, PaymentRecord, ReturnRecord, SaleRecord
from tillflow.domain.variants import ProductGroup
from tillflow.ports.records import Location, ShiftRecord, StockLevel


def quantity(value: Decimal) -> int | str:
    if value == value.to_integral_value():
        return int(value)
    return str(plain(value))


def rate(value: Decimal) -> str:
    return str(plain(value))


def product(p: Product, currency: Currency) -> dict[str, Any]:
    return {
        "sku": p.sku,
        "name": p.name,
        "price": currency.format(p.price),
        "tax_rate": rate(p.tax_rate),
        "barcodes": sorted(b.code for b in p.barcodes),
        "active": p.active,
        "version": p.version,
        "cost": None if p.cost is None else cost(p.cost, currency),
        "product_id": p.product_id,
        "options": dict(p.options),
        "category": p.category,
    }


def cost(value: Decimal, currency: Currency) -> str:
    """A cost to its four places, but never fewer digits than money shows (``"4.50"``)."""
    shown = plain(round_cost(value))
    if -shown.as_tuple().exponent < currency.exponent:  # type: ignore[operator]
        return currency.format(shown)
    return str(shown)


def product_options(group: ProductGroup) -> dict[str, Any]:
    """What a register needs to choose among a product's variants."""
    return {"id": group.id, "name": group.name, "category": group.category,
            "options": [{"name": o.name, "values": list(o.values)} for o in group.options]}


def product_group(group: ProductGroup, variants: Sequence[Product],
                  currency: Currency) -> dict[str, Any]:
    """A product with its options and its variants (each as ``product`` shows it)."""
    return {
        "id": group.id,
        "name": group.name,
        "category": group.category,
        "tax_rate": rate(variants[0].tax_rate) if variants else None,
        "options": product_options(group)["options"],
        "version": group.version,
        "variants": [product(v, currency) for v in variants],
    }


def location(loc: Location) -> dict[str, Any]:
    return {"code": loc.code, "name": loc.name, "kind": loc.kind,
            "allow_negative_stock": loc.allow_negative_stock}


def stock_levels(sku: str, levels: list[StockLevel]) -> dict[str, Any]:
    return {
        "sku": sku,
        "levels": [
            {"location": lvl.location, "on_hand": quantity(lvl.on_hand),
             "available": quantity(lvl.on_hand)}
            for lvl in levels
        ],
    }


def customer(c: Customer) -> dict[str, Any]:
    return {"id": c.id, "name": c.name, "email": c.email, "phone": c.phone}


def _payments(items: tuple[PaymentRecord, ...], currency: Currency) -> list[dict[str, Any]]:
    return [
        {"method": p.method, "amount": currency.format(p.amount), "reference": p.reference}
        for p in items
    ]


def _charges(items: tuple[ChargeRecord, ...], currency: Currency) -> list[dict[str, Any]]:
    return [
        {"kind": c.kind, "title": c.title, "tax_rate": rate(c.tax_rate),
         "net": currency.format(c.net), "tax": currency.format(c.tax),
         "total": currency.format(c.total)}
        for c in items
    ]


def sale(s: SaleRecord, currency: Currency) -> dict[str, Any]:
    money = currency.format
    return {
        "id": s.id,
        "number": s.number,
        "status": s.status,
        "channel": s.channel,
        "external_id": s.external_id,
        "offline": s.offline,
        "offline_number": s.offline_number,
        "location": s.location,
        "register": s.register,
        "shift_id": s.shift_id,
        "customer": s.customer_id,
        "currency": currency.code,
        "tax_inclusive": s.tax_inclusive,
        "lines": [
            {
                "line_no": line.line_no,
                "sku": line.sku,
                "name": line.name,
                "quantity": quantity(line.quantity),
                "unit_price": money(line.unit_price),
                "tax_rate": rate(line.tax_rate),
                "subtotal": money(line.gross),
                "discount": money(line.line_discount),
                "order_discount": money(line.order_discount),
                "net": money(line.net),
                "tax": money(line.tax),
                "total": money(line.total),
                "returned_quantity": quantity(line.returned_quantity),
            }
            for line in s.lines
        ],
        "subtotal": money(s.subtotal),
        "discount": money(s.order_discount),
        "discount_total": money(s.discount_total),
        "tax_total": money(s.tax_total),
        "total": money(s.total),
        "charges": _charges(s.charges, currency),
        "payments": _payments(s.payments, currency),
        "settlements": [
            {"method": x.method, "amount": money(x.amount), "reference": x.reference,
             "settled_at": x.settled_at.isoformat()}
            for x in s.settlements
        ],
        "tendered": money(s.tendered),
        "change_due": money(s.change_due),
        "created_at": s.created_at.isoformat(),
        "created_by": s.created_by,
        "sold_at": (s.sold_at or s.created_at).isoformat(),
        "staff": s.staff_id,
    }


def sale_return(r: ReturnRecord, currency: Currency) -> dict[str, Any]:
    money = currency.format
    return {
        "id": r.id,
        "number": r.number,
        "sale_id": r.sale_id,
        "location": r.location,
        "register": r.register,
        "restock": r.restock,
        "reason": r.reason,
        "lines": [
            {"line_no": line.line_no, "sku": line.sku, "quantity": quantity(line.quantity),
             "net": money(line.net), "tax": money(line.tax), "total": money(line.total)}
            for line in r.lines
        ],
        "charges": _charges(r.charges, currency),
        "net_total": money(r.net_total),
        "tax_total": money(r.tax_total),
        "total": money(r.total),
        "refunds": _payments(r.refunds, currency),
        "created_at": r.created_at.isoformat(),
        "created_by": r.created_by,
        "staff": r.staff_id,
    }


def shift(s: ShiftRecord, currency: Currency) -> dict[str, Any]:
    return {
        "id": s.id,
        "register": s.register,
        "status": s.status,
        "opening_float": currency.format(s.opening_float),
        "opened_at": s.opened_at.isoformat(),
        "opened_by": s.opened_by,
        "closed_at": s.closed_at.isoformat() if s.closed_at else None,
        "counted_cash": None if s.counted_cash is None else currency.format(s.counted_cash),
        "z_report": s.z_report,
    }
