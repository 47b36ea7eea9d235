"""The core's records (sale, return, Z report) as ``ReceiptData`` for the renderer.

Pure: the caller loads the records and the store's header. A sale's receipt carries the
sale id (printed as a QR code, or a barcode) so a return can scan it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from tillflow.domain.records import (
    ChargeRecord,
    PaymentRecord,
    ReturnRecord,
    SaleLineRecord,
    SaleRecord,
)
from tillflow.receipt_layout.data import (
    AmountLine,
    ReceiptData,
    ReceiptLine,
    StoreHeader,
    TaxLine,
    TenderLine,
)

SALE_FOOTER = ("Thank you!", "Keep this receipt to return an item.")
GIFT_FOOTER = ("A gift for you!", "Show this receipt to exchange or return an item.")


def sale_receipt(sale: SaleRecord, *, store: StoreHeader, currency: str) -> ReceiptData:
    # A web order's shipping and fees print as lines of their own, priced as its goods are.
    charges = tuple(
        ReceiptLine(description=charge.title, quantity=Decimal(1),
                    unit_price=_shown(charge, sale), line_total=_shown(charge, sale))
        for charge in sale.charges
    )
    return ReceiptData(
        kind="sale",
        store=store,
        document_number=sale.number,
        document_id=sale.id,
        issued_at=sale.created_at,
        currency=currency,
        lines=tuple(
            ReceiptLine(description=line.name, quantity=line.quantity,
                        unit_price=line.unit_price, line_total=line.gross,
                        discount=line.line_discount)
            for line in sale.lines
        ) + charges,
        taxes=_taxes([*((line.tax_rate, line.net, line.tax) for line in sale.lines),
                      *((c.tax_rate, c.net, c.tax) for c in sale.charges)]),
        subtotal=sale.subtotal + sum((line.line_total for line in charges), Decimal(0)),
        discount_total=sale.discount_total,
        tax_total=sale.tax_total,
        total=sale.total,
        tenders=_tenders(sale.payments),
        change=sale.change_due,
        register=sale.register,
        cashier=sale.created_by,
        footer=store.footer or SALE_FOOTER,
    )


def gift_receipt(sale: SaleRecord, *, store: StoreHeader, currency: str) -> ReceiptData:
    """The sale's goods without a price, for the one who receives them; its code finds
    the sale for an exchange or a return like the receipt's does."""
    return ReceiptData(
        kind="gift", store=store, document_number=sale.number, document_id=sale.id,
        issued_at=sale.created_at, currency=currency,
        lines=tuple(ReceiptLine(description=line.name, quantity=line.quantity,
                                unit_price=Decimal(0), line_total=Decimal(0))
                    for line in sale.lines),
        register=sale.register, footer=GIFT_FOOTER,
    )


def _shown(charge: ChargeRecord, sale: SaleRecord) -> Decimal:
    return charge.total if sale.tax_inclusive else charge.net


def return_receipt(refund: ReturnRecord, *, sale: SaleRecord, store: StoreHeader,
                   currency: str) -> ReceiptData:
    """A return's receipt; the names and prices come from the sale it returns against.

    Lines show amounts the way the sale's did: with tax where prices include it.
    """
    sold: Mapping[int, SaleLineRecord] = {line.line_no: line for line in sale.lines}
    return ReceiptData(
        kind="return",
        store=store,
        document_number=refund.number,
        document_id=refund.id,
        issued_at=refund.created_at,
        currency=currency,
        lines=tuple(
            ReceiptLine(description=sold[line.line_no].name, quantity=line.quantity,
                        unit_price=sold[line.line_no].unit_price,
                        line_total=line.total if sale.tax_inclusive else line.net)
            for line in refund.lines
        ) + tuple(
            ReceiptLine(description=charge.title, quantity=Decimal(1),
                        unit_price=_shown(charge, sale), line_total=_shown(charge, sale))
            for charge in refund.charges
        ),
        taxes=_taxes([*((sold[line.line_no].tax_rate, line.net, line.tax)
                        for line in refund.lines),
                      *((c.tax_rate, c.net, c.tax) for c in refund.charges)]),
        subtotal=refund.net_total,
        tax_total=refund.tax_total,
        total=refund.total,
        tenders=_tenders(refund.refunds),
        register=refund.register,
        cashier=refund.created_by,
        footer=(f"Returned against sale {sale.number}",),
    )


def z_report_receipt(document: Mapping[str, Any], *, store: StoreHeader,
                     issued_at: datetime) -> ReceiptData:
    """The Z (or X, while the shift is open) report of ``services.shifts``."""
    sales, returns = document["sales"], document["returns"]
    summary = [
        ("Opening float", document["opening_float"]),
        (f"Sales ({sales['count']})", sales["total"]),
        ("  of which tax", sales["tax"]),
        ("  discounts given", sales["discounts"]),
        (f"Returns ({returns['count']})", returns["total"]),
        ("  of which tax", returns["tax"]),
        ("Net sales", document["net_sales"]),
        ("Net tax", document["tax_total"]),
        *((f"{tender['method'].capitalize()} net", tender["net"])
          for tender in document["tenders"]),
        ("Cash in", document["cash_in"]),
        ("Cash out", document["cash_out"]),
        ("Expected cash", document["expected_cash"]),
        ("Counted cash", document["counted_cash"]),
    ]
    over_short = document["over_short"]
    closed = document["closed_at"]
    return ReceiptData(
        kind="z_report",
        store=store,
        document_number=f"Z-{document['shift_id'][:8]}" if closed else "X (shift open)",
        document_id=document["shift_id"],
        issued_at=datetime.fromisoformat(closed) if closed else issued_at,
        currency=document["currency"],
        summary=tuple(AmountLine(label=label, amount=Decimal(amount))
                      for label, amount in summary if amount is not None)
        + ((_over_short(Decimal(over_short)),) if over_short is not None else ()),
        register=document["register"],
        footer=(f"Shift opened {document['opened_at'][:16].replace('T', ' ')}",),
    )


def _over_short(difference: Decimal) -> AmountLine:
    """Counted minus expected, signed, and said in words: a drawer over is no better news."""
    word = "over" if difference > 0 else "short" if difference < 0 else "even"
    return AmountLine(label=f"Over/short ({word})", amount=difference, signed=True)


def _taxes(parts: Iterable[tuple[Decimal, Decimal, Decimal]]) -> tuple[TaxLine, ...]:
    by_rate: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for rate, net, tax in parts:
        base, total = by_rate.get(rate, (Decimal(0), Decimal(0)))
        by_rate[rate] = (base + net, total + tax)
    return tuple(TaxLine(rate=rate, base=base, tax=tax)
                 for rate, (base, tax) in sorted(by_rate.items()))


def _tenders(payments: Iterable[PaymentRecord]) -> tuple[TenderLine, ...]:
    return tuple(TenderLine(method=p.method, amount=p.amount) for p in payments)
