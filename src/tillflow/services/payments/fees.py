"""What the card gateway kept of each payment, read from its own records and booked.

Stripe states the fee on each charge's balance transaction; Adyen's Payment accounting
report on the payment's ``Settled`` line (commission, markup, scheme fees, interchange).
Reading a day's records sets each taken payment's fee once (a payment that has one keeps
it, so reading a day again records nothing twice) and emits ``payment.fee_recorded``,
which the journal books as a card fee: an expense out of the tender's clearing account.
A payment the gateway has not settled yet has no fee to read; reading the day again
later finds it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tillflow.ports.persistence import UnitOfWork
from tillflow.ports.records import PaymentRow
from tillflow.services.context import ServiceContext
from tillflow.services.payments.reconciliation import TAKEN, Line, day_lines

CARD = "card"


def record_fees(ctx: ServiceContext, *, day: date, connection: str) -> dict[str, Any]:
    """Record the fees the gateway reports for the day's payments of ``connection``."""
    due = [found for line in day_lines(ctx, day=day, connection=connection)
           if (found := _due(line, ctx.currency.code)) is not None]
    recorded = []
    with ctx.uow() as uow:
        for payment, reference, fee in due:
            if not uow.payments.record_fee(payment.id, fee):
                continue
            payload = {"payment_id": payment.id, "sale_id": payment.sale_id,
                       "connection": connection, "reference": reference,
                       "method": _method(uow, payment.sale_id, reference),
                       "fee": ctx.currency.format(ctx.currency.from_minor(fee)),
                       "recorded_at": uow.now.isoformat()}
            uow.emit("payment.fee_recorded", payload)
            recorded.append(payload)
        uow.commit()
    return {"date": day.isoformat(), "connection": connection, "recorded": recorded}


def _due(line: Line, currency: str) -> tuple[PaymentRow, str, int] | None:
    """A payment taken here in the store's currency whose fee the gateway reports and
    tillflow lacks: the payment, its gateway reference and the fee."""
    ours, theirs = line.ours, line.theirs
    if ours is None or theirs is None or theirs.fee is None:
        return None
    if ours.status not in TAKEN or ours.currency != currency or ours.fee is not None:
        return None
    return ours, line.reference, theirs.fee


def _method(uow: UnitOfWork, sale_id: str | None, reference: str) -> str:
    """The sale's tender this payment paid (its method), ``card`` when none names it."""
    sale = uow.sales.get(sale_id) if sale_id else None
    for tender in sale.payments if sale is not None else ():
        if tender.reference == reference:
            return tender.method
    return CARD
