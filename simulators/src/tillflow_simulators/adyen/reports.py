"""The daily Payment accounting report the simulated merchant account downloads.

One CSV line per status a transaction reached that day, as Adyen's report has it (its
standard columns up to the acquiring costs, in its order): a payment is ``Received``, then
``Authorised``, ``SentForSettle`` (terminal payments are captured when approved) and
``Settled``, or ``Refused``; a reversal is a ``SentForRefund`` line on the original
payment's pspReference. The ``Settled`` line carries what the payment settles for in the
settlement currency (``Payable (SC)``) and the costs kept from it: ``Commission (SC)``
(blended pricing), ``Markup (SC)``, ``Scheme Fees (SC)`` and ``Interchange (SC)``
(Interchange++ pricing), here the account's ``FeeSchedule``. Payments settle the day they
are captured here, and days are UTC days; Adyen settles days later and uses the account's
time zone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from tillflow_simulators.adyen.records import TransactionRecord, TransactionState

COLUMNS = ("Company Account", "Merchant Account", "Psp Reference", "Merchant Reference",
           "Payment Method", "Booking Date", "TimeZone", "Main Currency", "Main Amount",
           "Record Type", "Payment Currency", "Received (PC)", "Authorised (PC)",
           "Captured (PC)", "Settlement Currency", "Payable (SC)", "Commission (SC)",
           "Markup (SC)", "Scheme Fees (SC)", "Interchange (SC)")
COMPANY_ACCOUNT = "TillflowSimulatorCompany"
NO_MINOR_UNITS = frozenset({"JPY", "KRW", "ISK", "CLP", "VND"})
NOT_SETTLED = ("",) * 6


@dataclass(frozen=True)
class FeeSchedule:
    """What the account pays per payment settled, as shares of its amount: Adyen's markup
    and, passed through, the card scheme's fee and the issuer's interchange (a commission
    instead, on blended pricing). Each cost is rounded to the currency's minor unit."""

    commission: Decimal = Decimal(0)
    markup: Decimal = Decimal("0.006")
    scheme_fees: Decimal = Decimal("0.0002")
    interchange: Decimal = Decimal("0.002")

    def costs(self, amount: Decimal, currency: str) -> tuple[Decimal, ...]:
        unit = Decimal(1) if currency in NO_MINOR_UNITS else Decimal("0.01")
        return tuple((amount * share).quantize(unit, rounding=ROUND_HALF_UP)
                     for share in (self.commission, self.markup, self.scheme_fees,
                                   self.interchange))


def report_name(day: date) -> str:
    return f"payments_accounting_report_{day:%Y_%m_%d}.csv"


def payment_accounting_report(records: Iterable[TransactionRecord], *, day: date,
                              merchant_account: str,
                              fees: FeeSchedule | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in records:
        if record.created_at.date() != day:
            continue
        for record_type, received, authorised, captured in _statuses(record):
            settled = _settled(record, fees or FeeSchedule()) if record_type == "Settled" \
                else NOT_SETTLED
            writer.writerow((
                COMPANY_ACCOUNT, merchant_account,
                record.original_psp_reference or record.psp_reference,
                record.transaction_id, "visa",
                record.created_at.strftime("%Y-%m-%d %H:%M:%S"), "UTC", record.currency,
                record.amount, record_type, record.currency, received, authorised, captured,
                *settled))
    return out.getvalue()


def _settled(record: TransactionRecord, fees: FeeSchedule) -> tuple[object, ...]:
    costs = fees.costs(record.amount, record.currency)
    return (record.currency, record.amount - sum(costs, Decimal(0)), *costs)


def _statuses(record: TransactionRecord) -> list[tuple[str, object, object, object]]:
    amount = record.amount
    if record.category == "Reversal":
        if record.state is TransactionState.REFUND_FAILED:
            return [("SentForRefund", "", "", -amount), ("RefundFailed", "", "", amount)]
        return [("SentForRefund", "", "", -amount)]
    if record.state is TransactionState.APPROVED:
        return [("Received", amount, "", ""), ("Authorised", -amount, amount, ""),
                ("SentForSettle", "", -amount, amount), ("Settled", "", "", -amount)]
    if record.state is TransactionState.IN_PROGRESS:
        return [("Received", amount, "", "")]
    return [("Received", amount, "", ""), ("Refused", -amount, "", "")]
