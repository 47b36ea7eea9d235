"""Journal entries from the events log's payloads (sales, returns, settlements, card fees,
cash, shift closes)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from tillflow.db.tables import customers, returns, sale_lines, sales
from tillflow.domain.accounting.entries import (
    Buyer,
    Document,
    JournalEntry,
    TaxedCharge,
    TaxedLine,
    Tender,
)
from tillflow.domain.accounting.rules import (
    card_fee_entry,
    cash_movement_entry,
    return_entry,
    sale_entry,
    settlement_entry,
    shift_close_entry,
)
from tillflow.domain.money import Currency
from tillflow.erp import journal
from tillflow.ports.records import StoredEvent

BOOKED_EVENTS = frozenset({"sale.completed", "return.completed", "sale.settled", "cash.moved",
                           "shift.closed", "payment.fee_recorded"})


def entry_for(connection: Connection, event: StoredEvent,
              currency: Currency) -> JournalEntry | None:
    """The entry an event books, or None for events the books do not care about."""
    if event.type not in BOOKED_EVENTS:
        return None
    data = event.data
    chart = journal.chart(connection)
    if event.type == "sale.completed":
        document = _sale(data, _buyer(connection, data.get("customer")))
        return sale_entry(document, chart=chart, currency=currency,
                          costs=journal.costs(connection, (x.sku for x in document.lines)))
    if event.type == "return.completed":
        document = _return(connection, data)
        return return_entry(document, chart=chart, currency=currency,
                            costs=journal.costs(connection, (x.sku for x in document.lines)))
    if event.type == "sale.settled":
        customer_id = connection.execute(
            select(sales.c.customer_id).where(sales.c.id == data["sale_id"])).scalar()
        return settlement_entry(
            number=data["number"], reference=f"settlement:{data['number']}-{data['seq']}",
            method=data["method"], amount=Decimal(data["amount"]),
            occurred_at=datetime.fromisoformat(data["settled_at"]), chart=chart,
            party=_buyer(connection, customer_id))
    if event.type == "payment.fee_recorded":
        return card_fee_entry(payment_id=data["payment_id"], method=data["method"],
                              fee=Decimal(data["fee"]),
                              occurred_at=datetime.fromisoformat(data["recorded_at"]),
                              chart=chart)
    if event.type == "cash.moved":
        return cash_movement_entry(
            number=f"{data['shift_id']}-{event.seq}", shift_id=data["shift_id"],
            amount=Decimal(data["amount"]), reason=data["reason"],
            occurred_at=event.occurred_at, chart=chart)
    return shift_close_entry(shift_id=data["shift_id"], over_short=Decimal(data["over_short"]),
                             occurred_at=datetime.fromisoformat(data["closed_at"]), chart=chart)


def _sale(data: dict[str, Any], customer: Buyer | None) -> Document:
    return Document(
        number=data["number"],
        # When the till sold it: a sale made offline belongs to the day it was made,
        # not the day the register came back.
        occurred_at=datetime.fromisoformat(data.get("sold_at") or data["created_at"]),
        lines=tuple(_taxed(line) for line in data["lines"]),
        tenders=tuple(Tender(p["method"], Decimal(p["amount"])) for p in data["payments"]),
        change_due=Decimal(data["change_due"]),
        shift_id=data.get("shift_id"),
        location=data.get("location"),
        customer=customer,
        charges=_charges(data),
    )


def _buyer(connection: Connection, customer_id: str | None) -> Buyer | None:
    """The customer as the ERP will know them, read when the document is booked."""
    if not customer_id:
        return None
    row = connection.execute(select(customers.c.name, customers.c.email).where(
        customers.c.id == customer_id)).first()
    return Buyer(id=str(customer_id), name=row.name if row else None,
                 email=row.email if row else None)


def _return(connection: Connection, data: dict[str, Any]) -> Document:
    # The return's payload names no shift; its row does (the shift it was refunded in).
    shift_id = connection.execute(
        select(returns.c.shift_id).where(returns.c.id == data["id"])).scalar()
    customer_id = connection.execute(
        select(sales.c.customer_id).where(sales.c.id == data["sale_id"])).scalar()
    # Returned lines carry the sale's tax rate; read it from the sale rather than guess.
    rates = {row.sku: row.tax_rate for row in connection.execute(
        select(sale_lines.c.sku, sale_lines.c.tax_rate).where(
            sale_lines.c.sale_id == data["sale_id"]))}
    return Document(
        number=data["number"],
        occurred_at=datetime.fromisoformat(data["created_at"]),
        lines=tuple(TaxedLine(sku=line["sku"], quantity=Decimal(str(line["quantity"])),
                              tax_rate=rates[line["sku"]],
                              net=Decimal(line["net"]), tax=Decimal(line["tax"]))
                    for line in data["lines"]),
        tenders=tuple(Tender(p["method"], Decimal(p["amount"])) for p in data["refunds"]),
        shift_id=shift_id,
        restock=bool(data["restock"]),
        location=data.get("location"),
        customer=_buyer(connection, customer_id),
        charges=_charges(data),
    )


def _charges(data: dict[str, Any]) -> tuple[TaxedCharge, ...]:
    return tuple(TaxedCharge(kind=c["kind"], tax_rate=Decimal(c["tax_rate"]),
                             net=Decimal(c["net"]), tax=Decimal(c["tax"]))
                 for c in data.get("charges", ()))


def _taxed(line: dict[str, Any]) -> TaxedLine:
    return TaxedLine(sku=line["sku"], quantity=Decimal(str(line["quantity"])),
                     tax_rate=Decimal(line["tax_rate"]), net=Decimal(line["net"]),
                     tax=Decimal(line["tax"]))
