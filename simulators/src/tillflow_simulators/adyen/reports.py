"""The daily Payment accounting report the simulated merchant account downloads.

One CSV line per status a transaction reached that day, as Adyen's report has it (a subset
of its standard columns, in its order): a payment is ``Received``, then ``Authorised`` and
``SentForSettle`` (terminal payments are captured when approved) or ``Refused``; a
reversal is a ``SentForRefund`` line on the original payment's pspReference. Days are UTC
days here; Adyen uses the account's time zone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date

from tillflow_simulators.adyen.records import TransactionRecord, TransactionState

COLUMNS = ("Company Account", "Merchant Account", "Psp Reference", "Merchant Reference",
           "Payment Method", "Booking Date", "TimeZone", "Main Currency", "Main Amount",
           "Record Type", "Payment Currency", "Received (PC)", "Authorised (PC)",
           "Captured (PC)")
COMPANY_ACCOUNT = "TillflowSimulatorCompany"


def report_name(day: date) -> str:
    return f"payments_accounting_report_{day:%Y_%m_%d}.csv"


def payment_accounting_report(records: Iterable[TransactionRecord], *, day: date,
                              merchant_account: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in records:
        if record.created_at.date() != day:
            continue
        for record_type, received, authorised, captured in _statuses(record):
            writer.writerow((
                COMPANY_ACCOUNT, merchant_account,
                record.original_psp_reference or record.psp_reference,
                record.transaction_id, "visa",
                record.created_at.strftime("%Y-%m-%d %H:%M:%S"), "UTC", record.currency,
                record.amount, record_type, record.currency, received, authorised, captured))
    return out.getvalue()


def _statuses(record: TransactionRecord) -> list[tuple[str, object, object, object]]:
    amount = record.amount
    if record.category == "Reversal":
        if record.state is TransactionState.REFUND_FAILED:
            return [("SentForRefund", "", "", -amount), ("RefundFailed", "", "", amount)]
        return [("SentForRefund", "", "", -amount)]
    if record.state is TransactionState.APPROVED:
        return [("Received", amount, "", ""), ("Authorised", -amount, amount, ""),
                ("SentForSettle", "", -amount, amount)]
    if record.state is TransactionState.IN_PROGRESS:
        return [("Received", amount, "", "")]
    return [("Received", amount, "", ""), ("Refused", -amount, "", "")]
