"""Sales paid later, as QuickBooks keeps them: an invoice, and a payment received later.

A sale still owed in part (a web order paid on delivery or by bank transfer) is an
``Invoice`` to its customer, against the ``receivable`` account (``ARAccountRef``), with
``DocNumber`` the sale's number and ``PrivateNote`` its reference; what was paid at once
is a ``Payment`` linked to it. When the shop is paid (a settlement), the money is a
``Payment`` whose line links the invoice (``LinkedTxn`` of ``TxnType`` ``Invoice``),
deposited to the tender's account: QuickBooks lowers the invoice's ``Balance`` by it.

Each payment is numbered with a digest of its own key (``DocNumber``) and noted with the
reference it books, so a retry finds it before making it again.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from tillflow.connectors.common.books_shapes import SalesDocument, account_of
from tillflow.connectors.common.erp_money import wire_amount
from tillflow.connectors.quickbooks.client import QuickBooksClient
from tillflow.connectors.quickbooks.names import QuickBooksNames, quoted
from tillflow.connectors.quickbooks.numbers import (
    RECEIVABLE,
    number_of,
    sale_number,
)
from tillflow.domain.accounting.entries import JournalEntry

DIGITS = 2
ZERO = Decimal(0)
Found = Mapping[tuple[str, str], str]


def owed(document: SalesDocument) -> Decimal:
    """What a sale's buyer still owes: its total less the tenders paid at once."""
    if document.refund:
        return ZERO
    return document.total - sum((amount for _role, amount in document.payments), ZERO)


def payment_key(reference: str, role: str) -> str:
    """The key of a tender paid at once on an invoiced sale (``sale:W-1 tender:card``)."""
    return f"{reference} {role}"


class PayLater:
    def __init__(self, client: QuickBooksClient, names: QuickBooksNames, *,
                 accounts: Mapping[str, str]) -> None:
        self.client = client
        self.names = names
        self.accounts = accounts

    def invoice(self, entry: JournalEntry, body: dict[str, Any], document: SalesDocument,
                done: Found) -> str:
        """The sale's invoice (``body`` as a receipt would have it, undeposited) and a
        payment for each tender paid at once; returns the invoice's id."""
        number = body["DocNumber"]
        invoice_id = done.get(("Invoice", number)) or str(self.client.create("Invoice", {
            **body, "ARAccountRef": self._account(RECEIVABLE)})["Id"])
        for role, amount in document.payments:
            self._pay(invoice_id, body["CustomerRef"], key=payment_key(entry.reference, role),
                      note=entry.reference, role=role, amount=amount, day=body["TxnDate"],
                      done=done)
        return invoice_id

    def settle(self, entry: JournalEntry, *, day: str, done: Found) -> str | None:
        """A settlement paid against its sale's invoice; None when the sale has none (it
        went to the books as a receipt, and its settlement is a journal entry)."""
        reference = f"sale:{entry.document_number}"
        invoices = [x for x in self.client.query(
            "select * from Invoice where DocNumber = "
            f"{quoted(sale_number(entry.document_number, reference))}")
            if x.get("PrivateNote") == reference]
        if not invoices:
            return None
        [tender] = [x for x in entry.lines if x.debit and x.role != RECEIVABLE]
        invoice = invoices[0]
        return self._pay(str(invoice["Id"]), {"value": invoice["CustomerRef"]["value"]},
                         key=entry.reference, note=entry.reference, role=tender.role,
                         amount=tender.debit, day=day, done=done)

    def _pay(self, invoice_id: str, customer: dict[str, str], *, key: str, note: str,
             role: str, amount: Decimal, day: str, done: Found) -> str:
        number = number_of(key)
        made = done.get(("Payment", number))
        if made is not None:
            return made
        total = wire_amount(amount, DIGITS)
        return str(self.client.create("Payment", {
            "DocNumber": number, "PrivateNote": note, "TxnDate": day,
            "CustomerRef": customer, "TotalAmt": total,
            "ARAccountRef": self._account(RECEIVABLE),
            "DepositToAccountRef": self._account(role),
            "Line": [{"Amount": total,
                      "LinkedTxn": [{"TxnId": invoice_id, "TxnType": "Invoice"}]}]})["Id"])

    def _account(self, role: str) -> dict[str, str]:
        return {"value": self.names.account_id(account_of(self.accounts, role))}
