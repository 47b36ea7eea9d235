"""Adyen's daily Payment accounting report: downloaded with the report user's basic auth
and read into the port's payments, for reconciliation.

The Terminal API lists no payments; Adyen's records of them are its reports. Lines are
read by column name (the column order and extra columns are the account's choice); a
payment is known by its pspReference and carries tillflow's payment id as its merchant
reference (the TransactionID tillflow sends). ``SentForSettle`` lines add up to what was
captured, ``SentForRefund`` lines to what was refunded (less ``RefundFailed`` lines).
A ``Settled`` line carries the costs kept from the payment in the settlement currency:
``Commission (SC)``, ``Markup (SC)``, ``Scheme Fees (SC)`` and ``Interchange (SC)``, whose
sum is the payment's fee; a report without those columns, or settling in another currency
than the payment's, tells no fee.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

import httpx

from tillflow.domain.errors import InvalidInput
from tillflow.domain.money import Currency
from tillflow.ports.payments import (
    ConfigurationError,
    GatewayPayment,
    GatewayState,
    GatewayUnreachableError,
)

REPORT_TEST_BASE = "https://ca-test.adyen.com"
_REQUIRED = ("Psp Reference", "Merchant Reference", "Record Type", "Main Currency",
             "Main Amount")
# The furthest a payment got, by the record types that say so.
_STATES = {"Received": GatewayState.PROCESSING, "Authorised": GatewayState.AUTHORIZED,
           "Refused": GatewayState.FAILED, "Error": GatewayState.FAILED,
           "Cancelled": GatewayState.CANCELLED, "Expired": GatewayState.CANCELLED,
           "SentForSettle": GatewayState.CAPTURED, "Settled": GatewayState.CAPTURED}
_FEES = ("Commission (SC)", "Markup (SC)", "Scheme Fees (SC)", "Interchange (SC)")
_SETTLEMENT_CURRENCY = "Settlement Currency"
_RANK = (GatewayState.PROCESSING, GatewayState.FAILED, GatewayState.AUTHORIZED,
         GatewayState.CANCELLED, GatewayState.CAPTURED)


def report_name(day: date) -> str:
    return f"payments_accounting_report_{day:%Y_%m_%d}.csv"


@dataclass(frozen=True)
class ReportSource:
    """Where the merchant account's reports are downloaded, and as whom."""

    base_url: str
    merchant_account: str
    user: str
    password: str


class ReportClient:
    def __init__(self, source: ReportSource, *, timeout: httpx.Timeout) -> None:
        self._source = source
        self._http = httpx.Client(base_url=source.base_url,
                                  auth=httpx.BasicAuth(source.user, source.password),
                                  timeout=timeout)

    def payments_of(self, day: date) -> list[GatewayPayment]:
        account = quote(self._source.merchant_account, safe="")
        path = f"/reports/download/MerchantAccount/{account}/{report_name(day)}"
        try:
            reply = self._http.get(path)
        except httpx.TransportError as exc:
            raise GatewayUnreachableError(f"Adyen's report not downloaded: {exc!r}") from exc
        if reply.status_code in (401, 403):
            raise ConfigurationError("Adyen refused the report user's credentials")
        if reply.status_code == 404:
            # Not generated (yet) for that day: nothing Adyen can tell.
            raise GatewayUnreachableError(f"no Adyen report {report_name(day)} yet")
        if reply.status_code >= 400:
            raise GatewayUnreachableError(f"Adyen's report answered {reply.status_code}")
        return parse_payment_accounting(reply.text)

    def close(self) -> None:
        self._http.close()


def parse_payment_accounting(text: str) -> list[GatewayPayment]:
    """Each payment of the report, by pspReference, with its captured and refunded sums."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in _REQUIRED if c not in (reader.fieldnames or ())]
    if missing:
        raise ConfigurationError(f"the Adyen report lacks the columns {missing}")
    found: dict[str, GatewayPayment] = {}
    for line in reader:
        reference = line["Psp Reference"]
        amount = _minor(line["Main Amount"], line["Main Currency"])
        known = found.get(reference) or GatewayPayment(
            reference=reference, state=GatewayState.PROCESSING, amount=0,
            payment_id=line["Merchant Reference"] or None)
        record_type = line["Record Type"]
        if record_type == "SentForRefund":
            known = replace(known, refunded=known.refunded + amount)
        elif record_type == "RefundFailed":
            known = replace(known, refunded=known.refunded - amount)
        elif record_type in _STATES:
            state = max(known.state, _STATES[record_type], key=_RANK.index)
            known = replace(known, state=state, amount=max(known.amount, amount))
            if record_type == "SentForSettle":
                known = replace(known, captured=known.captured + amount)
            if record_type == "Settled":
                known = _with_fee(known, line)
        found[reference] = known
    return list(found.values())


def _with_fee(known: GatewayPayment, line: dict[str, str]) -> GatewayPayment:
    """``known`` with the costs a ``Settled`` line kept from it added to its fee."""
    currency = line.get(_SETTLEMENT_CURRENCY) or ""
    costs = [line.get(column) or "" for column in _FEES if column in line]
    if not costs or currency != line["Main Currency"]:
        return known
    fee = sum((_minor(cost, currency) for cost in costs if cost.strip()), 0)
    return replace(known, fee=(known.fee or 0) + fee)


def _minor(amount: str, currency: str) -> int:
    try:
        return Currency.of(currency).to_minor(Decimal(amount))
    except (InvalidOperation, InvalidInput) as exc:
        raise ConfigurationError(f"unreadable amount {amount!r} {currency!r} in the Adyen "
                                 "report") from exc
