"""What the card gateway kept of each payment, read from its own records and booked.

Stripe states the fee on each charge's balance transaction; Adyen's Payment accounting
report on the payment's ``Settled`` line (commission, markup, scheme fees, interchange).
Reading a day's records sets each taken payment's fee once (a payment that has one keeps
it, so reading a day again records nothing twice) and emits ``payment.fee_recorded``,
which the journal books as a card fee: an expense out of the tender's clearing account.
A payment the gateway has not settled yet has no fee to read; reading the day again
later finds it.

The worker reads them (``FeeReading``): every ``READ_EVERY`` for each card connection,
the last ``DAYS_BACK`` UTC days and today, so a payment settled days after it was taken
is found on a later pass; a gateway that cannot answer for a day is asked again then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import structlog

from tillflow.domain.errors import DomainError
from tillflow.ports.persistence import UnitOfWork
from tillflow.ports.records import PaymentRow
from tillflow.services.context import ServiceContext
from tillflow.services.payments.reconciliation import TAKEN, Line, day_lines

CARD = "card"
READ_EVERY = timedelta(hours=6)
DAYS_BACK = 3
log = structlog.get_logger("tillflow.payments")


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


@dataclass
class FeeReading:
    """The worker job that reads the card connections' fees on a schedule."""

    ctx: ServiceContext
    due: dict[str, datetime] = field(default_factory=dict)

    def run_once(self) -> int:
        now = self.ctx.clock()
        with self.ctx.uow(read_only=True) as uow:
            names = [r.name for r in uow.connections.all()
                     if (spec := self.ctx.connectors.get(r.platform)) is not None
                     and spec.payments is not None]
        recorded = 0
        for name in names:
            if self.due.get(name, now) > now:
                continue
            self.due[name] = now + READ_EVERY
            for back in range(DAYS_BACK, -1, -1):
                recorded += self._read(name, now.date() - timedelta(days=back))
        return recorded

    def _read(self, name: str, day: date) -> int:
        try:
            return len(record_fees(self.ctx, day=day, connection=name)["recorded"])
        except DomainError as exc:  # the gateway away, or no report for the day yet
            log.info("card fees not read", connection=name, day=day.isoformat(),
                     error=str(exc))
            return 0
